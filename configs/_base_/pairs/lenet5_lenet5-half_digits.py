# LeNet-5 -> LeNet-5-half on the embedded digits (32 x 32 grey images): the
# teacher trained by configs/teachers/lenet5_1xb64_digits.py (shipped in
# checkpoints/) and the student's architecture.
model = dict(
    teacher=dict(cfg_path='{{ fileDirname }}/../models/lenet5_digits.py'),
    teacher_ckpt='checkpoints/lenet5_1xb64_digits-fe2ed308.pth',
    student=dict(cfg_path='{{ fileDirname }}/../models/lenet5-half_digits.py'),
    input_shape=(1, 32, 32),
)
