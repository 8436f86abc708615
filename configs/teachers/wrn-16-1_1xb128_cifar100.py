# WRN-16-1 trained on CIFAR-100: the student-on-data baseline of the
# CIFAR-100 WRN-40-2 -> WRN-16-1 configs, and the student architecture they
# build. Same recipe as wrn-16-1_1xb128_cifar10.py, on CIFAR-100.
#   python tools/train.py configs/teachers/wrn-16-1_1xb128_cifar100.py
# The original WRN code's classifier init (nn.Linear's, zero bias) instead
# of mmpretrain's Normal(0, 0.01):
#   --cfg-options model.head.init_cfg.type=mmrazor_zs.TorchLinearInit
_base_ = [
    '../_base_/models/wrn-16-1_cifar10.py',
    '../_base_/datasets/cifar100_train.py',
    '../_base_/schedules/cifar10_sgd_200e.py',
]

model = dict(head=dict(num_classes=100))
