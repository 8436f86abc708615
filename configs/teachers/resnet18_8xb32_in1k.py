# mmpretrain's ResNet-18 ImageNet-1k recipe (69.90 top-1 for its zoo
# checkpoint, as reported by mmpretrain), reading data/imagenet:
#   https://download.openmmlab.com/mmclassification/v0/resnet/resnet18_8xb32_in1k_20210831-fbbb1da6.pth
# The student of the ImageNet distillation configs; torchvision's resnet18
# converts with tools/model_converters/torchvision_to_mmpretrain.py.
_base_ = 'mmpretrain::resnet/resnet18_8xb32_in1k.py'

model = dict(_scope_='mmpretrain')

default_hooks = dict(
    checkpoint=dict(backend_args=dict(backend='local_atomic')),
    reseed=dict(type='mmrazor_zs.ReseedHook'),
    finite_loss=dict(type='mmrazor_zs.FiniteLossHook'))
