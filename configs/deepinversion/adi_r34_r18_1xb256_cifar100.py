# ADI on CIFAR-100: CIFAR-100 teacher, student and normalisation,
# otherwise adi_r34_r18_1xb256_cifar10.py.
#   python tools/train.py configs/deepinversion/adi_r34_r18_1xb256_cifar100.py
# Evaluation reads data/cifar100/cifar-100-python.
# Reported by the DataFree README (theirs, not ours): 61.32, teacher 78.05.
# Teacher file: mmpretrain publishes no CIFAR-100 ResNet-34, so
# configs/teachers/resnet34_8xb16_cifar100.py trains one; the zoo's own
# ResNet-34 (cifar100_resnet34.pth, the DataFree README's "Dropbox-Models
# (266 MB)" link) is the same network and converts to teacher_ckpt with
#   python tools/model_converters/zju_vipa_to_mmpretrain.py checkpoints/pretrained/cifar100_resnet34.pth checkpoints/resnet34_8xb16_cifar100.pth
_base_ = [
    '../_base_/recipes/adi_zju-datafree.py',
    '../_base_/datasets/cifar100.py',
]

model = dict(
    teacher=dict(
        cfg_path='{{ fileDirname }}/../teachers/resnet34_8xb16_cifar100.py'),
    teacher_ckpt='checkpoints/resnet34_8xb16_cifar100.pth',
    student=dict(
        cfg_path='{{ fileDirname }}/../teachers/resnet18_8xb16_cifar100.py'),
)
