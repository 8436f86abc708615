# DeepInversion on ImageNet, NVlabs' setting_id 1: 2,000 steps at 224
# (deepinversion.py at 2413af1, lines 211-226: the pooled stage skipped,
# the full-size one 2,000 steps; Adam betas (0.5, 0.9) and the clip as
# setting 0, lines 234-237), ResNet-50 -> ResNet-18, 8 GPUs; otherwise as
# deepinversion-set0_r50_r18_8xb152_imagenet.py.
#   bash tools/dist_train.sh configs/deepinversion/deepinversion-set1_r50_r18_8xb152_imagenet.py 8 [--amp]
# Reported by NVlabs (theirs): a MobileNetV2 classifies the setting-1 images
# of the README command (batch 84, fp16) at 96.43 % after 2,000 steps
# (example_logs/fp16_set1_rn50.log line 147). Not run here.
_base_ = ['../_base_/recipes/deepinversion_nvlabs-imagenet.py']

model = dict(synthesizer=dict(pooled_steps=0, steps=2000))
