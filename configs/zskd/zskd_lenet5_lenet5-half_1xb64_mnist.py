# ZSKD on the complete MNIST (60,000 training images, never read; evaluation
# on the 10,000 test images): LeNet-5 teacher of
# configs/teachers/lenet5_1xb64_mnist.py -> LeNet-5-half, the paper's pair.
# Prepare the data once (tools/dataset_converters/prepare_mnist.py) and
# publish the teacher to the checkpoint named below (configs/teachers/
# metafile.yml has the command), then
#   python tools/train.py configs/zskd/zskd_lenet5_lenet5-half_1xb64_mnist.py
# Settings: the paper's 24,000 data impressions (2,400 per class, half at
# beta 1.0 and half at 0.1) made and learnt as in the digits demo
# (configs/_base_/recipes/zskd_lenet5-demo.py): 150 Adam steps at 0.01 on
# clamped pixels instead of the released code's 1,500 at 1e-3 with its batch
# min-max rescale, and the student on teacher-relabelled augmentations for
# 30 epochs instead of 500. The paper's lengths, hours on 2 CPU cores:
#   --cfg-options synthesis.iterations=1500 train_cfg.max_epochs=500
# The ZSKD paper's MNIST row (its Table 1): teacher 99.34, student on data
# 98.92, KD on data 99.25, ZSKD 98.77 (24,000 impressions).
_base_ = [
    '../_base_/recipes/zskd_lenet5-demo.py',
    '../_base_/datasets/mnist.py',
]

teacher_ckpt = 'checkpoints/lenet5_1xb64_mnist-498dd595.pth'
model = dict(teacher_ckpt=teacher_ckpt)
train_dataloader = dict(dataset=dict(teacher_ckpt=teacher_ckpt))

synthesis = dict(per_class=2400)

train_cfg = dict(max_epochs=30, val_interval=5)
default_hooks = dict(checkpoint=dict(interval=10))
