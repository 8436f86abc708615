# mmpretrain's ResNet-50 ImageNet-1k recipe (76.55 top-1 for its zoo
# checkpoint, as reported by mmpretrain), reading data/imagenet in
# mmpretrain's layout (train/ and val/, class folders or meta/*.txt):
#   https://download.openmmlab.com/mmclassification/v0/resnet/resnet50_8xb32_in1k_20210831-ea4938fc.pth
# mmpretrain's ResNet in its default style='pytorch' is torchvision's
# ResNet-50 (v1.5: the stride in the 3 x 3 convolution); a torchvision file
# converts with
#   python tools/model_converters/torchvision_to_mmpretrain.py resnet50-0676ba61.pth checkpoints/torchvision_resnet50.pth
#   python tools/test.py configs/teachers/resnet50_8xb32_in1k.py checkpoints/torchvision_resnet50.pth
_base_ = 'mmpretrain::resnet/resnet50_8xb32_in1k.py'

# Explicit scope, so that distillation configs (default scope mmrazor_zs)
# can build this model through `cfg_path`.
model = dict(_scope_='mmpretrain')

# The project's reliability hooks (see configs/_base_/default_runtime.py):
# atomic checkpoints, exact resume, a stop at the first non-finite loss.
default_hooks = dict(
    checkpoint=dict(backend_args=dict(backend='local_atomic')),
    reseed=dict(type='mmrazor_zs.ReseedHook'),
    finite_loss=dict(type='mmrazor_zs.FiniteLossHook'))
