# CIFAR wide ResNet WRN-16-2 (depth 16, widen factor 2): WRN-16-1 made
# deeper and wider.
_base_ = ['./wrn-16-1_cifar10.py']

model = dict(
    backbone=dict(depth=16, widen_factor=2), head=dict(in_channels=128))
