# The settings of the NAYER demo, LeNet-5-BN -> LeNet-5-half shortened to
# minutes on 2 CPU cores, without evaluation data: its digits, MNIST and
# Fashion-MNIST configs add their split (_base_/datasets/) and their teacher.
# What differs from the authors' recipe is said next to each setting;
# configs/nayer/nayer_lenet5-bn_lenet5-half_1xb256_digits.py names the recipe.
_base_ = ['./inversion_lenet5-demo.py']

model = dict(
    type='NAYER',
    # 2 warm-up epochs of 5 loops instead of 20 of 10; 2 loops per 50
    # student steps instead of per 400 (20 epochs after the warm-up instead
    # of 100 to 300); the generator rebuilt every 10 epochs as the code
    warmup_epochs=2,
    warmup_loops=5,
    loops=2,
    generator_life=10,
    round_interval=50,
    synthesizer=dict(
        # 200 images per loop (20 per class) instead of 400; 10 generator
        # steps instead of 30 (CIFAR-10) or 40 (CIFAR-100)
        batch_size=200,
        steps=10,
        lr_g=4e-3,
        augment=dict(type='crop_flip', padding=4, flip=False),
        # digits have no text embeddings: seeded Gaussian rows of 64
        # dimensions instead of CLIP's 512, noisy layers of 100 outputs
        # instead of 1000, and the zoo's generator narrower (64/32/16
        # channels instead of 128/128/64), as the Fast demo's
        generator=dict(
            label_embeddings=dict(type='random', dim=64, seed=0),
            noise_dim=100,
            trunk=dict(
                type='PixelGenerator',
                seed_channels=64,
                hidden_channels=(32, 16))),
        # batch-norm weight 0.1 instead of 10, as the Fast demo: the
        # LeNet-5-BN's statistics loss is about 50 even on real digits
        losses=dict(
            bn=dict(type='BatchNormStatisticsLoss', loss_weight=0.1),
            onehot=dict(type='LabelCrossEntropy', loss_weight=0.5),
            adversarial=dict(type='AgreementMaskedKL', loss_weight=-1.33))),
)

optim_wrapper = dict(student=dict(optimizer=dict(lr=0.2)))
param_scheduler = dict(student=dict(eta_min=0.0002))
