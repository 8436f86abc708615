# ResNet-18 (mmpretrain ResNet_CIFAR) trained on CIFAR-100: the
# student-on-data baseline of the CIFAR-100 R34 -> R18 configs, and the
# student architecture they build. mmpretrain has no ResNet-18 CIFAR-100
# config: this is resnet34_8xb16_cifar100.py (mmpretrain's ResNet_CIFAR
# recipe with a 100-way head, CIFAR-100 read from
# data/cifar100/cifar-100-python without downloading, and the schedule of
# mmpretrain's resnet50_8xb16_cifar100.py) at depth 18, as mmpretrain's
# resnet18_8xb16_cifar10.py is its resnet34_8xb16_cifar10.py at depth 18.
#   bash tools/dist_train.sh configs/teachers/resnet18_8xb16_cifar100.py 8
_base_ = ['./resnet34_8xb16_cifar100.py']

model = dict(backbone=dict(depth=18))
