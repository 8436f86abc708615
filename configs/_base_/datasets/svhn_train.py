# SVHN `train` split (73,257 images, data/svhn/train_32x32.mat; the `extra`
# split is not used) without augmentation, as the ZSKT authors train on SVHN
# (polo5/FewShotKnowledgeTransfer utils/datasets.py at ac68538: ToTensor and
# Normalize only).
_base_ = ['./svhn.py', './train_loader.py']

train_pipeline = [dict(type='mmpretrain.PackInputs')]

train_dataloader = dict(
    dataset=dict(
        type='OfflineSVHN', data_root='data/svhn', pipeline=train_pipeline))
