# WRN-40-1 trained on CIFAR-100 with the zju-vipa data-free zoo's
# train_scratch.py recipe (zju-vipa/DataFree 9e79fa9, listed in
# _base_/recipes/zju-datafree_train_scratch.py). The network: the zoo's
# wrn40_1 (wresnet.py, ZSKT's WRN) as mmrazor_zs.WideResNetCIFAR
# (_base_/models/wrn-40-1_cifar10.py) with the zoo's classifier
# initialisation (TorchLinearInit).
#   python tools/train.py configs/teachers/zju-datafree_wrn-40-1_1xb256_cifar100.py
# The zoo's own trained file, cifar100_wrn40_1.pth where it was released (the
# "Dropbox-Models (266 MB)" link of the DataFree and Fast-Datafree READMEs,
# below, extracted as checkpoints/pretrained), loads into this model once
# converted:
#   https://www.dropbox.com/sh/w8xehuk7debnka3/AABhoazFReE_5mMeyvb4iUWoa?dl=0
#   python tools/model_converters/zju_vipa_to_mmpretrain.py checkpoints/pretrained/cifar100_wrn40_1.pth checkpoints/zju-datafree_wrn-40-1_cifar100.pth
# Reported by the DataFree README (theirs, not ours; its "S. Scratch" row,
# README.md line 32): 72.19. Normalisation: mmpretrain's CIFAR-100
# statistics, as in every CIFAR-100 config here, within 2e-4 of the zoo's
# (registry.py NORMALIZE_DICT: mean 0.5071, 0.4867, 0.4408; std 0.2675,
# 0.2565, 0.2761).
_base_ = [
    '../_base_/models/wrn-40-1_cifar10.py',
    '../_base_/datasets/cifar100_train.py',
    '../_base_/recipes/zju-datafree_train_scratch.py',
]

train_dataloader = dict(batch_size=256)

model = dict(
    head=dict(
        num_classes=100, init_cfg=dict(type='mmrazor_zs.TorchLinearInit')))
