# AlexNet-half trained on CIFAR-10: the "student on data" baseline of ZSKD
# (Nayak et al., ICML 2019; the paper's: 80.04 top-1). Same recipe as the
# AlexNet teacher.
#   python tools/train.py configs/teachers/alexnet-half_1xb128_cifar10.py
_base_ = [
    '../_base_/models/alexnet-half_cifar10.py',
    '../_base_/datasets/cifar10_train.py',
    '../_base_/default_runtime.py',
]

# AlexNet of ZSKD sees pixels in [0, 1]: no mean/std normalisation.
data_preprocessor = dict(mean=[0., 0., 0.], std=[255., 255., 255.])

optim_wrapper = dict(optimizer=dict(type='Adam', lr=1e-3))
param_scheduler = dict(type='CosineAnnealingLR', by_epoch=True)
train_cfg = dict(by_epoch=True, max_epochs=100, val_interval=5)
val_cfg = dict()
test_cfg = dict()

default_hooks = dict(checkpoint=dict(interval=10))
