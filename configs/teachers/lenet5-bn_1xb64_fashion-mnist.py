# LeNet-5-BN teacher on Fashion-MNIST, for the BN-statistics methods (DFQ,
# DeepInversion, ADI, CMI, Fast): LeNet-5 with a BatchNorm after each
# convolution, in the same recipe as configs/teachers/lenet5_1xb64_fashion-mnist.py.
#   python tools/train.py configs/teachers/lenet5-bn_1xb64_fashion-mnist.py
_base_ = [
    '../_base_/models/lenet5-bn_digits.py',
    '../_base_/datasets/fashion-mnist_train.py',
    '../_base_/schedules/mnist_adam_30e.py',
]
