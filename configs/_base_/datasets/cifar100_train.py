# CIFAR-100 with the standard crop-and-flip training split (teacher recipes).
_base_ = ['./cifar100.py', './crop_flip_train.py']

train_dataloader = dict(
    dataset=dict(type='OfflineCIFAR100', data_root='data/cifar100'))
