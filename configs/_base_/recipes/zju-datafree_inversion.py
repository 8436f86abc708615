# What the inversion methods of the zju-vipa zoos (DataFree 9e79fa9 for ADI
# and CMI, Fast-Datafree 0dcecbc for Fast) share on WRN-40-2 -> WRN-16-1:
# 200 epochs of a synthesis round and ep_steps = kd_steps = 400 student
# steps on the image pool (crop + flip), synthesis batches of 256, the
# student batch of 256, the zoo's student SGD + cosine, a validation every
# 10 epochs, and pool pixels truncated to uint8 as the zoos' PNGs (the
# default `pool_rounding='truncate'`). Each method sets its type, synthesizer and what else differs.
_base_ = [
    '../pairs/wrn-40-2_wrn-16-1_cifar10.py',
    '../inversion_runtime.py',
    '../schedules/zju_datafree_sgd_cosine.py',
]

max_iters = 200 * 400

model = dict(
    batch_size=256,
    round_interval=400,
    pool_augment=dict(padding=4, flip=True),
    synthesizer=dict(batch_size=256))

auto_scale_lr = dict(base_batch_size=256)

train_cfg = dict(max_iters=max_iters, val_interval=10 * 400)
default_hooks = dict(checkpoint=dict(interval=4000, max_keep_ckpts=2))
