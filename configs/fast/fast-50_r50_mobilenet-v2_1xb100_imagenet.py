# Fast-50 on ImageNet, ResNet-50 -> MobileNetV2, one GPU x 100, as zju-vipa/
# Fast-Datafree 0dcecbc's datafree_kd_imagenet.py ran it (every setting traced
# in configs/_base_/recipes/fast-50_fast-datafree-imagenet.py; --adv 0.1).
#   python tools/train.py configs/fast/fast-50_r50_mobilenet-v2_1xb100_imagenet.py [--amp]
# Reported by Fast-Datafree (theirs, not ours): 43.02 top-1 (best of 400
# epochs, logs/log-imagenet-resnet50_imagenet-mobilenetv2_imagenet-
# FastDFKD_50.txt line 459; 42.92 at the last epoch), 22.61 h of synthesis
# (line 460), 53.3 h of wall time (lines 1 and 458). Not run here.
_base_ = ['../_base_/recipes/fast-50_fast-datafree-imagenet.py']

model = dict(
    student=dict(
        cfg_path='{{ fileDirname }}/../teachers/mobilenet-v2_8xb32_in1k.py'))
