# CMI, ResNet-34 -> ResNet-18 (mmpretrain ResNet_CIFAR) on CIFAR-10.
#   python tools/train.py configs/cmi/cmi_r34_r18_1xb128_cifar10.py
# The zoo releases no ResNet-34 CMI script (CMI issue #6); this config takes
# the WRN script's values (cmi_wrn-40-2_wrn-16-1_1xb128_cifar10.py) and, as
# datafree_kd.py does for resnet34, the inputs of layer1..layer4 as the
# contrastive feature (64 + 64 + 128 + 256 = 512 dimensions). mmpretrain's
# zoo teacher (95.34 as reported by mmpretrain):
#   https://download.openmmlab.com/mmclassification/v0/resnet/resnet34_b16x8_cifar10_20210528-a8aa36a6.pth
# Reported by the DataFree README (theirs, not ours): CMI 94.84 with its
# own ResNets and a recipe it does not release (the Fast-Datafree README's
# "CMI-500" row: 500 synthesis steps per round; this config runs 200).
# Teacher file: mmpretrain's zoo ResNet-34, chosen because it is a published
# checkpoint; the zoo's own ResNet-34 (cifar10_resnet34.pth, the DataFree
# README's "Dropbox-Models (266 MB)" link) is the same network and converts
# with
#   python tools/model_converters/zju_vipa_to_mmpretrain.py checkpoints/pretrained/cifar10_resnet34.pth checkpoints/zju-datafree_resnet34_cifar10.pth
# then pass --cfg-options model.teacher_ckpt=checkpoints/zju-datafree_resnet34_cifar10.pth.
_base_ = [
    '../_base_/recipes/cmi_zju-datafree.py',
    '../_base_/datasets/cifar10.py',
]

model = dict(
    teacher=dict(
        cfg_path='{{ fileDirname }}/../teachers/resnet34_8xb16_cifar10.py'),
    teacher_ckpt='checkpoints/resnet34_b16x8_cifar10_20210528-a8aa36a6.pth',
    student=dict(
        cfg_path='{{ fileDirname }}/../teachers/resnet18_8xb16_cifar10.py'),
    synthesizer=dict(feature_layers=[
        'backbone.layer1', 'backbone.layer2', 'backbone.layer3',
        'backbone.layer4'
    ]))
