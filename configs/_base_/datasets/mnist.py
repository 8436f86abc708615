# MNIST test split, 28 x 28 padded to LeNet-5's 32 x 32. Reads the four
# uncompressed idx files from data/mnist; never downloads.
_base_ = ['./eval_loader.py']

data_preprocessor = dict(
    type='mmpretrain.ClsDataPreprocessor',
    num_classes=10,
    mean=[33.32],  # training-set statistics on the 0..255 scale
    std=[78.57],
)

test_pipeline = [
    dict(type='Pad', size=(32, 32), pad_val=0),
    dict(type='mmpretrain.PackInputs'),
]

# loaded in the main process, as mnist_train.py explains
val_dataloader = dict(
    num_workers=0,
    dataset=dict(
        type='OfflineMNIST', data_root='data/mnist', pipeline=test_pipeline))
test_dataloader = val_dataloader
