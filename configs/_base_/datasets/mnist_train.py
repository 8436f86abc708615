# MNIST with its training split, for the teacher recipes.
_base_ = ['./mnist.py']

train_dataloader = dict(
    batch_size=64,
    num_workers=2,
    dataset=dict(
        type='OfflineMNIST', data_root='data/mnist', split='train',
        pipeline=[
            dict(type='Pad', size=(32, 32), pad_val=0),
            dict(type='mmpretrain.PackInputs'),
        ]),
    sampler=dict(type='DefaultSampler', shuffle=True),
)
