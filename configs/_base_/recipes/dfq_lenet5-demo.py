# The settings of the DFQ demo, LeNet-5 -> LeNet-5-half shortened to minutes
# on 2 CPU cores, without evaluation data: its digits, MNIST and Fashion-MNIST
# configs add their split (_base_/datasets/) and their teacher. What differs
# from the authors' recipe is said next to each setting;
# configs/dfq/dfq_lenet5-bn_lenet5-half_1xb256_digits.py names the recipe.
_base_ = [
    '../pairs/lenet5-bn_lenet5-half_digits.py',
    '../data_free_runtime.py',
    '../schedules/zju_datafree_adam_sgd_cosine.py',
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
