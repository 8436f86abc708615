# Fast-5 as zju-vipa/Fast-Datafree 0dcecbc scripts/fast_cifar.sh runs it
# (the WRN lines, listed with the code lines in the header of
# configs/fast/fast-5_wrn-40-2_wrn-16-1_1xb256_cifar10.py): WRN-40-2 ->
# WRN-16-1, one GPU x 256, 20 warm-up rounds, then 200 x 400 student steps.
# The leaves add their evaluation split (_base_/datasets/)
# and, for other networks, their teacher, student and loss weights.
_base_ = ['./zju-datafree_inversion.py']

model = dict(
    type='Fast',
    warmup_rounds=20,
    synthesizer=dict(
        steps=5,
        lr_g=3e-3,
        lr_z=0.01,
        meta='fomaml',
        generator=dict(type='PixelGenerator', latent_dim=256),
        bn_momentum=0.9,
        losses=dict(
            bn=dict(type='BatchNormStatisticsLoss', loss_weight=10.0),
            onehot=dict(type='LabelCrossEntropy', loss_weight=0.4),
            adversarial=dict(type='AgreementMaskedKL', loss_weight=-1.1))),
)

optim_wrapper = dict(student=dict(optimizer=dict(lr=0.2)))
param_scheduler = dict(student=dict(eta_min=2e-4))
