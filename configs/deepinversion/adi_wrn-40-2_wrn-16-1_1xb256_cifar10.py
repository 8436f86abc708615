# Adaptive DeepInversion as the zju-vipa zoo runs its "deepinv" method,
# WRN-40-2 -> WRN-16-1 on CIFAR-10, one GPU x 256.
#   python tools/train.py configs/deepinversion/adi_wrn-40-2_wrn-16-1_1xb256_cifar10.py
# Evaluation reads data/cifar10/cifar-10-batches-py; training reads nothing.
# Source: zju-vipa/DataFree 9e79fa9,
# scripts/deepinv/deepinv_cifar10_wrn402_wrn161.sh (--batch_size 256 --lr 0.1
# --epochs 200 --kd_steps 400 --ep_steps 400 --g_steps 1000 --lr_g 0.1
# --adv 1 --bn 10 --oh 1 --T 20) and datafree_kd.py lines 247-254 (tv 1e-3,
# l2 0, synthesis batch = batch 256): per epoch one round of 1,000 Adam
# steps (betas 0.5, 0.99) on a batch of pixels, then 400 student steps with
# KL at T=20 on the pool; SGD momentum 0.9, weight decay 1e-4, cosine (here
# over the 80,000 student steps, there per epoch). The zoo's "deepinv" runs
# with --adv 1 are this ADI loop.
# Reported by the DataFree README (theirs, not ours): DeepInv-2k 83.04 on
# this pair (16.9 h), teacher 94.87.
_base_ = [
    '../_base_/datasets/cifar10_data_free.py',
    '../_base_/inversion_runtime.py',
    '../_base_/schedules/zju_datafree_sgd_cosine.py',
]

max_iters = 200 * 400

model = dict(
    type='ADI',
    teacher=dict(
        cfg_path='{{ fileDirname }}/../teachers/wrn-40-2_1xb128_cifar10.py'),
    teacher_ckpt='checkpoints/wrn-40-2_1xb128_cifar10.pth',
    student=dict(
        cfg_path='{{ fileDirname }}/../teachers/wrn-16-1_1xb128_cifar10.py'),
    input_shape=(3, 32, 32),
    batch_size=256,
    round_interval=400,
    pool_augment=dict(padding=4, flip=True),
    # the class defaults are this script's: 1,000 steps at lr 0.1, roll up
    # to 4 px + flip, clip, random sorted labels, bn 10, oh 1, tv 1e-3 on
    # the unjittered batch, competition -1 (JS at T=3)
    synthesizer=dict(batch_size=256, steps=1000, lr=0.1),
)

auto_scale_lr = dict(base_batch_size=256)

train_cfg = dict(
    type='DataFreeTrainLoop', max_iters=max_iters, val_interval=10 * 400)
val_cfg = dict()
test_cfg = dict()
default_hooks = dict(checkpoint=dict(interval=4000, max_keep_ckpts=2))
