# ZSKT's schedule (Micaelli & Storkey, 2019): Adam for both networks
# (generator 1e-3, student 2e-3), cosine annealing to 0 stepped every
# iteration, gradient-norm clipping at 5, in the data-free runtime.
# The cosine schedules span the whole run: mmengine sets their `end` (and so
# T_max) to `train_cfg.max_iters`.
_base_ = ['../data_free_runtime.py']

max_iters = 80000

optim_wrapper = dict(
    constructor='SeparateOptimWrapperConstructor',
    generator=dict(
        type='DeviceOptimWrapper',
        optimizer=dict(type='Adam', lr=1e-3),
        clip_grad=dict(max_norm=5)),
    student=dict(
        type='DeviceOptimWrapper',
        optimizer=dict(type='Adam', lr=2e-3),
        clip_grad=dict(max_norm=5)),
)
param_scheduler = dict(
    generator=dict(type='CosineAnnealingLR', eta_min=0, by_epoch=False),
    student=dict(type='CosineAnnealingLR', eta_min=0, by_epoch=False),
)

train_cfg = dict(max_iters=max_iters, val_interval=2000)
