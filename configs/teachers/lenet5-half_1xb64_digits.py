# LeNet-5-half trained on the real digits: the "student on data" baseline.
_base_ = [
    '../_base_/models/lenet5-half_digits.py',
    '../_base_/datasets/digits_train.py',
    '../_base_/schedules/digits_adam_30e.py',
]
