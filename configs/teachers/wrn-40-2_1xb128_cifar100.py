# WRN-40-2 trained on CIFAR-100: the teacher of the CIFAR-100 WRN configs
# (the zju-vipa DataFree README reports 75.83 for its own; its number, not
# ours). Same recipe as wrn-40-2_1xb128_cifar10.py, on CIFAR-100.
#   python tools/train.py configs/teachers/wrn-40-2_1xb128_cifar100.py
# then publish it (tools/model_converters/publish_model.py appends a hash)
# and put it at checkpoints/wrn-40-2_1xb128_cifar100.pth, the path the
# distillation configs read (or pass model.teacher_ckpt=<published file>).
# The original WRN code's classifier init (nn.Linear's, zero bias) instead
# of mmpretrain's Normal(0, 0.01):
#   --cfg-options model.head.init_cfg.type=mmrazor_zs.TorchLinearInit
_base_ = [
    '../_base_/models/wrn-40-2_cifar10.py',
    '../_base_/datasets/cifar100_train.py',
    '../_base_/schedules/cifar10_sgd_200e.py',
]

model = dict(head=dict(num_classes=100))
