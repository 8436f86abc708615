# ZSKD on Fashion-MNIST with the paper's settings: as the MNIST config,
# with 48,000 data impressions (4,800 per class).
#   python tools/train.py configs/zskd/zskd_lenet5_lenet5-half_1xb64_fashion-mnist.py
_base_ = ['./zskd_lenet5_lenet5-half_1xb64_mnist.py']

teacher_ckpt = 'checkpoints/lenet5_1xb64_fashion-mnist.pth'
model = dict(teacher_ckpt=teacher_ckpt)

synthesis = dict(per_class=4800)

data_preprocessor = dict(mean=[72.94], std=[90.02])
val_dataloader = dict(
    dataset=dict(type='OfflineFashionMNIST', data_root='data/fashion-mnist'))
test_dataloader = val_dataloader
train_dataloader = dict(dataset=dict(teacher_ckpt=teacher_ckpt))
