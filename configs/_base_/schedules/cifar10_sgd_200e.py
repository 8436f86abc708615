# The wide-ResNet recipe ZSKT's teachers were trained with: SGD 0.1,
# momentum 0.9, weight decay 5e-4, 200 epochs, lr x 0.2 at 60/120/160.
# With the default runtime and a checkpoint every 20 epochs.
_base_ = ['../default_runtime.py']

optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=5e-4))
param_scheduler = dict(
    type='MultiStepLR', by_epoch=True, milestones=[60, 120, 160], gamma=0.2)
train_cfg = dict(by_epoch=True, max_epochs=200, val_interval=10)
val_cfg = dict()
test_cfg = dict()

default_hooks = dict(checkpoint=dict(interval=20))
