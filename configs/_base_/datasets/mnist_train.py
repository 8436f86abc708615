# MNIST with its training split, for the teacher recipes.
_base_ = ['./mnist.py', './train_loader.py']

train_dataloader = dict(
    batch_size=64,
    num_workers=2,
    dataset=dict(
        type='OfflineMNIST',
        data_root='data/mnist',
        pipeline={{_base_.test_pipeline}}))
