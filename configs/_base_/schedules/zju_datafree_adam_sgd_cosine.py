# The zju-vipa DataFree zoo's optimisers for its generator methods
# (datafree_kd.py and synthesis/generative.py at 9e79fa9): Adam for the
# generator (betas 0.5, 0.999, constant rate) and SGD for the student
# (momentum 0.9, weight decay 1e-4) with cosine annealing; the zoo steps its
# cosine once per epoch, here once per iteration. The learning rates are
# each recipe's.
optim_wrapper = dict(
    constructor='SeparateOptimWrapperConstructor',
    generator=dict(
        type='OptimWrapper',
        optimizer=dict(type='Adam', lr=1e-3, betas=(0.5, 0.999))),
    student=dict(
        type='OptimWrapper',
        optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=1e-4)),
)
# cosine for the student; the generator's rate stays constant
param_scheduler = dict(
    generator=dict(type='ConstantLR', factor=1.0, by_epoch=False),
    student=dict(type='CosineAnnealingLR', eta_min=0, by_epoch=False))
