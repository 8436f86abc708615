# WRN-40-2 trained on CIFAR-10 (a teacher or a student-on-data baseline of
# ZSKT's Table 1).
#   python tools/train.py configs/teachers/wrn-40-2_1xb128_cifar10.py
# The original WRN code's classifier init (nn.Linear's, zero bias) instead
# of mmpretrain's Normal(0, 0.01):
#   --cfg-options model.head.init_cfg.type=mmrazor_zs.TorchLinearInit
_base_ = [
    '../_base_/models/wrn-40-2_cifar10.py',
    '../_base_/datasets/cifar10_train.py',
    '../_base_/schedules/cifar10_sgd_200e.py',
]
