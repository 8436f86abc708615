# Fast-50 on ImageNet, ResNet-50 -> ResNet-18, one GPU x 100, as zju-vipa/
# Fast-Datafree 0dcecbc's datafree_kd_imagenet.py ran it (every setting traced
# in configs/_base_/recipes/fast-50_fast-datafree-imagenet.py); this pair's
# log has --adv 1.0 (the other two pairs 0.1).
#   python tools/train.py configs/fast/fast-50_r50_r18_1xb100_imagenet.py [--amp]
# Teacher: mmpretrain's ResNet-50 (76.55, as reported by mmpretrain); the
# runs used torchvision's (resnet50-19c8e357.pth, datafree/models/
# classifiers/resnet_in.py line 16), which converts with
#   python tools/model_converters/torchvision_to_mmpretrain.py resnet50-19c8e357.pth checkpoints/torchvision_resnet50_v1.pth
# Reported by Fast-Datafree (theirs, not ours): 53.45 top-1 (best of 400
# epochs, logs/log-imagenet-resnet50_imagenet-resnet18_imagenet-
# FastDFKD_50.txt line 518; 53.41 at the last epoch), 20.35 h of synthesis
# (line 519) and 46.5 h of wall time (its timestamps, lines 60 and 517);
# the README (line 61) gives 6.28 h. Not run here (no GPU, no ImageNet).
_base_ = ['../_base_/recipes/fast-50_fast-datafree-imagenet.py']

model = dict(
    student=dict(
        cfg_path='{{ fileDirname }}/../teachers/resnet18_8xb32_in1k.py'),
    synthesizer=dict(losses=dict(adversarial=dict(loss_weight=-1.0))))
