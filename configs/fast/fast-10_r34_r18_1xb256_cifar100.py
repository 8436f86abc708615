# Fast-10, ResNet-34 -> ResNet-18 on CIFAR-100: the script as written
# (scripts/fast_cifar.sh runs --dataset cifar100), i.e.
# fast-5_r34_r18_1xb256_cifar100.py with the script's Fast-10 line
# (--g_steps 10 --lr_z 0.01 --lr_g 2e-3).
#   python tools/train.py configs/fast/fast-10_r34_r18_1xb256_cifar100.py
# Evaluation reads data/cifar100/cifar-100-python.
# Reported by the Fast README (theirs, not ours): 74.34, teacher 78.05.
# Teacher file: mmpretrain publishes no CIFAR-100 ResNet-34, so
# configs/teachers/resnet34_8xb16_cifar100.py trains one; the zoo's own
# ResNet-34 (cifar100_resnet34.pth, the DataFree README's "Dropbox-Models
# (266 MB)" link) is the same network and converts to teacher_ckpt with
#   python tools/model_converters/zju_vipa_to_mmpretrain.py checkpoints/pretrained/cifar100_resnet34.pth checkpoints/resnet34_8xb16_cifar100.pth
_base_ = ['./fast-5_r34_r18_1xb256_cifar100.py']

model = dict(synthesizer=dict(steps=10, lr_g=2e-3, lr_z=0.01))
