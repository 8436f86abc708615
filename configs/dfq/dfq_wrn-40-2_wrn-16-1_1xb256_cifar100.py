# DFQ as the zju-vipa DataFree zoo runs it, WRN-40-2 -> WRN-16-1 on
# CIFAR-100, one GPU x 256 generated images.
# Train the teacher first:
#   python tools/train.py configs/teachers/wrn-40-2_1xb128_cifar100.py
# then publish it (tools/model_converters/publish_model.py) to the path
# below, and
#   python tools/train.py configs/dfq/dfq_wrn-40-2_wrn-16-1_1xb256_cifar100.py
# Evaluation reads data/cifar100/cifar-100-python; training reads nothing.
# Source: the zoo (zju-vipa/DataFree 9e79fa9) releases no CIFAR-100 WRN
# script; this config takes the CIFAR-10 WRN script's values unchanged
# (scripts/dfq/dfq_cifar10_wrn402_wrn161.sh, as
# dfq_wrn-40-2_wrn-16-1_1xb256_cifar10.py, whose header lists them, the
# code lines and the 8,000-iteration count), including the student's rate
# 0.1 (the zoo's CIFAR-100 ResNet script uses 0.05).
# The DataFree README reports teacher 75.83, student on data 65.31 and DFQ
# 54.77 for this pair; the Fast-Datafree README reports 51.27 (their
# numbers, not ours).
# What differs from the zoo's run, and why: as in the CIFAR-10 config; the
# generator's images are normalised with mmpretrain's CIFAR-100 statistics
# (the zoo's differ in the fourth decimal).
# Teacher file: the project's WRN-40-2 is trained by ZSKT's WRN recipe
# (configs/teachers/wrn-40-2_1xb128_cifar100.py); the zoo's own WRN-40-2
# (cifar100_wrn40_2.pth, the DataFree README's "Dropbox-Models (266 MB)"
# link) is the same network and converts to teacher_ckpt with
#   python tools/model_converters/zju_vipa_to_mmpretrain.py checkpoints/pretrained/cifar100_wrn40_2.pth checkpoints/wrn-40-2_1xb128_cifar100.pth
_base_ = [
    '../_base_/recipes/dfq_zju-datafree.py',
    '../_base_/datasets/cifar100.py',
]

model = dict(
    teacher=dict(
        cfg_path='{{ fileDirname }}/../teachers/wrn-40-2_1xb128_cifar100.py'),
    teacher_ckpt='checkpoints/wrn-40-2_1xb128_cifar100.pth',
    student=dict(
        cfg_path='{{ fileDirname }}/../teachers/wrn-16-1_1xb128_cifar100.py'),
)
