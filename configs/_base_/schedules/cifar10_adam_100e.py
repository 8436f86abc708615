# The AlexNet recipe of ZSKD's released code: Adam 1e-3 without weight
# decay; here with a cosine schedule over 100 epochs, with the default
# runtime and a checkpoint every 10 epochs.
_base_ = ['../default_runtime.py']

optim_wrapper = dict(optimizer=dict(type='Adam', lr=1e-3))
param_scheduler = dict(type='CosineAnnealingLR', by_epoch=True)
train_cfg = dict(by_epoch=True, max_epochs=100, val_interval=5)
val_cfg = dict()
test_cfg = dict()

default_hooks = dict(checkpoint=dict(interval=10))
