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
# Reported by the zoo's READMEs (theirs, not ours): 83.04 on this pair,
# teacher 94.87: "DeepInv" in the DataFree README (README.md line 23),
# "DeepInv-2k" (16.9 h), i.e. 2,000 synthesis steps per round, in the Fast
# README (0dcecbc, README.md line 30). This config runs the script's 1,000
# steps (--g_steps 1000, its line 11); no README gives a number for 1,000.
# Teacher file: the project's WRN-40-2 is trained by ZSKT's WRN recipe
# (configs/teachers/wrn-40-2_1xb128_cifar10.py); the zoo's own WRN-40-2
# (cifar10_wrn40_2.pth, the DataFree README's "Dropbox-Models (266 MB)" link)
# is the same network and converts to teacher_ckpt with
#   python tools/model_converters/zju_vipa_to_mmpretrain.py checkpoints/pretrained/cifar10_wrn40_2.pth checkpoints/wrn-40-2_1xb128_cifar10.pth
_base_ = [
    '../_base_/recipes/adi_zju-datafree.py',
    '../_base_/datasets/cifar10.py',
]
