# digits with a training split, for the recipes that train on real data.
_base_ = ['./digits.py', './train_loader.py']

train_pipeline = [dict(type='mmpretrain.PackInputs')]

train_dataloader = dict(
    batch_size=64,
    num_workers=0,
    dataset=dict(type='Digits', pipeline=train_pipeline))
