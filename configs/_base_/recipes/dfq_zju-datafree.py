# DFQ as zju-vipa/DataFree 9e79fa9 runs it
# (scripts/dfq/dfq_cifar10_wrn402_wrn161.sh, listed with the code lines and
# the iteration count in the header of
# configs/dfq/dfq_wrn-40-2_wrn-16-1_1xb256_cifar10.py): WRN-40-2 ->
# WRN-16-1, one GPU x 256, 8,000 rounds of one generator and 10 student
# steps. The leaves add their evaluation split
# (_base_/datasets/) and, for other networks, their teacher
# and student.
_base_ = ['./zju-datafree_generator.py']

kd_steps = 10
rounds_per_epoch = 400 // kd_steps  # ep_steps // kd_steps = 40
max_iters = 200 * rounds_per_epoch  # 8,000

model = dict(
    type='DFQ',
    # bn 1, oh 1, adv 1 (a negative KL), balance 20 (natural log); act 0
    generator_losses=dict(
        bn=dict(type='BatchNormStatisticsLoss', loss_weight=1.0),
        onehot=dict(type='OnehotLikeLoss', loss_weight=1.0),
        adversarial=dict(
            type='KLDivergence',
            tau=1.0,
            reduction='batchmean',
            loss_weight=-1.0),
        balance=dict(
            type='InformationEntropyLoss',
            log_base=2.718281828459045,
            loss_weight=20.0)),
    student_steps=kd_steps,
)

train_cfg = dict(max_iters=max_iters, val_interval=10 * rounds_per_epoch)
default_hooks = dict(checkpoint=dict(interval=1000))
