# mmpretrain's ResNet-34 CIFAR-10 recipe, reading CIFAR-10 from
# data/cifar10/cifar-10-batches-py without downloading. mmpretrain's zoo
# checkpoint resnet34_b16x8_cifar10_20210528-a8aa36a6.pth was trained with
# it (95.34 top-1 as reported by mmpretrain).
#   bash tools/dist_train.sh configs/teachers/resnet34_8xb16_cifar10.py 8
_base_ = 'mmpretrain::resnet/resnet34_8xb16_cifar10.py'

# Explicit scope, so that distillation configs (default scope mmrazor_zs)
# can build this model through `cfg_path`.
model = dict(_scope_='mmpretrain')

train_dataloader = dict(dataset=dict(type='mmrazor_zs.OfflineCIFAR10'))
val_dataloader = dict(dataset=dict(type='mmrazor_zs.OfflineCIFAR10'))
test_dataloader = val_dataloader

# The project's reliability hooks (see configs/_base_/default_runtime.py):
# atomic checkpoints, exact resume, a stop at the first non-finite loss.
default_hooks = dict(
    checkpoint=dict(backend_args=dict(backend='local_atomic')),
    reseed=dict(type='mmrazor_zs.ReseedHook'),
    finite_loss=dict(type='mmrazor_zs.FiniteLossHook'))
