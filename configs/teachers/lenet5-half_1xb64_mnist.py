# LeNet-5-half trained on data (the student-on-data baseline) on MNIST (ZSKD, Nayak et al. 2019).
#   python tools/train.py configs/teachers/lenet5-half_1xb64_mnist.py
_base_ = [
    '../_base_/models/lenet5-half_digits.py',
    '../_base_/datasets/mnist_train.py',
    '../_base_/schedules/digits_adam_30e.py',
    '../_base_/default_runtime.py',
]
optim_wrapper = dict(optimizer=dict(lr=1e-3))
default_hooks = dict(logger=dict(interval=100), checkpoint=dict(interval=10))
