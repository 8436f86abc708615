# LeNet-5-BN -> LeNet-5-half on the embedded digits (32 x 32 grey images):
# the teacher with batch norm, whose statistics the inversion methods and
# DFQ match, trained by configs/teachers/lenet5-bn_1xb64_digits.py (shipped
# in checkpoints/; its data_preprocessor gives the generator's
# normalisation), and the student's architecture.
model = dict(
    teacher=dict(
        cfg_path='{{ fileDirname }}/../../teachers/lenet5-bn_1xb64_digits.py'),
    teacher_ckpt='checkpoints/lenet5-bn_1xb64_digits-befab98e.pth',
    student=dict(cfg_path='{{ fileDirname }}/../models/lenet5-half_digits.py'),
    input_shape=(1, 32, 32),
)
