# ZSKT, ResNet-34 -> ResNet-18 (mmpretrain ResNet_CIFAR) on CIFAR-10, logits
# only, 8 GPUs x 256 generated images. The teacher is mmpretrain's zoo
# checkpoint; put it at the path below or pass its URL:
#   https://download.openmmlab.com/mmclassification/v0/resnet/resnet34_b16x8_cifar10_20210528-a8aa36a6.pth
#   bash tools/dist_train.sh configs/zskt/zskt_logits_r34_r18_8xb256_cifar10.py 8
# Evaluation reads data/cifar10/cifar-10-batches-py; training reads nothing.
_base_ = [
    '../_base_/datasets/cifar10.py',
    '../_base_/schedules/zskt_adam_cosine_80k.py',
    '../_base_/data_free_runtime.py',
]

model = dict(
    type='ZSKT',
    teacher=dict(
        cfg_path='{{ fileDirname }}/../teachers/resnet34_8xb16_cifar10.py'),
    teacher_ckpt='checkpoints/resnet34_b16x8_cifar10_20210528-a8aa36a6.pth',
    student=dict(
        cfg_path='{{ fileDirname }}/../teachers/resnet18_8xb16_cifar10.py'),
    generator=dict(type='ZSKTGenerator', latent_dim=100),
    input_shape=(3, 32, 32),
    batch_size=256,
    generator_steps=1,
    student_steps=10,
    student_batch='same',
)

val_evaluator = [
    dict(type='mmpretrain.Accuracy', topk=(1, )),
    dict(type='TeacherReference'),
]
test_evaluator = val_evaluator
