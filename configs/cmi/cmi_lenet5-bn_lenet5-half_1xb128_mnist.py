# CMI on the complete MNIST (60,000 training images, never read; evaluation on
# the 10,000 test images): LeNet-5-BN teacher of
# configs/teachers/lenet5-bn_1xb64_mnist.py -> LeNet-5-half.
# Prepare the data once (tools/dataset_converters/prepare_mnist.py) and
# publish the teacher of configs/teachers/lenet5-bn_1xb64_mnist.py to the
# checkpoint named below (configs/teachers/metafile.yml has the command), then
#   python tools/train.py configs/cmi/cmi_lenet5-bn_lenet5-half_1xb128_mnist.py
# Settings: those of the digits demo
# (configs/_base_/recipes/cmi_lenet5-demo.py, which says what differs from the
# authors' recipe), with the MNIST teacher and test split, and the digits demo
# three times as long: 3,000 student steps, a synthesis round every 50 (60
# rounds instead of 20), a bank of 15,360 features (60 rounds) instead of
# 5,120; validation every 750.
# The CMI paper has no MNIST row.
_base_ = [
    '../_base_/recipes/cmi_lenet5-demo.py',
    '../_base_/datasets/mnist.py',
]

model = dict(
    teacher_ckpt='checkpoints/lenet5-bn_1xb64_mnist-90bb49f3.pth',
    synthesizer=dict(bank_size=15360))
train_cfg = dict(max_iters=3000, val_interval=750)
default_hooks = dict(checkpoint=dict(interval=3000))
