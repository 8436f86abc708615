# AlexNet-half (417,434 parameters; the paper: 0.42M), the CIFAR-10 student
# of ZSKD (Nayak et al., ICML 2019): half the channels of every layer of the
# AlexNet teacher.
_base_ = ['./alexnet_cifar10.py']

model = dict(
    backbone=dict(widths=(24, 64, 96, 96, 64)),
    head=dict(in_channels=64 * 3 * 3, mid_channels=[256, 128]))
