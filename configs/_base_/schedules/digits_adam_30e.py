# Training a digits classifier on real data.
optim_wrapper = dict(optimizer=dict(type='Adam', lr=1e-2))
param_scheduler = dict(type='CosineAnnealingLR', T_max=30, by_epoch=True)
train_cfg = dict(by_epoch=True, max_epochs=30, val_interval=5)
val_cfg = dict()
test_cfg = dict()
