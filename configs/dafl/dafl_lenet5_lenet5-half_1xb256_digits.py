# DAFL on the embedded digits: LeNet-5 teacher -> LeNet-5-half student, the
# pair of DAFL's MNIST experiment. The generator learns from the teacher
# alone (one-hot, information-entropy and activation terms); the student
# distils the teacher on the same batch. No training image is read.
#   python tools/train.py configs/dafl/dafl_lenet5_lenet5-half_1xb256_digits.py
# The released MNIST recipe (DAFL-train.py defaults): batch 512, Adam
# generator 0.2 and student 2e-3 without decay, latent 100, oh 1, ie 5,
# a 0.1, 200 x 120 iterations. What this CPU demo changes is listed below.
_base_ = [
    '../_base_/pairs/lenet5_lenet5-half_digits.py',
    '../_base_/datasets/digits.py',
    '../_base_/data_free_runtime.py',
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
    generator=dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=0.2)),
    student=dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=2e-3)),
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
