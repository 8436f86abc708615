# ResNet-34 -> ResNet-18 (mmpretrain ResNet_CIFAR) on CIFAR-10. The teacher
# is mmpretrain's zoo checkpoint; put it at teacher_ckpt or pass its URL as
# model.teacher_ckpt:
#   https://download.openmmlab.com/mmclassification/v0/resnet/resnet34_b16x8_cifar10_20210528-a8aa36a6.pth
model = dict(
    teacher=dict(
        cfg_path='{{ fileDirname }}/../../teachers/resnet34_8xb16_cifar10.py'),
    teacher_ckpt='checkpoints/resnet34_b16x8_cifar10_20210528-a8aa36a6.pth',
    student=dict(
        cfg_path='{{ fileDirname }}/../../teachers/resnet18_8xb16_cifar10.py'),
    input_shape=(3, 32, 32),
)
