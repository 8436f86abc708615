# CMI on the embedded digits: LeNet-5-BN teacher -> LeNet-5-half student.
# Each round re-initialises a generator and inverts the teacher with a
# contrastive term against the memory bank of earlier rounds' features;
# the batches go to the image pool (work_dir/image_pool) and the student
# distils on the pool. No training image is read.
#   python tools/train.py configs/cmi/cmi_lenet5-bn_lenet5-half_1xb128_digits.py
# The zoo's recipe (zju-vipa/DataFree 9e79fa9,
# scripts/cmi/scratch_cmi_cifar10_wrn402_wrn161.sh): synthesis batch 256 of
# 200 steps at lr_g 1e-3, bn 1, oh 1, adv 0.5, cr 0.8, cr_T 0.1, head 256,
# bank 40,960 with 4,096 negatives, student batch 128, 400 student steps per
# round, 200 rounds, SGD 0.1 with cosine, KL at T=20; what this CPU demo
# changes is listed below.
_base_ = ['../_base_/recipes/inversion_digits_demo.py']

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
