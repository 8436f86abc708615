# CIFAR-10 with the crop-and-flip training split, fed to the network as
# pixels in [0, 1] (no mean/std normalisation), as ZSKD's AlexNets see them.
_base_ = ['./cifar10_train.py']

data_preprocessor = dict(mean=[0., 0., 0.], std=[255., 255., 255.])
