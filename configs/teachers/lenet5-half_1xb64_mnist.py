# LeNet-5-half trained on data (the student-on-data baseline) on MNIST (ZSKD, Nayak et al. 2019).
#   python tools/train.py configs/teachers/lenet5-half_1xb64_mnist.py
_base_ = [
    '../_base_/models/lenet5-half_digits.py',
    '../_base_/datasets/mnist_train.py',
    '../_base_/schedules/mnist_adam_30e.py',
]
