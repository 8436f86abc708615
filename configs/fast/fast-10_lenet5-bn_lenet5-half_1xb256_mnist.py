# Fast-10 on the complete MNIST: the Fast-5 run of
# fast-5_lenet5-bn_lenet5-half_1xb256_mnist.py with Fast-10's synthesis steps
# and learning rates (those of
# fast-10_lenet5-bn_lenet5-half_1xb256_digits.py).
#   python tools/train.py configs/fast/fast-10_lenet5-bn_lenet5-half_1xb256_mnist.py
_base_ = ['./fast-5_lenet5-bn_lenet5-half_1xb256_mnist.py']

model = dict(synthesizer=dict(steps=10, lr_g=0.002, lr_z=0.01))
