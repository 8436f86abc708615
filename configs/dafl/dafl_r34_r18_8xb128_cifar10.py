# DAFL, ResNet-34 -> ResNet-18 (mmpretrain ResNet_CIFAR) on CIFAR-10 with the
# released recipe: 8 GPUs x 128 = 1,024 generated images per step.
#   bash tools/dist_train.sh configs/dafl/dafl_r34_r18_8xb128_cifar10.py 8
# Evaluation reads data/cifar10/cifar-10-batches-py; training reads nothing.
# The teacher is mmpretrain's zoo checkpoint; put it at the path
# _base_/pairs/r34_r18_cifar10.py names or pass its URL as
# model.teacher_ckpt:
#   https://download.openmmlab.com/mmclassification/v0/resnet/resnet34_b16x8_cifar10_20210528-a8aa36a6.pth
# Source: huawei-noah/Efficient-Computing 225ddd2,
# Data-Efficient-Model-Compression/DAFL/README.md:29
#   python DAFL-train.py --dataset cifar10 --channels 3 --n_epochs 2000
#     --batch_size 1024 --lr_G 0.02 --lr_S 0.1 --latent_dim 1000 --oh 0.05
#     --ie 5 --a 0.01
# and DAFL-train.py: Adam(G) lr 0.02 (betas 0.9/0.999, constant), SGD(S)
# lr 0.1, momentum 0.9, weight decay 5e-4, x0.1 at "epochs" 800/1600 of 120
# iterations (lines 145-153: 96k/192k iterations), 2000 x 120 = 240k
# iterations; the generator with BN eps 0.8 (lines 54-86); one joint step
# of generator and student on one batch (lines 168-185); student loss
# KL(T || S) at temperature 1, summed over classes / batch (lines 97-101).
# The DAFL paper (Table 3, as the README's figure/Table2.jpg) reports
# teacher 95.58, student on data 93.92 and DAFL 92.22 for its own ResNets
# (the paper's numbers, not ours).
# What differs from the released code, and why:
#   - the networks are mmpretrain's ResNet_CIFAR-34/18 (its zoo teacher,
#     95.34 as reported by mmpretrain), not DAFL's resnet.py ones, so that
#     the teacher is a published checkpoint;
#   - 8 processes x 128 instead of one process of 1,024: the total batch is
#     the same, but the generator's batch norm and the one-hot / information-
#     entropy terms see each rank's 128 images (the released code's
#     nn.DataParallel also splits the generator's BN batch over its GPUs);
#     on one GPU, run with model.batch_size=1024;
#   - the activation term reads mmpretrain's `neck` (global average pooling,
#     the 512-d pooled feature), the released ResNet's `out_feature`;
#   - the final student is evaluated, not the best test checkpoint (the
#     released code keeps the best on the test set, lines 202-204).
_base_ = [
    '../_base_/recipes/dafl_released.py',
    '../_base_/datasets/cifar10.py',
]
