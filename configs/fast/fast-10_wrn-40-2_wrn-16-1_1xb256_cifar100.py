# Fast-10, WRN-40-2 -> WRN-16-1 on CIFAR-100: the script as written
# (scripts/fast_cifar.sh runs --dataset cifar100), i.e.
# fast-5_wrn-40-2_wrn-16-1_1xb256_cifar100.py with the script's Fast-10 line
# (--g_steps 10 --lr_z 0.01 --lr_g 2e-3).
#   python tools/train.py configs/fast/fast-10_wrn-40-2_wrn-16-1_1xb256_cifar100.py
# Evaluation reads data/cifar100/cifar-100-python.
# Reported by the Fast README (theirs, not ours): 54.02, teacher 75.83.
# Teacher file: the project's WRN-40-2 is trained by ZSKT's WRN recipe
# (configs/teachers/wrn-40-2_1xb128_cifar100.py); the zoo's own WRN-40-2
# (cifar100_wrn40_2.pth, the DataFree README's "Dropbox-Models (266 MB)"
# link) is the same network and converts to teacher_ckpt with
#   python tools/model_converters/zju_vipa_to_mmpretrain.py checkpoints/pretrained/cifar100_wrn40_2.pth checkpoints/wrn-40-2_1xb128_cifar100.pth
_base_ = ['./fast-5_wrn-40-2_wrn-16-1_1xb256_cifar100.py']

model = dict(synthesizer=dict(steps=10, lr_g=2e-3, lr_z=0.01))
