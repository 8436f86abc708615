# VGG-13 with batch norm trained on CIFAR-100 with the zju-vipa data-free
# zoo's train_scratch.py recipe (zju-vipa/DataFree 9e79fa9, listed in
# _base_/recipes/zju-datafree_train_scratch.py). The network: the zoo's vgg13
# (vgg.py, vgg13_bn) as mmrazor_zs.VGGCIFAR
# (_base_/models/vgg13-bn_cifar10.py).
#   python tools/train.py configs/teachers/zju-datafree_vgg13-bn_1xb256_cifar100.py
# The zoo's own trained file, cifar100_vgg13.pth where it was released (the
# "Dropbox-Models (266 MB)" link of the DataFree and Fast-Datafree READMEs,
# below, extracted as checkpoints/pretrained), loads into this model once
# converted:
#   https://www.dropbox.com/sh/w8xehuk7debnka3/AABhoazFReE_5mMeyvb4iUWoa?dl=0
#   python tools/model_converters/zju_vipa_to_mmpretrain.py checkpoints/pretrained/cifar100_vgg13.pth checkpoints/zju-datafree_vgg13-bn_cifar100.pth
# The zoo's READMEs report no number for this network. Normalisation:
# mmpretrain's CIFAR-100 statistics, as in every CIFAR-100 config here,
# within 2e-4 of the zoo's (registry.py NORMALIZE_DICT: mean 0.5071, 0.4867,
# 0.4408; std 0.2675, 0.2565, 0.2761).
_base_ = [
    '../_base_/models/vgg13-bn_cifar10.py',
    '../_base_/datasets/cifar100_train.py',
    '../_base_/recipes/zju-datafree_train_scratch.py',
]

train_dataloader = dict(batch_size=256)

model = dict(head=dict(num_classes=100))
