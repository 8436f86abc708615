# The settings of the ADI demo, LeNet-5 -> LeNet-5-half shortened to minutes
# on 2 CPU cores, without evaluation data: its digits, MNIST and Fashion-MNIST
# configs add their split (_base_/datasets/) and their teacher. What differs
# from the authors' recipe is said next to each setting;
# configs/deepinversion/adi_lenet5-bn_lenet5-half_1xb256_digits.py names the
# recipe.
_base_ = ['./inversion_lenet5-demo.py']

model = dict(
    type='ADI',
    # 50 student steps per round instead of 400
    round_interval=50,
    synthesizer=dict(
        # 100 steps per round instead of 1,000
        steps=100,
        augment=dict(type='jitter_flip', max_shift=4, flip=False),
        # batch-norm weight 0.1 instead of 10: the LeNet-5-BN's statistics
        # loss is about 50 even on real digits (its third BN layer sees
        # 1 x 1 maps), and at 10 it drowns the class term (the teacher then
        # agrees with 13% of the labels after 1,000 steps)
        losses=dict(
            bn=dict(type='BatchNormStatisticsLoss', loss_weight=0.1),
            onehot=dict(type='LabelCrossEntropy', loss_weight=1.0),
            tv=dict(
                type='TotalVariationPrior',
                form='mean_abs',
                image='synthesized',
                loss_weight=1e-3),
            competition=dict(
                type='JensenShannonCompetition',
                tau=3.0,
                form='zju',
                loss_weight=-1.0))),
)
