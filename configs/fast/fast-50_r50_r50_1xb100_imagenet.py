# Fast-50 on ImageNet, ResNet-50 -> ResNet-50, one GPU x 100, as zju-vipa/
# Fast-Datafree 0dcecbc's datafree_kd_imagenet.py ran it (every setting traced
# in configs/_base_/recipes/fast-50_fast-datafree-imagenet.py; --adv 0.1).
#   python tools/train.py configs/fast/fast-50_r50_r50_1xb100_imagenet.py [--amp]
# Reported by Fast-Datafree (theirs, not ours): 68.62 top-1 (best of 400
# epochs, logs/log-imagenet-resnet50_imagenet-resnet50_imagenet-
# FastDFKD_50.txt line 517; 68.54 at the last epoch; the README's 68.61),
# 25.20 h of synthesis (line 518), 61.1 h of wall time (lines 59 and 516).
# Not run here.
_base_ = ['../_base_/recipes/fast-50_fast-datafree-imagenet.py']

model = dict(
    student=dict(
        cfg_path='{{ fileDirname }}/../teachers/resnet50_8xb32_in1k.py'))
