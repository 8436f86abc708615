# Fast-5, ResNet-34 -> ResNet-18 (mmpretrain ResNet_CIFAR) on CIFAR-10,
# one GPU x 256.
#   python tools/train.py configs/fast/fast-5_r34_r18_1xb256_cifar10.py
# Source: zju-vipa/Fast-Datafree 0dcecbc, scripts/fast_cifar.sh, the
# ResNet-34 lines (--adv 1.33 --oh 0.5, otherwise as the WRN lines of
# fast-5_wrn-40-2_wrn-16-1_1xb256_cifar10.py, whose header lists them).
# The networks are mmpretrain's ResNet_CIFAR-34/18 with its zoo teacher
# (95.34 as reported by mmpretrain) instead of the zoo's CIFAR ResNets
# (teacher 95.70), so that the teacher is a published checkpoint:
#   https://download.openmmlab.com/mmclassification/v0/resnet/resnet34_b16x8_cifar10_20210528-a8aa36a6.pth
# Reported by the Fast README (theirs, not ours): 93.63, 0.14 h of
# synthesis ("Generation Cost").
# Teacher file: mmpretrain's zoo ResNet-34, chosen because it is a published
# checkpoint; the zoo's own ResNet-34 (cifar10_resnet34.pth, the DataFree
# README's "Dropbox-Models (266 MB)" link) is the same network and converts
# with
#   python tools/model_converters/zju_vipa_to_mmpretrain.py checkpoints/pretrained/cifar10_resnet34.pth checkpoints/zju-datafree_resnet34_cifar10.pth
# then pass --cfg-options model.teacher_ckpt=checkpoints/zju-datafree_resnet34_cifar10.pth.
_base_ = [
    '../_base_/recipes/fast-5_fast-datafree.py',
    '../_base_/datasets/cifar10.py',
]

model = dict(
    teacher=dict(
        cfg_path='{{ fileDirname }}/../teachers/resnet34_8xb16_cifar10.py'),
    teacher_ckpt='checkpoints/resnet34_b16x8_cifar10_20210528-a8aa36a6.pth',
    student=dict(
        cfg_path='{{ fileDirname }}/../teachers/resnet18_8xb16_cifar10.py'),
    synthesizer=dict(
        losses=dict(
            onehot=dict(loss_weight=0.5), adversarial=dict(
                loss_weight=-1.33))))
