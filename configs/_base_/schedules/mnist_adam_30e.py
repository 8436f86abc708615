# Training a LeNet-5 on MNIST or Fashion-MNIST: the digits schedule at
# learning rate 1e-3, with logs every 100 iterations.
_base_ = ['./digits_adam_30e.py']

optim_wrapper = dict(optimizer=dict(lr=1e-3))
default_hooks = dict(logger=dict(interval=100))
