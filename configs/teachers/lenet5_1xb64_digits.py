# Trains the LeNet-5 digits teacher used by the zero-shot demos.
# python tools/train.py configs/teachers/lenet5_1xb64_digits.py
_base_ = [
    '../_base_/models/lenet5_digits.py',
    '../_base_/datasets/digits_train.py',
    '../_base_/schedules/digits_adam_30e.py',
]
