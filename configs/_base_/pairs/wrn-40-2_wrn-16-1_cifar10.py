# WRN-40-2 -> WRN-16-1 on CIFAR-10, the pair of ZSKT's Table 1 and of the
# zju-vipa DataFree zoo. Train the teacher with
# configs/teachers/wrn-40-2_1xb128_cifar10.py and publish it to
# teacher_ckpt.
model = dict(
    teacher=dict(
        cfg_path='{{ fileDirname }}/../../teachers/wrn-40-2_1xb128_cifar10.py'
    ),
    teacher_ckpt='checkpoints/wrn-40-2_1xb128_cifar10.pth',
    student=dict(
        cfg_path='{{ fileDirname }}/../../teachers/wrn-16-1_1xb128_cifar10.py'
    ),
    input_shape=(3, 32, 32),
)
