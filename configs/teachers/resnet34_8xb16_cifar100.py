# ResNet-34 (mmpretrain ResNet_CIFAR) trained on CIFAR-100, the teacher of
# the CIFAR-100 DAFL, DFAD and DFQ configs. mmpretrain has neither a
# ResNet-34 CIFAR-100 config nor a checkpoint: this is its
# resnet34_8xb16_cifar10.py (this folder's, with the project's scope and
# reliability hooks) with a 100-way head, CIFAR-100 read from
# data/cifar100/cifar-100-python without downloading, and the schedule of
# mmpretrain's resnet50_8xb16_cifar100.py (SGD 0.1, momentum 0.9, weight
# decay 5e-4, x0.2 at epochs 60/120/160 of 200).
#   bash tools/dist_train.sh configs/teachers/resnet34_8xb16_cifar100.py 8
# then publish it (tools/model_converters/publish_model.py appends a hash)
# and put it at checkpoints/resnet34_8xb16_cifar100.pth, the path the
# distillation configs read (or pass model.teacher_ckpt=<published file>).
_base_ = ['./resnet34_8xb16_cifar10.py']

model = dict(head=dict(num_classes=100))

# mmpretrain's CIFAR-100 statistics (RGB, 0..255), as cifar100_bs16.py
data_preprocessor = dict(
    num_classes=100,
    mean=[129.304, 124.070, 112.434],
    std=[68.170, 65.392, 70.418])
train_dataloader = dict(
    dataset=dict(type='mmrazor_zs.OfflineCIFAR100', data_root='data/cifar100'))
val_dataloader = dict(
    dataset=dict(type='mmrazor_zs.OfflineCIFAR100', data_root='data/cifar100'))
test_dataloader = val_dataloader

# mmpretrain's resnet50_8xb16_cifar100.py schedule
optim_wrapper = dict(optimizer=dict(weight_decay=0.0005))
param_scheduler = dict(
    type='MultiStepLR', by_epoch=True, milestones=[60, 120, 160], gamma=0.2)
