# The few-shot KD+AT baseline of ZSKT's Table 1 (Micaelli & Storkey,
# NeurIPS 2019; code polo5/FewShotKnowledgeTransfer): WRN-40-2 -> WRN-16-1
# on M = 200 CIFAR-10 training images per class, KD (alpha 0.9, T 4) plus
# attention transfer (beta 1000) on the three group outputs.
# Train and publish the teacher first, as for ZSKT:
#   python tools/train.py configs/teachers/wrn-40-2_1xb128_cifar10.py
#   python tools/train.py configs/kd_at/kd-at_m200_wrn-40-2_wrn-16-1_1xb128_cifar10.py
# Other M: --cfg-options train_dataloader.dataset.num_per_class=M (the
# schedule follows it).
_base_ = [
    '../_base_/pairs/wrn-40-2_wrn-16-1_cifar10.py',
    '../_base_/datasets/cifar10_train.py',
    '../_base_/schedules/kd-at_sgd_fractional.py',
]

model = dict(
    type='KDAT',
    kt_mode='KD+AT',
    alpha=0.9,
    temperature=4.0,
    beta=1000.0,
    at_pairs=[
        ('backbone.group1', 'backbone.group1'),
        ('backbone.group2', 'backbone.group2'),
        ('backbone.group3', 'backbone.group3'),
    ],
)

# crop-and-flip CIFAR-10 of the teacher recipes, M images of every class
# drawn with the run's seed; no workers, which would be started again for
# every (short) epoch of the subset
train_dataloader = dict(
    batch_size=128,
    num_workers=0,
    dataset=dict(
        _delete_=True,
        type='ClassBalancedSubset',
        num_per_class=200,
        dataset={{_base_.train_dataloader.dataset}}),
)

# SGD 0.1, momentum 0.9, weight decay 5e-4, lr x 0.2 at 30/60/80% of the
# run; the full-data recipe's 200 epochs of 50,000 images become
# floor(200 x 50000 / (10 x M)) epochs of the subset (5,000 at M = 200).
train_cfg = dict(base_epochs=200, val_interval=10)

val_evaluator = [
    dict(type='mmpretrain.Accuracy', topk=(1, )),
    dict(type='TeacherReference'),
]
test_evaluator = val_evaluator
# every 250 epochs of the subset: 10 full-data epochs at M = 200
default_hooks = dict(checkpoint=dict(interval=250))
