# SVHN test split (26,032 images) for evaluating teachers and distilled
# students. Reads the official data/svhn/test_32x32.mat; never downloads.
# The CIFAR-10 pipeline, loader and metric.
_base_ = ['./cifar10.py']

# the ZSKT authors' SVHN statistics, mean (0.4377, 0.4438, 0.4728) and std
# (0.1980, 0.2010, 0.1970) (polo5/FewShotKnowledgeTransfer utils/datasets.py
# at ac68538), on the 0..255 scale (RGB)
data_preprocessor = dict(
    mean=[111.6135, 113.169, 120.564], std=[50.49, 51.255, 50.235])
val_dataloader = dict(dataset=dict(type='OfflineSVHN', data_root='data/svhn'))
test_dataloader = val_dataloader
