# Fashion-MNIST with its training split, for the teacher recipes.
_base_ = ['./mnist_train.py']

# fashion-mnist.py's statistics and files, for training too

data_preprocessor = dict(mean=[72.94], std=[90.02])  # 0..255 scale

val_dataloader = dict(
    dataset=dict(type='OfflineFashionMNIST', data_root='data/fashion-mnist'))
test_dataloader = val_dataloader
train_dataloader = val_dataloader
