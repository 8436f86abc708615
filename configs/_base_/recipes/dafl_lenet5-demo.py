# The settings of the DAFL demo, LeNet-5 -> LeNet-5-half shortened to minutes
# on 2 CPU cores, without evaluation data: its digits, MNIST and Fashion-MNIST
# configs add their split (_base_/datasets/) and their teacher. What differs
# from the authors' recipe is said next to each setting;
# configs/dafl/dafl_lenet5_lenet5-half_1xb256_digits.py names the recipe.
_base_ = [
    '../pairs/lenet5_lenet5-half_digits.py',
    '../data_free_runtime.py',
]

max_iters = 1000

model = dict(
    type='DAFL',
    # narrower than DAFL's 128/64 channels, as in the ZSKT digits demo:
    # digits are 8x8 images upsampled, and this keeps the demo in minutes
    generator=dict(
        type='DAFLGenerator',
        latent_dim=100,
        seed_channels=32,
        hidden_channels=(32, 16)),
    # the released MNIST weights (oh 1, ie 5, a 0.1)
    generator_losses=dict(
        onehot=dict(type='OnehotLikeLoss', loss_weight=1.0),
        entropy=dict(
            type='InformationEntropyLoss', log_base=10, loss_weight=5.0),
        activation=dict(type='ActivationLoss', loss_weight=0.1)),
    feature_layer='neck',
    # 256 instead of 512: half the cost per iteration on 2 CPU cores
    batch_size=256,
)

optim_wrapper = dict(
    constructor='SeparateOptimWrapperConstructor',
    generator=dict(
        type='DeviceOptimWrapper', optimizer=dict(type='Adam', lr=0.2)),
    student=dict(
        type='DeviceOptimWrapper', optimizer=dict(type='Adam', lr=2e-3)),
)
# the released MNIST recipe keeps both learning rates constant
param_scheduler = []

train_cfg = dict(max_iters=max_iters, val_interval=250)
default_hooks = dict(
    logger=dict(interval=50), checkpoint=dict(interval=max_iters))
custom_hooks = [
    dict(type='DistillSummaryHook'),
    dict(type='SyntheticSamplesHook', interval=250),
]
