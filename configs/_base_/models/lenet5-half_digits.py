# LeNet-5-half (35,820 parameters), the digits student: half the channels of
# the first two convolutions, as in ZSKD (Nayak et al., ICML 2019).
_base_ = ['./lenet5_digits.py']

model = dict(backbone=dict(widths=(3, 8, 120)))
