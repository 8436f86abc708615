# ZSKT as MMRazor 1.0 runs it: its config
# configs/distill/mmcls/zskt/zskt_backbone_logits_resnet34_resnet18_8xb16_cifar10.py
# (open-mmlab/mmrazor 90c7af1), setting by setting, on ResNet-34 -> ResNet-18
# (mmpretrain ResNet_CIFAR) and CIFAR-10. MMRazor reports teacher 95.34,
# student on data 94.82 and 93.05 top-1 for it (MMRazor's numbers, not ours).
#   bash tools/dist_train.sh configs/zskt/zskt_backbone_logits_r34_r18_8xb16_cifar10_mmrazor.py 8
# Differences from the paper's recipe (zskt_logits_r34_r18_8xb256_cifar10.py),
# each a value below:
#   - latent 256 instead of 100 (same 128 / 128 / 64 generator widths, final
#     BN with learnable affine parameters);
#   - fresh noise for the generator step and for every student step
#     (`student_batch='fresh'`) instead of one batch per iteration;
#   - KL weight 2 for the student and -2 for the generator (element-wise
#     mean, tau 1) instead of 1 / -1;
#   - attention transfer (weight 250) on the four ResNet stage outputs (what
#     MMRazor's recorders `layerN.<last block>.relu`, record_idx=1, capture);
#   - student SGD lr 0.1, momentum 0.9, weight decay 5e-4 and generator Adam
#     1e-3, both decayed x0.1 at 5k and 10k iterations, no gradient clipping,
#     instead of Adam 2e-3 / 1e-3, cosine to 0 and clipping at 5;
#   - 25k iterations of 8 GPUs x 16 images instead of 80k of 128.
# One difference from MMRazor is kept on purpose: MMRazor's generator step
# also fills the student's gradients, which its next student step applies;
# here the student never receives generator gradients (tested).
_base_ = [
    '../_base_/pairs/r34_r18_cifar10.py',
    '../_base_/datasets/cifar10.py',
    '../_base_/data_free_runtime.py',
]

max_iters = 25000

model = dict(
    type='ZSKT',
    generator=dict(
        type='ZSKTGenerator',
        latent_dim=256,
        seed_channels=128,
        hidden_channels=(128, 64),
        out_bn_affine=True),
    batch_size=16,
    generator_steps=1,
    student_steps=10,
    student_batch='fresh',
    student_loss=dict(
        type='KLDivergence', tau=1.0, reduction='mean', loss_weight=2.0),
    generator_loss=dict(
        type='KLDivergence', tau=1.0, reduction='mean', loss_weight=-2.0),
    at_loss=dict(type='AttentionTransferLoss', loss_weight=250.0),
    at_pairs=[
        ('backbone.layer1', 'backbone.layer1'),
        ('backbone.layer2', 'backbone.layer2'),
        ('backbone.layer3', 'backbone.layer3'),
        ('backbone.layer4', 'backbone.layer4'),
    ],
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
        type='MultiStepLR',
        milestones=[5000, 10000],
        gamma=0.1,
        by_epoch=False),
    student=dict(
        type='MultiStepLR',
        milestones=[5000, 10000],
        gamma=0.1,
        by_epoch=False),
)
# The learning rates above are for 8 x 16 = 128 images per step;
# --auto-scale-lr rescales them linearly for another global batch. (MMRazor's
# file says base_batch_size=16, which, if enabled, would multiply its own
# 8 x 16 run's learning rates by 8; it is not enabled there.)
auto_scale_lr = dict(base_batch_size=128)

train_cfg = dict(max_iters=max_iters, val_interval=250)

default_hooks = dict(
    logger=dict(interval=50), checkpoint=dict(interval=100, max_keep_ckpts=2))
