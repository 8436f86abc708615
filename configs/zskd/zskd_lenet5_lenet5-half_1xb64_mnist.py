# ZSKD on MNIST with the paper's settings: LeNet-5 -> LeNet-5-half, 24,000
# data impressions (2,400 per class, half at beta 1.0 and half at 0.1),
# 1,500 Adam steps (lr 1e-3 on [0, 1] pixels) each, then the student with
# teacher re-labelled augmentations (Adam 1e-3, batch 64, 500 epochs as the
# released code). Train the teacher first with
# configs/teachers/lenet5_1xb64_mnist.py and publish it to teacher_ckpt.
#   python tools/train.py configs/zskd/zskd_lenet5_lenet5-half_1xb64_mnist.py
_base_ = ['./zskd_lenet5_lenet5-half_1xb64_digits.py']

teacher_ckpt = 'checkpoints/lenet5_1xb64_mnist.pth'
model = dict(teacher_ckpt=teacher_ckpt)

synthesis = dict(per_class=2400, iterations=1500, lr=1e-3)

data_preprocessor = dict(mean=[33.32], std=[78.57])
test_pipeline = [
    dict(type='Pad', size=(32, 32), pad_val=0),
    dict(type='mmpretrain.PackInputs'),
]
val_dataloader = dict(
    batch_size=500,
    dataset=dict(
        _delete_=True,
        type='OfflineMNIST',
        data_root='data/mnist',
        split='test',
        pipeline=test_pipeline))
test_dataloader = val_dataloader
train_dataloader = dict(dataset=dict(teacher_ckpt=teacher_ckpt))
train_cfg = dict(max_epochs=500, val_interval=10)
