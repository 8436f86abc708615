# What the inversion family's LeNet-5-BN -> LeNet-5-half demos (DeepInversion,
# ADI, CMI, Fast) share to fit a CPU budget of minutes, without evaluation
# data: the zoo's student SGD + cosine, 1,000 student steps with a validation
# every 250, synthesis batches of 256, pool crops without flips (digits are
# not mirror-symmetric) and pool pixels rounded to the nearest level (the
# zju-vipa codes truncate them; the demos' published numbers were measured
# with rounding). Each demo states its method and what it changes from
# its authors' recipe.
_base_ = [
    '../pairs/lenet5-bn_lenet5-half_digits.py',
    '../inversion_runtime.py',
    '../schedules/zju_datafree_sgd_cosine.py',
]

max_iters = 1000

model = dict(
    batch_size=256,
    pool_augment=dict(padding=4, flip=False),
    pool_rounding='round',
    synthesizer=dict(batch_size=256))

train_cfg = dict(max_iters=max_iters, val_interval=250)
default_hooks = dict(
    logger=dict(interval=50), checkpoint=dict(interval=max_iters))
