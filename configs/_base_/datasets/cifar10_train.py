# CIFAR-10 with the standard crop-and-flip training split (teacher recipes).
_base_ = ['./cifar10.py', './crop_flip_train.py']

train_dataloader = dict(
    dataset=dict(type='OfflineCIFAR10', data_root='data/cifar10'))
