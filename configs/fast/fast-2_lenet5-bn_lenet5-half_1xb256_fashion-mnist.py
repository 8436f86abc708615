# Fast-2 on the complete Fashion-MNIST: the Fast-5 run of
# fast-5_lenet5-bn_lenet5-half_1xb256_fashion-mnist.py with Fast-2's synthesis
# steps and learning rates (those of
# fast-2_lenet5-bn_lenet5-half_1xb256_digits.py).
#   python tools/train.py configs/fast/fast-2_lenet5-bn_lenet5-half_1xb256_fashion-mnist.py
_base_ = ['./fast-5_lenet5-bn_lenet5-half_1xb256_fashion-mnist.py']

model = dict(synthesizer=dict(steps=2, lr_g=0.005, lr_z=0.015))
