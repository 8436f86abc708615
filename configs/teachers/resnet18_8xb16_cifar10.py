# mmpretrain's ResNet-18 CIFAR-10 recipe, reading CIFAR-10 from
# data/cifar10/cifar-10-batches-py without downloading. mmpretrain's
# resnet18_8xb16_cifar10.py differs from its resnet34_8xb16_cifar10.py in
# the backbone's depth only, so this is resnet34_8xb16_cifar10.py at depth
# 18.
#   bash tools/dist_train.sh configs/teachers/resnet18_8xb16_cifar10.py 8
_base_ = ['./resnet34_8xb16_cifar10.py']

model = dict(backbone=dict(depth=18))
