# DFQ as the zju-vipa DataFree zoo runs it, WRN-40-2 -> WRN-16-2 on
# CIFAR-10: the settings of dfq_wrn-40-2_wrn-16-1_1xb256_cifar10.py (its
# header gives the source script, scripts/dfq/dfq_cifar10_wrn402_wrn161.sh,
# the 8,000-iteration count and what differs from the zoo), with another
# student; the zoo releases no script for this pair.
#   python tools/train.py configs/dfq/dfq_wrn-40-2_wrn-16-2_1xb256_cifar10.py
# The DataFree README reports teacher 94.87, student on data 93.95 and DFQ
# 92.01 for this pair (its numbers, not ours).
_base_ = ['./dfq_wrn-40-2_wrn-16-1_1xb256_cifar10.py']

model = dict(
    student=dict(
        cfg_path='{{ fileDirname }}/../teachers/wrn-16-2_1xb128_cifar10.py'))
