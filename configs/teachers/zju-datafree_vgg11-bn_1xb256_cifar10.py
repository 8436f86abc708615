# VGG-11 with batch norm trained on CIFAR-10 with the zju-vipa data-free
# zoo's train_scratch.py recipe (zju-vipa/DataFree 9e79fa9, listed in
# _base_/recipes/zju-datafree_train_scratch.py). The network: the zoo's vgg11
# (vgg.py, vgg11_bn) as mmrazor_zs.VGGCIFAR
# (_base_/models/vgg11-bn_cifar10.py).
#   python tools/train.py configs/teachers/zju-datafree_vgg11-bn_1xb256_cifar10.py
# The zoo's own trained file, cifar10_vgg11.pth where it was released (the
# "Dropbox-Models (266 MB)" link of the DataFree and Fast-Datafree READMEs,
# below, extracted as checkpoints/pretrained), loads into this model once
# converted:
#   https://www.dropbox.com/sh/w8xehuk7debnka3/AABhoazFReE_5mMeyvb4iUWoa?dl=0
#   python tools/model_converters/zju_vipa_to_mmpretrain.py checkpoints/pretrained/cifar10_vgg11.pth checkpoints/zju-datafree_vgg11-bn_cifar10.pth
# Reported by the DataFree README (theirs, not ours; its "T. Scratch" row,
# README.md line 19): 92.25. Normalisation: mmpretrain's CIFAR-10 statistics,
# equal to the zoo's (registry.py NORMALIZE_DICT) to their four digits.
_base_ = [
    '../_base_/models/vgg11-bn_cifar10.py',
    '../_base_/datasets/cifar10_train.py',
    '../_base_/recipes/zju-datafree_train_scratch.py',
]

train_dataloader = dict(batch_size=256)
