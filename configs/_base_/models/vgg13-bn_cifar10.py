# VGG-13 with batch norm for CIFAR as the zju-vipa data-free zoo builds its
# vgg13 (vgg13_bn): vgg11-bn_cifar10.py with two convolutions in each of the
# first two blocks.
_base_ = ['./vgg11-bn_cifar10.py']

model = dict(backbone=dict(depth=13))
