# ImageNet-1k validation split for evaluating distilled students, read by
# mmpretrain's ImageNet dataset from data/imagenet/val in its layout (one
# folder per class, or the images with meta/val.txt); point it at your copy
# with --cfg-options val_dataloader.dataset.data_root=/path/to/imagenet.
# The teacher's normalisation is torchvision's (mmpretrain's ImageNet
# statistics on the 0..255 scale, RGB); the pipeline is mmpretrain's
# ImageNet test pipeline (short side 256, centre crop 224).
_base_ = ['./eval_loader.py']

data_preprocessor = dict(
    type='mmpretrain.ClsDataPreprocessor',
    num_classes=1000,
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    to_rgb=True,
)

test_pipeline = [
    dict(type='mmpretrain.LoadImageFromFile'),
    dict(type='mmpretrain.ResizeEdge', scale=256, edge='short'),
    dict(type='mmpretrain.CenterCrop', crop_size=224),
    dict(type='mmpretrain.PackInputs'),
]

val_dataloader = dict(
    batch_size=64,
    num_workers=8,
    dataset=dict(
        type='mmpretrain.ImageNet',
        data_root='data/imagenet',
        split='val',
        pipeline=test_pipeline))
test_dataloader = val_dataloader
