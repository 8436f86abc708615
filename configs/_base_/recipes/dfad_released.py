# DFAD as its authors release it (VainF/Data-Free-Adversarial-Distillation
# c161591, DFAD_cifar.py, listed with the code lines in the header of
# configs/dfad/dfad_r34_r18_1xb256_cifar10.py): ResNet-34 -> ResNet-18, one
# GPU x 256, 25,000 iterations. The leaves add their evaluation split
# (_base_/datasets/) and, for CIFAR-100, its networks.
_base_ = [
    '../pairs/r34_r18_cifar10.py',
    '../data_free_runtime.py',
]

iters_per_epoch = 50  # the released code's "epoch" (--epoch_itrs)
max_iters = 500 * iters_per_epoch  # 25,000
# MultiStepLR([100, 200]) stepped before each 1-based epoch
milestones = [99 * iters_per_epoch, 199 * iters_per_epoch]  # 4,950 / 9,950

model = dict(
    type='DFAD',
    generator=dict(type='DAFLGenerator', latent_dim=256, hidden_bn_eps=1e-5),
    generator_losses=dict(adversarial=dict(type='L1Logits', loss_weight=-1.0)),
    student_loss=dict(type='L1Logits'),
    batch_size=256,
    generator_steps=1,
    student_steps=5,
    order='student_first',
    student_batch='fresh',
    student_mode_in_generator_step='train',
    generator_mode_for_student='train',
)

optim_wrapper = dict(
    constructor='SeparateOptimWrapperConstructor',
    generator=dict(
        type='DeviceOptimWrapper', optimizer=dict(type='Adam', lr=1e-3)),
    student=dict(
        type='DeviceOptimWrapper',
        optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=5e-4)),
)
param_scheduler = dict(
    generator=dict(
        type='MultiStepLR', milestones=milestones, gamma=0.1, by_epoch=False),
    student=dict(
        type='MultiStepLR', milestones=milestones, gamma=0.1, by_epoch=False),
)
auto_scale_lr = dict(base_batch_size=256)

train_cfg = dict(max_iters=max_iters, val_interval=10 * iters_per_epoch)
default_hooks = dict(checkpoint=dict(interval=2500, max_keep_ckpts=2))
