# Fashion-MNIST test split: MNIST's pipeline over data/fashion-mnist. Reads
# the four uncompressed idx files; never downloads.
_base_ = ['./mnist.py']

data_preprocessor = dict(mean=[72.94], std=[90.02])  # 0..255 scale

val_dataloader = dict(
    dataset=dict(type='OfflineFashionMNIST', data_root='data/fashion-mnist'))
test_dataloader = val_dataloader
