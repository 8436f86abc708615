# Trains the LeNet-5-BN digits teacher of the DFQ demo.
# python tools/train.py configs/teachers/lenet5-bn_1xb64_digits.py
_base_ = [
    '../_base_/models/lenet5-bn_digits.py',
    '../_base_/datasets/digits_train.py',
    '../_base_/schedules/digits_adam_30e.py',
]
