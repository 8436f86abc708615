# DeepInversion in the paper's offline form on the embedded digits:
# LeNet-5-BN teacher -> LeNet-5-half student. First every batch is inverted
# from the teacher (batch-norm statistics, class cross-entropy, total
# variation; no student term) into the image pool (work_dir/image_pool),
# then the student distils on the whole pool. No training image is read.
#   python tools/train.py configs/deepinversion/deepinversion_lenet5-bn_lenet5-half_1xb256_digits.py
# Synthesis follows NVlabs/DeepInversion 2413af1 (cifar10/
# deepinversion_cifar10.py: Adam 0.05 with betas (0.9, 0.999), jitter 2 px
# without flip, labels 0..9 cycled, no clipping, TV as the sum of unsquared
# norms on the jittered batch, 2,000 steps per batch); NVlabs released no
# CIFAR distillation, so the student part is the zju-vipa zoo's (SGD 0.1,
# cosine, KL at T=20). What this CPU demo shortens is listed below.
_base_ = ['../_base_/recipes/inversion_digits_demo.py']

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
