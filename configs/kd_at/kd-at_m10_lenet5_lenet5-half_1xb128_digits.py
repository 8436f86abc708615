# The few-shot KD+AT baseline of ZSKT (Micaelli & Storkey, NeurIPS 2019;
# code polo5/FewShotKnowledgeTransfer) on the embedded digits: LeNet-5
# teacher -> LeNet-5-half student, trained on M = 10 real labelled images
# per class. Choose M with (the schedule follows it):
#   python tools/train.py configs/kd_at/kd-at_m10_lenet5_lenet5-half_1xb128_digits.py \
#       --cfg-options train_dataloader.dataset.num_per_class=5
_base_ = [
    '../_base_/pairs/lenet5_lenet5-half_digits.py',
    '../_base_/datasets/digits.py',
    '../_base_/schedules/kd-at_sgd_fractional.py',
]

model = dict(
    type='KDAT',
    kt_mode='KD+AT',
    alpha=0.9,
    temperature=4.0,
    beta=1000.0,
    # The outputs of the first two stages (14 x 14 and 5 x 5 maps, equal in
    # teacher and student); the third stage's map is 1 x 1, whose attention
    # map is the constant 1.
    at_pairs=[
        ('backbone.stages.0', 'backbone.stages.0'),
        ('backbone.stages.1', 'backbone.stages.1'),
    ],
)

train_dataloader = dict(
    batch_size=128,
    num_workers=0,
    dataset=dict(
        type='ClassBalancedSubset',
        num_per_class=10,  # M; the subset is drawn with the run's seed
        dataset=dict(
            type='Digits',
            split='train',
            pipeline=[dict(type='mmpretrain.PackInputs')])),
    sampler=dict(type='DefaultSampler', shuffle=True),
)

# The released code's schedule: SGD 0.1, momentum 0.9, weight decay 5e-4,
# lr x 0.2 at 30%, 60% and 80% of the run, and as many images as the
# full-data recipe (configs/teachers/lenet5_1xb64_digits.py: 30 epochs of
# the 1,347 training images), i.e. floor(30 x 1347 / (10 x M)) epochs of
# the subset (404 at M = 10).
train_cfg = dict(base_epochs=30, val_interval=5)

val_evaluator = [
    dict(type='mmpretrain.Accuracy', topk=(1, )),
    dict(type='TeacherReference'),
]
test_evaluator = val_evaluator
default_hooks = dict(
    logger=dict(interval=10),
    # the last epoch only: the number of epochs depends on M
    checkpoint=dict(interval=-1, save_last=True))
