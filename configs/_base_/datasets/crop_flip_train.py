# The standard CIFAR training augmentation (random 32 x 32 crop of the image
# padded by 4, horizontal flip) on the shared training loader.
_base_ = ['./train_loader.py']

train_pipeline = [
    dict(type='mmpretrain.RandomCrop', crop_size=32, padding=4),
    dict(type='mmpretrain.RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='mmpretrain.PackInputs'),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
