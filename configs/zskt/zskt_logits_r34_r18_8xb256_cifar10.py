# ZSKT, ResNet-34 -> ResNet-18 (mmpretrain ResNet_CIFAR) on CIFAR-10, logits
# only, 8 GPUs x 256 generated images. The teacher is mmpretrain's zoo
# checkpoint; put it at the path _base_/pairs/r34_r18_cifar10.py
# names or pass its URL:
#   https://download.openmmlab.com/mmclassification/v0/resnet/resnet34_b16x8_cifar10_20210528-a8aa36a6.pth
#   bash tools/dist_train.sh configs/zskt/zskt_logits_r34_r18_8xb256_cifar10.py 8
# Evaluation reads data/cifar10/cifar-10-batches-py; training reads nothing.
# The paper's recipe (Adam, student 2e-3, generator 1e-3, cosine to 0,
# clipping at 5, 80k iterations) was set for ONE process drawing 128 images
# per step. Here every step sees 8 x 256 = 2,048 images, 16 times the
# paper's batch, with the paper's learning rates unchanged: each update
# averages over more images but is not larger, so the run is the paper's
# schedule with less gradient noise, not a linearly scaled one. To scale the
# learning rates linearly with the global batch (x16 here; for Adam that is
# often too much), add --auto-scale-lr, which uses `auto_scale_lr` below
# (base batch 128, the paper's); with fewer GPUs, --auto-scale-lr scales to
# the batch of the run (e.g. x2 on one GPU of 256).
_base_ = [
    '../_base_/pairs/r34_r18_cifar10.py',
    '../_base_/datasets/cifar10.py',
    '../_base_/schedules/zskt_adam_cosine_80k.py',
]

model = dict(
    type='ZSKT',
    generator=dict(type='ZSKTGenerator', latent_dim=100),
    batch_size=256,
    generator_steps=1,
    student_steps=10,
    student_batch='same',
)

auto_scale_lr = dict(base_batch_size=128)
