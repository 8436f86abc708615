# ADI, WRN-40-2 -> WRN-16-2 on CIFAR-10: the zoo's deepinv
# script with this student (the README's column), otherwise
# adi_wrn-40-2_wrn-16-1_1xb256_cifar10.py.
#   python tools/train.py configs/deepinversion/adi_wrn-40-2_wrn-16-2_1xb256_cifar10.py
# Reported by the DataFree README (theirs, not ours): 89.72.
# Teacher file: the project's WRN-40-2 is trained by ZSKT's WRN recipe
# (configs/teachers/wrn-40-2_1xb128_cifar10.py); the zoo's own WRN-40-2
# (cifar10_wrn40_2.pth, the DataFree README's "Dropbox-Models (266 MB)" link)
# is the same network and converts to teacher_ckpt with
#   python tools/model_converters/zju_vipa_to_mmpretrain.py checkpoints/pretrained/cifar10_wrn40_2.pth checkpoints/wrn-40-2_1xb128_cifar10.pth
_base_ = ['./adi_wrn-40-2_wrn-16-1_1xb256_cifar10.py']

model = dict(
    student=dict(
        cfg_path='{{ fileDirname }}/../teachers/wrn-16-2_1xb128_cifar10.py'))
