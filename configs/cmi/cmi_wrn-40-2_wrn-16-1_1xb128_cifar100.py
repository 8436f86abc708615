# CMI on CIFAR-100: CIFAR-100 teacher, student and normalisation,
# otherwise cmi_wrn-40-2_wrn-16-1_1xb128_cifar10.py.
#   python tools/train.py configs/cmi/cmi_wrn-40-2_wrn-16-1_1xb128_cifar100.py
# Evaluation reads data/cifar100/cifar-100-python.
# Reported by the DataFree README (theirs, not ours): 57.91, teacher 75.83.
# Teacher file: the project's WRN-40-2 is trained by ZSKT's WRN recipe
# (configs/teachers/wrn-40-2_1xb128_cifar100.py); the zoo's own WRN-40-2
# (cifar100_wrn40_2.pth, the DataFree README's "Dropbox-Models (266 MB)"
# link) is the same network and converts to teacher_ckpt with
#   python tools/model_converters/zju_vipa_to_mmpretrain.py checkpoints/pretrained/cifar100_wrn40_2.pth checkpoints/wrn-40-2_1xb128_cifar100.pth
_base_ = [
    '../_base_/recipes/cmi_zju-datafree.py',
    '../_base_/datasets/cifar100.py',
]

model = dict(
    teacher=dict(
        cfg_path='{{ fileDirname }}/../teachers/wrn-40-2_1xb128_cifar100.py'),
    teacher_ckpt='checkpoints/wrn-40-2_1xb128_cifar100.pth',
    student=dict(
        cfg_path='{{ fileDirname }}/../teachers/wrn-16-1_1xb128_cifar100.py'),
)
