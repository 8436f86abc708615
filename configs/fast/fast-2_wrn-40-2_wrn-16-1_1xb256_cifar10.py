# Fast-2: fast-5_wrn-40-2_wrn-16-1_1xb256_cifar10.py with the script's
# Fast-2 line (scripts/fast_cifar.sh: --g_steps 2 --lr_z 0.015 --lr_g 5e-3).
#   python tools/train.py configs/fast/fast-2_wrn-40-2_wrn-16-1_1xb256_cifar10.py
# Reported by the Fast README (theirs, not ours): 88.36.
# Teacher file: the project's WRN-40-2 is trained by ZSKT's WRN recipe
# (configs/teachers/wrn-40-2_1xb128_cifar10.py); the zoo's own WRN-40-2
# (cifar10_wrn40_2.pth, the DataFree README's "Dropbox-Models (266 MB)" link)
# is the same network and converts to teacher_ckpt with
#   python tools/model_converters/zju_vipa_to_mmpretrain.py checkpoints/pretrained/cifar10_wrn40_2.pth checkpoints/wrn-40-2_1xb128_cifar10.pth
_base_ = ['./fast-5_wrn-40-2_wrn-16-1_1xb256_cifar10.py']

model = dict(synthesizer=dict(steps=2, lr_g=5e-3, lr_z=0.015))
