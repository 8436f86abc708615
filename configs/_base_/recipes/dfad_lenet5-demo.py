# The settings of the DFAD demo, LeNet-5 -> LeNet-5-half shortened to minutes
# on 2 CPU cores, without evaluation data: its digits, MNIST and Fashion-MNIST
# configs add their split (_base_/datasets/) and their teacher. What differs
# from the authors' recipe is said next to each setting;
# configs/dfad/dfad_lenet5_lenet5-half_1xb256_digits.py names the recipe.
_base_ = [
    '../pairs/lenet5_lenet5-half_digits.py',
    '../data_free_runtime.py',
]

max_iters = 500

model = dict(
    type='DFAD',
    # GeneratorA with nz 100, narrower (32/16 instead of 128/64 channels)
    # as in the ZSKT digits demo, to fit the CPU budget
    generator=dict(
        type='DAFLGenerator',
        latent_dim=100,
        hidden_bn_eps=1e-5,
        seed_channels=32,
        hidden_channels=(32, 16)),
    # 256 instead of 512: half the cost per step on 2 CPU cores
    batch_size=256,
    student_steps=5,
)

optim_wrapper = dict(
    constructor='SeparateOptimWrapperConstructor',
    generator=dict(
        type='DeviceOptimWrapper', optimizer=dict(type='Adam', lr=1e-3)),
    student=dict(
        type='DeviceOptimWrapper',
        optimizer=dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=1e-4)),
)
param_scheduler = []  # the MNIST recipe has no decay

train_cfg = dict(max_iters=max_iters, val_interval=100)
default_hooks = dict(
    logger=dict(interval=20), checkpoint=dict(interval=max_iters))
custom_hooks = [
    dict(type='DistillSummaryHook'),
    dict(type='SyntheticSamplesHook', interval=100),
]
