# DFAD as the zju-vipa DataFree zoo runs it, WRN-40-2 -> WRN-16-2 on
# CIFAR-10: the settings of dfad_wrn-40-2_wrn-16-1_1xb256_cifar10.py (its
# header gives the source script, the 16,000-iteration count and what
# differs from the zoo), with another student. No README reports DFAD
# numbers for this pair.
#   python tools/train.py configs/dfad/dfad_wrn-40-2_wrn-16-2_1xb256_cifar10.py
_base_ = ['./dfad_wrn-40-2_wrn-16-1_1xb256_cifar10.py']

model = dict(
    student=dict(
        cfg_path='{{ fileDirname }}/../teachers/wrn-16-2_1xb128_cifar10.py'))
