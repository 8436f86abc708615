# Training a digits classifier on real data, with the default runtime,
# logs every 10 iterations and a checkpoint every 10 epochs.
_base_ = ['../default_runtime.py']

optim_wrapper = dict(optimizer=dict(type='Adam', lr=1e-2))
param_scheduler = dict(type='CosineAnnealingLR', T_max=30, by_epoch=True)
train_cfg = dict(by_epoch=True, max_epochs=30, val_interval=5)
val_cfg = dict()
test_cfg = dict()

default_hooks = dict(logger=dict(interval=10), checkpoint=dict(interval=10))
