# The zju-vipa data-free zoo's teacher recipe: train_scratch.py at
# zju-vipa/DataFree 9e79fa9 (= zju-vipa/CMI) as its README runs it,
#   python train_scratch.py --model wrn40_2 --dataset cifar10 \
#       --batch-size 256 --lr 0.1 --epoch 200 --gpu 0
# i.e. one GPU x 256, cross-entropy, SGD lr 0.1 with the parser's momentum
# 0.9 and weight decay 1e-4, lr x 0.1 at epochs 120, 150, 180 (the default
# --lr_decay_milestones, MultiStepLR stepped per epoch), 200 epochs.
# zju-vipa/Fast-Datafree 0dcecbc's train_scratch.py differs in its defaults
# only (gamma 0.2, 50 epochs); its README runs the same command.
# The leaves add the network, registry.py's CIFAR training split (random
# 32 x 32 crop of the image padded by 4, horizontal flip, NORMALIZE_DICT:
# _base_/datasets/cifar10_train.py or cifar100_train.py) and its batch of
# 256 (train_dataloader = dict(batch_size=256)).
# What differs from the zoo's run, and why: the zoo validates every epoch
# and keeps the epoch with the best test accuracy (save_checkpoint with
# is_best); here the last epoch is kept and validation runs every 10
# epochs, so that no choice is made on the test split.
_base_ = ['../default_runtime.py']

optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=1e-4))
param_scheduler = dict(
    type='MultiStepLR', by_epoch=True, milestones=[120, 150, 180], gamma=0.1)
train_cfg = dict(by_epoch=True, max_epochs=200, val_interval=10)
val_cfg = dict()
test_cfg = dict()

default_hooks = dict(checkpoint=dict(interval=20))
