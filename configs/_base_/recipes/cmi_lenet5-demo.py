# The settings of the CMI demo, LeNet-5 -> LeNet-5-half shortened to minutes
# on 2 CPU cores, without evaluation data: its digits, MNIST and Fashion-MNIST
# configs add their split (_base_/datasets/) and their teacher. What differs
# from the authors' recipe is said next to each setting;
# configs/cmi/cmi_lenet5-bn_lenet5-half_1xb128_digits.py names the recipe.
_base_ = ['./inversion_lenet5-demo.py']

model = dict(
    type='CMI',
    batch_size=128,
    # a round per 50 student steps instead of 400 (20 rounds, not 200)
    round_interval=50,
    synthesizer=dict(
        # 50 steps per round instead of 200
        steps=50,
        augment=dict(type='crop_flip', padding=4, flip=False),
        # the zoo's generator, narrower (64/32/16 channels instead of
        # 128/128/64, 100 latent dimensions instead of 256)
        generator=dict(
            type='PixelGenerator',
            latent_dim=100,
            seed_channels=64,
            hidden_channels=(32, 16)),
        # a bank of 5,120 features (20 rounds) instead of 40,960, 1,024
        # negatives instead of 4,096
        bank_size=5120,
        negatives=1024,
        # batch-norm weight 0.01 instead of 1: the LeNet-5-BN's statistics
        # loss is about 50 even on real digits (its third BN layer sees
        # 1 x 1 maps) and drowns the class term
        losses=dict(
            bn=dict(type='BatchNormStatisticsLoss', loss_weight=0.01),
            onehot=dict(type='LabelCrossEntropy', loss_weight=1.0),
            adversarial=dict(type='AgreementMaskedKL', loss_weight=-0.5))),
)
