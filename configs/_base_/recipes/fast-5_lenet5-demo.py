# The settings of the Fast-5 demo, LeNet-5 -> LeNet-5-half shortened to
# minutes on 2 CPU cores, without evaluation data: its digits, MNIST and
# Fashion-MNIST configs add their split (_base_/datasets/) and their teacher.
# What differs from the authors' recipe is said next to each setting;
# configs/fast/fast-5_lenet5-bn_lenet5-half_1xb256_digits.py names the recipe.
_base_ = ['./inversion_lenet5-demo.py']

model = dict(
    type='Fast',
    # 5 warm-up rounds instead of 20, a round per 50 student steps instead
    # of 400 (20 rounds after the warm-up instead of 200)
    warmup_rounds=5,
    round_interval=50,
    synthesizer=dict(
        steps=5,
        lr_g=0.003,
        lr_z=0.01,
        augment=dict(type='crop_flip', padding=4, flip=False),
        # the zoo's generator, narrower (64/32/16 channels instead of
        # 128/128/64, 100 latent dimensions instead of 256)
        generator=dict(
            type='PixelGenerator',
            latent_dim=100,
            seed_channels=64,
            hidden_channels=(32, 16)),
        # the reset of the first layers falls after this short run
        reset_first_layers_at_round=None,
        # batch-norm weight 0.1 instead of 10: the LeNet-5-BN's statistics
        # loss is about 50 even on real digits (its third BN layer sees
        # 1 x 1 maps), and at 10 it drowns the class term
        losses=dict(
            bn=dict(type='BatchNormStatisticsLoss', loss_weight=0.1),
            onehot=dict(type='LabelCrossEntropy', loss_weight=0.5),
            adversarial=dict(type='AgreementMaskedKL', loss_weight=-1.33))),
)

optim_wrapper = dict(student=dict(optimizer=dict(lr=0.2)))
param_scheduler = dict(student=dict(eta_min=0.0002))
