# What every ImageNet recipe of the inversion family shares: the inversion
# runtime with the ImageNet validation split, mmpretrain's ResNet-50 teacher
# at 224 x 224 (76.55 top-1, as reported by mmpretrain; a torchvision one
# converts with tools/model_converters/torchvision_to_mmpretrain.py), the
# image pool memory-mapped on the host (ImageNet's pools do not fit a GPU)
# and re-read with the ImageNet training augmentation (torchvision's
# RandomResizedCrop(224, scale 0.08-1) and a flip), and top-1 / top-5 with
# the teacher's top-1 beside the student's.
_base_ = ['./inversion_runtime.py', './datasets/imagenet.py']

model = dict(
    teacher=dict(
        cfg_path='{{ fileDirname }}/../teachers/resnet50_8xb32_in1k.py'),
    teacher_ckpt='checkpoints/resnet50_8xb32_in1k_20210831-ea4938fc.pth',
    input_shape=(3, 224, 224),
    pool_storage='host',
    pool_augment=dict(type='resized_crop_flip', scale=(0.08, 1.0)))

val_evaluator = [
    dict(type='mmpretrain.Accuracy', topk=(1, 5)),
    dict(type='TeacherReference'),
]
test_evaluator = val_evaluator
