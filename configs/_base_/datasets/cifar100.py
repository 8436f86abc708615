# CIFAR-100 test split (fine labels) for evaluating distilled students. Reads
# the official python files from data/cifar100/cifar-100-python; never
# downloads. The CIFAR-10 pipeline, loader and metric.
_base_ = ['./cifar10.py']

# mmpretrain's CIFAR-100 statistics (RGB, 0..255)
data_preprocessor = dict(
    num_classes=100,
    mean=[129.304, 124.070, 112.434],
    std=[68.170, 65.392, 70.418])
val_dataloader = dict(
    dataset=dict(type='OfflineCIFAR100', data_root='data/cifar100'))
test_dataloader = val_dataloader
