# DFQ as the zju-vipa DataFree zoo runs it, WRN-40-2 -> WRN-16-1 on
# CIFAR-10, one GPU x 256 generated images.
# Train the teacher first:
#   python tools/train.py configs/teachers/wrn-40-2_1xb128_cifar10.py
# then publish it (tools/model_converters/publish_model.py) to
# checkpoints/wrn-40-2_1xb128_cifar10.pth (_base_/pairs/ names it), and
#   python tools/train.py configs/dfq/dfq_wrn-40-2_wrn-16-1_1xb256_cifar10.py
# Evaluation reads data/cifar10/cifar-10-batches-py; training reads nothing.
# Source: zju-vipa/DataFree 9e79fa9 (= zju-vipa/CMI),
# scripts/dfq/dfq_cifar10_wrn402_wrn161.sh: --method dfq --batch_size 256
# --lr 0.1 --epochs 200 --kd_steps 10 --ep_steps 400 --g_steps 1 --lr_g 1e-3
# --adv 1 --T 20 --bn 1 --oh 1 --act 0 --balance 20, run by datafree_kd.py
# (LargeGenerator with nz 256, lines 255-257; KL at T 1, line 259: the
# script's --T 20 is ignored; SGD momentum 0.9, weight decay 1e-4, cosine
# over the 200 epochs, lines 287-290) and datafree/synthesis/generative.py
# lines 52-79: a generator step on bn x BNS + oh x CE(t, argmax t) + adv x
# (-KL(T || S)) + balance x sum p ln p with the student in eval mode and
# Adam betas (0.5, 0.999), then kd_steps student steps each on a fresh batch
# from the generator in eval mode.
# Iterations: an epoch is ep_steps // kd_steps = 400 // 10 = 40 rounds of
# (1 generator step, 10 student steps), one round per iteration here, so
# 200 x 40 = 8,000 iterations (80,000 student steps).
# The DataFree README reports teacher 94.87, student on data 91.12 and DFQ
# 86.14 for this pair (its numbers, not ours).
# What differs from the zoo's run, and why:
#   - the student's cosine is stepped every iteration (to 0 at 8,000)
#     instead of once per epoch: the loop is iteration based;
#   - the generator's images are normalised with mmpretrain's CIFAR-10
#     statistics (the same values as the zoo's, to 4 digits);
#   - the final student is evaluated, not the best test checkpoint (the zoo
#     keeps the best on the test set); validation every 10 epochs instead
#     of every epoch.
# Teacher file: the project's WRN-40-2 is trained by ZSKT's WRN recipe
# (configs/teachers/wrn-40-2_1xb128_cifar10.py); the zoo's own WRN-40-2
# (cifar10_wrn40_2.pth, the DataFree README's "Dropbox-Models (266 MB)" link)
# is the same network and converts to teacher_ckpt with
#   python tools/model_converters/zju_vipa_to_mmpretrain.py checkpoints/pretrained/cifar10_wrn40_2.pth checkpoints/wrn-40-2_1xb128_cifar10.pth
_base_ = [
    '../_base_/recipes/dfq_zju-datafree.py',
    '../_base_/datasets/cifar10.py',
]
