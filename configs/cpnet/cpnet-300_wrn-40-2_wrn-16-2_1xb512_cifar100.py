# CPNet-300, WRN-40-2 -> WRN-16-2 on CIFAR100, one GPU x 512: CPNet-100's
# config (its header has the recipe, the teacher, the coupled layers and the
# label embeddings) with --epochs 320 (cpnet_300.sh): 300 x 400 student
# steps after the 20 warm-up epochs.
#   python tools/train.py configs/cpnet/cpnet-300_wrn-40-2_wrn-16-2_1xb512_cifar100.py
_base_ = ['./cpnet-100_wrn-40-2_wrn-16-2_1xb512_cifar100.py']

epochs = 300
max_iters = epochs * 400
train_cfg = dict(max_iters=max_iters)
