# The ZSKT authors' wide-ResNet recipe on all of SVHN's `train` split
# (polo5/FewShotKnowledgeTransfer at ac68538, main.py and solver.py with
# n_images_per_class = -1): SGD 0.1, momentum 0.9, weight decay 5e-4,
# 100 epochs, lr x 0.2 at epochs 30/60/80, batch 128 (in the dataset).
# cifar10_sgd_200e.py (with its runtime) at these milestones and length,
# and a checkpoint every 10 epochs.
_base_ = ['./cifar10_sgd_200e.py']

param_scheduler = dict(milestones=[30, 60, 80])
train_cfg = dict(max_epochs=100)
default_hooks = dict(checkpoint=dict(interval=10))
