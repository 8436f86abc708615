# mmpretrain's ResNet-18 CIFAR-10 recipe, reading CIFAR-10 from
# data/cifar10/cifar-10-batches-py without downloading.
#   bash tools/dist_train.sh configs/teachers/resnet18_8xb16_cifar10.py 8
_base_ = 'mmpretrain::resnet/resnet18_8xb16_cifar10.py'

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
