# DAFL as its authors release it (huawei-noah/Efficient-Computing 225ddd2,
# DAFL-train.py and README.md, listed with the code lines in the header of
# configs/dafl/dafl_r34_r18_8xb128_cifar10.py): ResNet-34 -> ResNet-18,
# 8 GPUs x 128 = 1,024 generated images per step, 240,000 iterations, the
# CIFAR-10 loss weights. The leaves add their evaluation split
# (_base_/datasets/) and, for CIFAR-100, its networks and
# loss weights.
_base_ = [
    '../pairs/r34_r18_cifar10.py',
    '../data_free_runtime.py',
]

iters_per_epoch = 120  # the released code's "epoch"
max_iters = 2000 * iters_per_epoch  # 240,000

model = dict(
    type='DAFL',
    generator=dict(type='DAFLGenerator', latent_dim=1000, hidden_bn_eps=0.8),
    generator_losses=dict(
        onehot=dict(type='OnehotLikeLoss', loss_weight=0.05),
        entropy=dict(
            type='InformationEntropyLoss', log_base=10, loss_weight=5.0),
        activation=dict(type='ActivationLoss', loss_weight=0.01)),
    student_loss=dict(type='KLDivergence', tau=1.0, reduction='batchmean'),
    feature_layer='neck',
    batch_size=128,  # per GPU; x 8 GPUs = 1,024
    generator_steps=1,
    student_steps=1,
    student_batch='generator',
)

optim_wrapper = dict(
    constructor='SeparateOptimWrapperConstructor',
    generator=dict(
        type='DeviceOptimWrapper',
        optimizer=dict(type='Adam', lr=0.02, betas=(0.9, 0.999))),
    student=dict(
        type='DeviceOptimWrapper',
        optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=5e-4)),
)
# the released code decays the student only; the generator's rate is
# constant
param_scheduler = dict(
    generator=dict(type='ConstantLR', factor=1.0, by_epoch=False),
    student=dict(
        type='MultiStepLR',
        milestones=[800 * iters_per_epoch, 1600 * iters_per_epoch],
        gamma=0.1,
        by_epoch=False))
# The learning rates above are for 8 x 128 = 1,024 images per step (the
# released batch); --auto-scale-lr rescales them linearly for another one.
auto_scale_lr = dict(base_batch_size=1024)

train_cfg = dict(max_iters=max_iters, val_interval=10 * iters_per_epoch)
default_hooks = dict(checkpoint=dict(interval=12000, max_keep_ckpts=2))
