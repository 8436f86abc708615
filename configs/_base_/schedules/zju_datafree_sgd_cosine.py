# The zju-vipa DataFree zoo's student optimiser (datafree_kd.py at 9e79fa9;
# Fast-Datafree 0dcecbc the same): SGD with momentum 0.9 and weight decay
# 1e-4, cosine annealing; the zoo steps its cosine once per epoch, here once
# per iteration. The learning rate (and Fast's eta_min 2e-4) is each
# recipe's.
optim_wrapper = dict(
    constructor='SeparateOptimWrapperConstructor',
    student=dict(
        type='DeviceOptimWrapper',
        optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=1e-4)))
param_scheduler = dict(
    student=dict(type='CosineAnnealingLR', eta_min=0, by_epoch=False))
