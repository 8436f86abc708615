# DFQ as the zju-vipa DataFree zoo runs it, WRN-40-2 -> WRN-40-1 on
# CIFAR-10: the settings of dfq_wrn-40-2_wrn-16-1_1xb256_cifar10.py (its
# header gives the source script, scripts/dfq/dfq_cifar10_wrn402_wrn161.sh,
# the 8,000-iteration count and what differs from the zoo), with another
# student; the zoo releases no script for this pair.
#   python tools/train.py configs/dfq/dfq_wrn-40-2_wrn-40-1_1xb256_cifar10.py
# The DataFree README reports teacher 94.87, student on data 93.94 and DFQ
# 91.69 for this pair (its numbers, not ours).
# Teacher file: the project's WRN-40-2 is trained by ZSKT's WRN recipe
# (configs/teachers/wrn-40-2_1xb128_cifar10.py); the zoo's own WRN-40-2
# (cifar10_wrn40_2.pth, the DataFree README's "Dropbox-Models (266 MB)" link)
# is the same network and converts to teacher_ckpt with
#   python tools/model_converters/zju_vipa_to_mmpretrain.py checkpoints/pretrained/cifar10_wrn40_2.pth checkpoints/wrn-40-2_1xb128_cifar10.pth
_base_ = ['./dfq_wrn-40-2_wrn-16-1_1xb256_cifar10.py']

model = dict(
    student=dict(
        cfg_path='{{ fileDirname }}/../teachers/wrn-40-1_1xb128_cifar10.py'))
