# The settings of the DeepInversion demo, LeNet-5 -> LeNet-5-half shortened to
# minutes on 2 CPU cores, without evaluation data: its digits, MNIST and
# Fashion-MNIST configs add their split (_base_/datasets/) and their teacher.
# What differs from the authors' recipe is said next to each setting;
# configs/deepinversion/deepinversion_lenet5-bn_lenet5-half_1xb256_digits.py
# names the recipe.
_base_ = ['./inversion_lenet5-demo.py']

model = dict(
    type='DeepInversion',
    # offline: 20 batches of 256 before the first student step
    round_interval=None,
    warmup_rounds=20,
    synthesizer=dict(
        # 100 steps per batch instead of 2,000
        steps=100,
        lr=0.05,
        betas=(0.9, 0.999),
        augment=dict(type='jitter_flip', max_shift=2, flip=False),
        labels='cycle',
        clip=False,
        # batch-norm weight 0.1 instead of 10: the LeNet-5-BN's statistics
        # loss is about 50 even on real digits (its third BN layer sees
        # 1 x 1 maps), and at 10 it drowns the class term
        losses=dict(
            bn=dict(type='BatchNormStatisticsLoss', loss_weight=0.1),
            onehot=dict(type='LabelCrossEntropy', loss_weight=1.0),
            tv=dict(
                type='TotalVariationPrior',
                form='norm',
                image='augmented',
                loss_weight=2.5e-5))),
)
