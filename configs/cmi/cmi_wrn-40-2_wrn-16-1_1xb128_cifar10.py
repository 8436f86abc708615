# CMI (Fang et al., IJCAI 2021) as its authors run it, WRN-40-2 ->
# WRN-16-1 on CIFAR-10, one GPU, synthesis batch 256, student batch 128.
#   python tools/train.py configs/cmi/cmi_wrn-40-2_wrn-16-1_1xb128_cifar10.py
# Evaluation reads data/cifar10/cifar-10-batches-py; training reads nothing.
# Source: zju-vipa/DataFree 9e79fa9,
# scripts/cmi/scratch_cmi_cifar10_wrn402_wrn161.sh (--batch_size 128
# --synthesis_batch_size 256 --lr 0.1 --kd_steps 400 --ep_steps 400
# --g_steps 200 --lr_g 1e-3 --adv 0.5 --bn 1.0 --oh 1.0 --cr 0.8 --cr_T 0.1
# --T 20, 200 epochs by default) and datafree_kd.py lines 266-281 (the
# zoo's Generator, nz 256, bank 40,960, 4,096 negatives, head 256, every
# BN layer's input as the feature); SGD momentum 0.9, weight decay 1e-4,
# cosine over the epochs (here over the 80,000 student steps).
# Not provided: the adv_cmi script's start from 50,000 pre-inverted images
# (--cmi_init). Reported by the DataFree README (theirs, not ours): 88.82
# from scratch, teacher 94.87.
# Teacher file: the project's WRN-40-2 is trained by ZSKT's WRN recipe
# (configs/teachers/wrn-40-2_1xb128_cifar10.py); the zoo's own WRN-40-2
# (cifar10_wrn40_2.pth, the DataFree README's "Dropbox-Models (266 MB)" link)
# is the same network and converts to teacher_ckpt with
#   python tools/model_converters/zju_vipa_to_mmpretrain.py checkpoints/pretrained/cifar10_wrn40_2.pth checkpoints/wrn-40-2_1xb128_cifar10.pth
_base_ = [
    '../_base_/recipes/cmi_zju-datafree.py',
    '../_base_/datasets/cifar10.py',
]
