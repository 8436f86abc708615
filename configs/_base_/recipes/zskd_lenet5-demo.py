# The settings of the ZSKD demo, LeNet-5 -> LeNet-5-half shortened to minutes
# on 2 CPU cores, without evaluation data: its digits, MNIST and Fashion-MNIST
# configs add their split (_base_/datasets/) and their teacher. What differs
# from the authors' recipe is said next to each setting;
# configs/zskd/zskd_lenet5_lenet5-half_1xb64_digits.py names the recipe.
_base_ = ['../default_runtime.py']

model = dict(
    type='ZSKD',
    teacher=dict(cfg_path='{{ fileDirname }}/../models/lenet5_digits.py'),
    teacher_ckpt='checkpoints/lenet5_1xb64_digits-fe2ed308.pth',
    student=dict(cfg_path='{{ fileDirname }}/../models/lenet5-half_digits.py'),
    tau=20.0,
    relabel=True,
)

# Stage 1: 600 impressions per class, half at beta 1.0 and half at 0.1,
# shards of 100, 150 Adam steps each (far fewer than the released code's
# 1,500: within the CPU demo's budget more impressions helped more than
# longer optimisation, see configs/zskd/README.md).
synthesis = dict(
    input_shape=(1, 32, 32),
    per_class=600,
    betas=(1.0, 0.1),
    beta_fractions=(0.5, 0.5),
    shard_size=100,
    iterations=150,
    lr=0.01,
    tau=20.0,
    range_mode='clamp',
    released_code=False,
)

# Stage 2: the student on the impressions, relabelled by the teacher after
# augmentation.
train_pipeline = [
    dict(
        type='mmpretrain.Translate',
        magnitude=0.2,
        prob=0.5,
        direction='horizontal',
        pad_val=0),
    dict(
        type='mmpretrain.Translate',
        magnitude=0.2,
        prob=0.5,
        direction='vertical',
        pad_val=0),
    dict(type='mmpretrain.Rotate', angle=15.0, prob=0.5, pad_val=0),
    dict(type='GaussianNoise', std=10.0, prob=0.3),
    dict(type='SaltPepperNoise', amount=0.02, prob=0.3),
    dict(type='mmpretrain.PackInputs'),
]
train_dataloader = dict(
    batch_size=64,
    num_workers=0,
    dataset=dict(
        type='DataImpressions',
        data_root=None,  # set to the synthesis output by the train loop
        teacher_ckpt='checkpoints/lenet5_1xb64_digits-fe2ed308.pth',
        pipeline=train_pipeline),
    sampler=dict(type='DefaultSampler', shuffle=True),
)

optim_wrapper = dict(optimizer=dict(type='Adam', lr=1e-3))
param_scheduler = dict(type='CosineAnnealingLR', by_epoch=True)
# 80 epochs: seed 0 ended at 96.00 after 50 and at 96.67 after 80 on the
# same impressions (configs/zskd/README.md).
# stage 1 (the impressions, unless finished) runs as the loop is built
train_cfg = dict(
    type='SynthesizedDataTrainLoop',
    synthesizer=dict(type='ImpressionSynthesis'),
    max_epochs=80,
    val_interval=10)
val_cfg = dict()
test_cfg = dict()

val_evaluator = [
    dict(type='mmpretrain.Accuracy', topk=(1, )),
    dict(type='TeacherReference'),
]
test_evaluator = val_evaluator
default_hooks = dict(logger=dict(interval=10), checkpoint=dict(interval=20))
custom_hooks = [dict(type='DistillSummaryHook')]
