# CIFAR-10 test split for evaluating distilled students. Reads the official
# python batches from data/cifar10/cifar-10-batches-py; never downloads.
_base_ = ['./eval_loader.py']

data_preprocessor = dict(
    type='mmpretrain.ClsDataPreprocessor',
    num_classes=10,
    # mmpretrain's CIFAR-10 statistics (RGB, 0..255)
    mean=[125.307, 122.961, 113.8575],
    std=[51.5865, 50.847, 51.255],
    to_rgb=False,
)

test_pipeline = [dict(type='mmpretrain.PackInputs')]

val_dataloader = dict(
    dataset=dict(
        type='OfflineCIFAR10',
        data_root='data/cifar10',
        pipeline=test_pipeline))
test_dataloader = val_dataloader
