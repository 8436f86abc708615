# Fast-2: fast-5_r34_r18_1xb256_cifar10.py with the script's Fast-2
# line (scripts/fast_cifar.sh: --g_steps 2 --lr_z 0.015 --lr_g 5e-3).
#   python tools/train.py configs/fast/fast-2_r34_r18_1xb256_cifar10.py
# Reported by the Fast README (theirs, not ours): 92.62.
# Teacher file: mmpretrain's zoo ResNet-34, chosen because it is a published
# checkpoint; the zoo's own ResNet-34 (cifar10_resnet34.pth, the DataFree
# README's "Dropbox-Models (266 MB)" link) is the same network and converts
# with
#   python tools/model_converters/zju_vipa_to_mmpretrain.py checkpoints/pretrained/cifar10_resnet34.pth checkpoints/zju-datafree_resnet34_cifar10.pth
# then pass --cfg-options model.teacher_ckpt=checkpoints/zju-datafree_resnet34_cifar10.pth.
_base_ = ['./fast-5_r34_r18_1xb256_cifar10.py']

model = dict(synthesizer=dict(steps=2, lr_g=5e-3, lr_z=0.015))
