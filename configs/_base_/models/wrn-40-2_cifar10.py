# CIFAR wide ResNet WRN-40-2 (depth 40, widen factor 2): WRN-16-1 made
# deeper and wider.
_base_ = ['./wrn-16-1_cifar10.py']

model = dict(
    backbone=dict(depth=40, widen_factor=2), head=dict(in_channels=128))
