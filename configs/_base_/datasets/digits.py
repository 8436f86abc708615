# scikit-learn's digits, 8x8 upsampled to 32x32, test split for evaluation.
# Nothing is downloaded: the images ship inside scikit-learn.
_base_ = ['./eval_loader.py']

data_preprocessor = dict(
    type='mmpretrain.ClsDataPreprocessor',
    num_classes=10,
    # mean and std of the training split on the 0..255 scale
    mean=[77.82],
    std=[82.51],
)

test_pipeline = [dict(type='mmpretrain.PackInputs')]

val_dataloader = dict(
    batch_size=256,
    num_workers=0,
    dataset=dict(type='Digits', pipeline=test_pipeline))
test_dataloader = val_dataloader
