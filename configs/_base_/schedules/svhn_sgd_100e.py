# The ZSKT authors' wide-ResNet recipe on all of SVHN's `train` split
# (polo5/FewShotKnowledgeTransfer at ac68538, main.py and solver.py with
# n_images_per_class = -1): SGD 0.1, momentum 0.9, weight decay 5e-4,
# 100 epochs, lr x 0.2 at epochs 30/60/80, batch 128 (in the dataset).
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=5e-4))
param_scheduler = dict(
    type='MultiStepLR', by_epoch=True, milestones=[30, 60, 80], gamma=0.2)
train_cfg = dict(by_epoch=True, max_epochs=100, val_interval=10)
val_cfg = dict()
test_cfg = dict()
