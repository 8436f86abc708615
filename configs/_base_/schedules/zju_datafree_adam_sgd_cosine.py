# The zju-vipa DataFree zoo's optimisers for its generator methods
# (datafree_kd.py and synthesis/generative.py at 9e79fa9): Adam for the
# generator (betas 0.5, 0.999, constant rate) and the zoo's student SGD
# with cosine annealing (zju_datafree_sgd_cosine.py). The learning rates are
# each recipe's.
_base_ = ['./zju_datafree_sgd_cosine.py']

optim_wrapper = dict(
    generator=dict(
        type='DeviceOptimWrapper',
        optimizer=dict(type='Adam', lr=1e-3, betas=(0.5, 0.999))))
# the generator's rate stays constant
param_scheduler = dict(
    generator=dict(type='ConstantLR', factor=1.0, by_epoch=False))
