# DFAD, ResNet-34 -> ResNet-18 (mmpretrain ResNet_CIFAR) on CIFAR-100 with
# the released recipe: one GPU x 256 generated images.
# Train the teacher first (mmpretrain has no ResNet-34 CIFAR-100
# checkpoint):
#   bash tools/dist_train.sh configs/teachers/resnet34_8xb16_cifar100.py 8
# publish it (tools/model_converters/publish_model.py) to the path below,
# then
#   python tools/train.py configs/dfad/dfad_r34_r18_1xb256_cifar100.py
# Evaluation reads data/cifar100/cifar-100-python; training reads nothing.
# Source: VainF/Data-Free-Adversarial-Distillation c161591, README.md
# (`python DFAD_cifar.py --dataset cifar100 --ckpt ... --scheduler`): the
# CIFAR-10 recipe unchanged (dfad_r34_r18_1xb256_cifar10.py, whose header
# lists DFAD_cifar.py's lines and what differs from it). The DFAD paper
# (Table 2) reports teacher 77.5, KD on data 73.3 +- 0.3 and DFAD
# 67.7 +- 0.3 for its ResNets (the paper's numbers, not ours).
# What differs from the released code, and why: as in the CIFAR-10 config,
# and the teacher is trained with configs/teachers/resnet34_8xb16_cifar100.py
# (mmpretrain's CIFAR-100 schedule) instead of DFAD's train_teacher.py.
_base_ = [
    '../_base_/recipes/dfad_released.py',
    '../_base_/datasets/cifar100.py',
]

model = dict(
    teacher=dict(
        cfg_path='{{ fileDirname }}/../teachers/resnet34_8xb16_cifar100.py'),
    teacher_ckpt='checkpoints/resnet34_8xb16_cifar100.pth',
    student=dict(
        cfg_path='{{ fileDirname }}/../teachers/resnet18_8xb16_cifar100.py'),
)
