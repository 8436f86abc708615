# DFQ (as the zju-vipa zoo runs it) on the embedded digits: a LeNet-5 with
# batch norm as teacher (the generator matches its BN statistics) ->
# LeNet-5-half student. Per iteration one generator step (BN statistics,
# one-hot, adversarial KL and class balance), then student steps on fresh
# batches made by the generator in eval mode. No training image is read.
#   python tools/train.py configs/dfq/dfq_lenet5-bn_lenet5-half_1xb256_digits.py
# The zoo's recipe (scripts/dfq/dfq_cifar10_wrn402_wrn161.sh): batch 256,
# SGD 0.1 (momentum 0.9, weight decay 1e-4, cosine), Adam 1e-3 with betas
# (0.5, 0.999) for the generator, kd_steps 10, adv 1, bn 1, oh 1,
# balance 20. What this CPU demo changes is listed below.
_base_ = [
    '../_base_/pairs/lenet5-bn_lenet5-half_digits.py',
    '../_base_/datasets/digits.py',
    '../_base_/data_free_runtime.py',
    '../_base_/schedules/zju_datafree_adam_sgd_cosine.py',
]

max_iters = 400

model = dict(
    type='DFQ',
    # the zoo's LargeGenerator, narrower (64/32/16 instead of 256/128/64
    # channels) to fit the CPU budget; sigmoid pixels, then the digits
    # normalisation of data_preprocessor
    generator=dict(
        type='DFQGenerator',
        latent_dim=100,
        seed_channels=64,
        hidden_channels=(32, 16)),
    batch_size=256,
    # 5 student steps per generator step instead of 10
    student_steps=5,
)

train_cfg = dict(max_iters=max_iters, val_interval=100)
default_hooks = dict(
    logger=dict(interval=20), checkpoint=dict(interval=max_iters))
custom_hooks = [
    dict(type='DistillSummaryHook'),
    dict(type='SyntheticSamplesHook', interval=100),
]
