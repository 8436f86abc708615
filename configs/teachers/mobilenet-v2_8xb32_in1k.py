# mmpretrain's MobileNetV2 ImageNet-1k recipe (71.86 top-1 for its zoo
# checkpoint, as reported by mmpretrain), reading data/imagenet:
#   https://download.openmmlab.com/mmclassification/v0/mobilenet_v2/mobilenet_v2_batch256_imagenet_20200708-3b2dc3af.pth
# The same network as torchvision's mobilenet_v2 (converts with
# tools/model_converters/torchvision_to_mmpretrain.py).
_base_ = 'mmpretrain::mobilenet_v2/mobilenet-v2_8xb32_in1k.py'

model = dict(_scope_='mmpretrain')

default_hooks = dict(
    checkpoint=dict(backend_args=dict(backend='local_atomic')),
    reseed=dict(type='mmrazor_zs.ReseedHook'),
    finite_loss=dict(type='mmrazor_zs.FiniteLossHook'))
