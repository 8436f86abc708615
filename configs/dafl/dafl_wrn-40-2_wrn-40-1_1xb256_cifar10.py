# DAFL as the zju-vipa DataFree zoo runs it, WRN-40-2 -> WRN-40-1 on
# CIFAR-10: the settings of dafl_wrn-40-2_wrn-16-1_1xb256_cifar10.py (its
# header gives the source script, the 16,000-iteration count and what
# differs from the zoo), with another student.
#   python tools/train.py configs/dafl/dafl_wrn-40-2_wrn-40-1_1xb256_cifar10.py
# The DataFree README reports teacher 94.87, student on data 93.94 and DAFL
# 81.33 for this pair (its numbers, not ours).
_base_ = ['./dafl_wrn-40-2_wrn-16-1_1xb256_cifar10.py']

model = dict(
    student=dict(
        cfg_path='{{ fileDirname }}/../teachers/wrn-40-1_1xb128_cifar10.py'))
