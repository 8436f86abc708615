# CMI as zju-vipa/DataFree 9e79fa9 runs it from scratch
# (scripts/cmi/scratch_cmi_cifar10_wrn402_wrn161.sh, listed with the code
# lines in the header of configs/cmi/cmi_wrn-40-2_wrn-16-1_1xb128_cifar10.py):
# WRN-40-2 -> WRN-16-1, synthesis batch 256, student batch 128, 200 rounds
# of 400 student steps. The leaves add their evaluation split
# (_base_/datasets/) and, for other networks, their teacher,
# student and feature layers.
_base_ = ['./zju-datafree_inversion.py']

model = dict(
    type='CMI',
    batch_size=128,
    synthesizer=dict(
        steps=200,
        lr_g=1e-3,
        generator=dict(type='PixelGenerator', latent_dim=256),
        head_dim=256,
        bank_size=40960,
        negatives=4096,
        contrast_weight=0.8,
        contrast_temperature=0.1,
        losses=dict(
            bn=dict(type='BatchNormStatisticsLoss', loss_weight=1.0),
            onehot=dict(type='LabelCrossEntropy', loss_weight=1.0),
            adversarial=dict(type='AgreementMaskedKL', loss_weight=-0.5))),
)

auto_scale_lr = dict(base_batch_size=128)
