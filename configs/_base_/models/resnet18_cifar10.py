# ResNet-18 for CIFAR as the zju-vipa data-free zoo builds its resnet18:
# resnet34_cifar10.py with two BasicBlocks per stage.
_base_ = ['./resnet34_cifar10.py']

model = dict(backbone=dict(depth=18))
