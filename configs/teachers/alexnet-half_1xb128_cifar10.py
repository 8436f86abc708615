# AlexNet-half trained on CIFAR-10: the "student on data" baseline of ZSKD
# (Nayak et al., ICML 2019; the paper's: 80.04 top-1). Same recipe as the
# AlexNet teacher.
#   python tools/train.py configs/teachers/alexnet-half_1xb128_cifar10.py
_base_ = [
    '../_base_/models/alexnet-half_cifar10.py',
    '../_base_/datasets/cifar10_train_unnormalised.py',
    '../_base_/schedules/cifar10_adam_100e.py',
]
