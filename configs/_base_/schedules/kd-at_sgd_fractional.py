# The few-shot KD + AT schedule of Zagoruyko & Komodakis as ZSKT's Table 2
# runs it: SGD 0.1 (momentum 0.9, weight decay 5e-4), x 0.2 at 30%, 60% and
# 80% of the epochs, where the FewShotTrainLoop scales the number of epochs
# up as M (images per class) goes down; the run summary at the end, in the
# default runtime. Each config sets base_epochs and val_interval.
_base_ = ['../default_runtime.py']

optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=5e-4))
param_scheduler = dict(
    type='FractionalMultiStepLR',
    milestone_fractions=(0.3, 0.6, 0.8),
    gamma=0.2,
    by_epoch=True)
train_cfg = dict(type='FewShotTrainLoop')
val_cfg = dict()
test_cfg = dict()

custom_hooks = [dict(type='DistillSummaryHook')]
