# Fast-5 (Fang et al., AAAI 2022) as its authors run it, WRN-40-2 ->
# WRN-16-1 on CIFAR-10, one GPU x 256.
#   python tools/train.py configs/fast/fast-5_wrn-40-2_wrn-16-1_1xb256_cifar10.py
# Evaluation reads data/cifar10/cifar-10-batches-py; training reads nothing.
# Source: zju-vipa/Fast-Datafree 0dcecbc, scripts/fast_cifar.sh (the WRN
# lines: --adv 1.1 --bn 10.0 --oh 0.4 --bn_mmt 0.9 --warmup 20 --epochs 220
# --kd_steps 400 --ep_steps 400 --batch_size 256 --lr 0.2 --T 20 --g_steps 5
# --lr_z 0.01 --lr_g 3e-3 --is_maml 1 --reset_l0 1; "modify --dataset (and
# nothing else) to apply to CIFAR10") and datafree_kd.py lines 322-324
# (SGD momentum 0.9, weight decay 1e-4, cosine over 200 epochs to 2e-4,
# stepped after the warm-up only).
# Here: 20 warm-up rounds of synthesis only, then 200 x 400 = 80,000
# student steps with a round before every 400th; the cosine runs over the
# student steps (the zoo steps it per epoch after the warm-up). Reported by
# the Fast README (theirs, not ours): 88.36 / 88.90 / 89.29 for Fast-2/5/10
# on this pair, teacher 94.87.
# Teacher file: the project's WRN-40-2 is trained by ZSKT's WRN recipe
# (configs/teachers/wrn-40-2_1xb128_cifar10.py); the zoo's own WRN-40-2
# (cifar10_wrn40_2.pth, the DataFree README's "Dropbox-Models (266 MB)" link)
# is the same network and converts to teacher_ckpt with
#   python tools/model_converters/zju_vipa_to_mmpretrain.py checkpoints/pretrained/cifar10_wrn40_2.pth checkpoints/wrn-40-2_1xb128_cifar10.pth
_base_ = [
    '../_base_/recipes/fast-5_fast-datafree.py',
    '../_base_/datasets/cifar10.py',
]
