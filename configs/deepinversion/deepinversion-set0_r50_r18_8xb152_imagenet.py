# DeepInversion on ImageNet, NVlabs' setting_id 0 (multi-resolution: 2,000
# steps at 112, then 1,000 at 224), ResNet-50 -> ResNet-18, 8 GPUs; the
# paper's offline form: 115 synthesis rounds per GPU (139,840 images) into
# the image pool, then the student on it. Every setting is traced to NVlabs/
# DeepInversion 2413af1 in the recipe's header
# (configs/_base_/recipes/deepinversion_nvlabs-imagenet.py).
#   bash tools/dist_train.sh configs/deepinversion/deepinversion-set0_r50_r18_8xb152_imagenet.py 8 [--amp]
# Teacher: mmpretrain's ResNet-50 (76.55, as reported by mmpretrain); a
# torchvision ResNet-50 converts with
#   python tools/model_converters/torchvision_to_mmpretrain.py resnet50-0676ba61.pth checkpoints/torchvision_resnet50.pth
# then --cfg-options model.teacher_ckpt=checkpoints/torchvision_resnet50.pth.
# Evaluation: data/imagenet/val (mmpretrain's layout); training reads no data.
# Reported by NVlabs (theirs, not ours): "After 3k iterations (~6 mins on
# NVIDIA V100)" the images of the README command (batch 84) are classified
# by a MobileNetV2 at 91.6 % (README.md line 65; 98.81 % with fp16,
# example_logs/fp16_set0_rn50.log line 217). DeepInv-2k on 140k images,
# ResNet-50 -> ResNet-50: 68.00 top-1, 166 h of synthesis (zju-vipa/
# Fast-Datafree 0dcecbc README.md line 60). Not run here (no GPU, no
# ImageNet): see docs/en/user_guides/imagenet.md for cost and memory.
_base_ = ['../_base_/recipes/deepinversion_nvlabs-imagenet.py']
