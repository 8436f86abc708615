# Adaptive DeepInversion (the zju-vipa zoo's loop) on the embedded digits:
# LeNet-5-BN teacher -> LeNet-5-half student. Each round optimises a batch
# of pixels against the teacher's BN statistics, class cross-entropy, total
# variation and the JS competition with the student, keeps it in the image
# pool (work_dir/image_pool), then the student takes `round_interval` steps
# on the pool. No training image is read.
#   python tools/train.py configs/deepinversion/adi_lenet5-bn_lenet5-half_1xb256_digits.py
# The zoo's recipe (scripts/deepinv/deepinv_cifar10_wrn402_wrn161.sh):
# 1,000 synthesis steps per round, 400 student steps per round, 200 rounds;
# what this CPU demo shortens is listed below.
_base_ = ['../_base_/recipes/inversion_digits_demo.py']

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
