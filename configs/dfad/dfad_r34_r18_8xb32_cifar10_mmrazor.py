# DFAD as MMRazor 1.0 runs it: its config
# configs/distill/mmcls/dfad/dfad_logits_resnet34_resnet18_8xb32_cifar10.py
# (open-mmlab/mmrazor 90c7af1), setting by setting, on ResNet-34 -> ResNet-18
# (mmpretrain ResNet_CIFAR) and CIFAR-10. MMRazor reports teacher 95.34,
# student on data 94.82 and 92.80 top-1 for it (MMRazor's numbers, not
# ours).
#   bash tools/dist_train.sh configs/dfad/dfad_r34_r18_8xb32_cifar10_mmrazor.py 8
# The teacher is mmpretrain's zoo checkpoint (the one MMRazor loads by URL);
# put it at the path _base_/pairs/r34_r18_cifar10.py names or pass its URL
# as model.teacher_ckpt:
#   https://download.openmmlab.com/mmclassification/v0/resnet/resnet34_b16x8_cifar10_20210528-a8aa36a6.pth
# Differences from the released recipe (dfad_r34_r18_1xb256_cifar10.py),
# each a value below:
#   - 8 GPUs x 32 images instead of one GPU x 256: the same 256 images per
#     step, but every batch norm (generator, student) sees 32;
#   - AdamW 1e-3 (torch defaults: weight decay 0.01) for the generator
#     instead of Adam 1e-3;
#   - both rates x0.1 at iterations 5,000 / 10,000 (by iteration) instead
#     of the released script's 4,950 / 9,950.
# Same as the released recipe: latent 256, generator BN eps 1e-5, 5 student
# steps on fresh batches before each generator step, L1 on the logits
# (+1 for the student, -1 for the generator), the student in train mode in
# the generator step, SGD 0.1 / 0.9 / 5e-4, 25k iterations.
# Differences from MMRazor kept on purpose: MMRazor's generator step also
# fills the student's gradients (wrong sign), which mmengine's
# update_params applies at its next first student step; here the student
# never receives generator gradients. The --auto-scale-lr base is the run's
# global batch, 256 (MMRazor writes 32, which would multiply its own
# 8 x 32 run's rates by 8 if enabled; it is not enabled there).
_base_ = [
    '../_base_/pairs/r34_r18_cifar10.py',
    '../_base_/datasets/cifar10.py',
    '../_base_/data_free_runtime.py',
]

iter_size = 50
max_iters = 500 * iter_size  # 25,000

model = dict(
    type='DFAD',
    generator=dict(
        type='DAFLGenerator',
        latent_dim=256,
        seed_channels=128,
        hidden_channels=(128, 64),
        hidden_bn_eps=1e-5),
    generator_losses=dict(adversarial=dict(type='L1Logits', loss_weight=-1.0)),
    student_loss=dict(type='L1Logits', loss_weight=1.0),
    batch_size=32,
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
        type='DeviceOptimWrapper', optimizer=dict(type='AdamW', lr=1e-3)),
    student=dict(
        type='DeviceOptimWrapper',
        optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=5e-4)),
)
param_scheduler = dict(
    generator=dict(
        type='MultiStepLR',
        milestones=[100 * iter_size, 200 * iter_size],
        gamma=0.1,
        by_epoch=False),
    student=dict(
        type='MultiStepLR',
        milestones=[100 * iter_size, 200 * iter_size],
        gamma=0.1,
        by_epoch=False),
)
auto_scale_lr = dict(base_batch_size=256)

train_cfg = dict(max_iters=max_iters, val_interval=250)
default_hooks = dict(
    logger=dict(interval=50), checkpoint=dict(interval=100, max_keep_ckpts=2))
