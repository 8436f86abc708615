# ZSKT on the embedded digits: LeNet-5 teacher -> LeNet-5-half student,
# logits only (LeNet has no stage maps worth attention transfer). No
# training image is read; evaluation uses the digits test split.
#   python tools/train.py configs/zskt/zskt_logits_lenet5_lenet5-half_1xb128_digits.py
_base_ = [
    '../_base_/recipes/zskt_lenet5-demo.py',
    '../_base_/datasets/digits.py',
]
