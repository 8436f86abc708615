# NAYER-300, WRN-40-2 -> WRN-16-2 on CIFAR-100, one GPU x 512: NAYER-100's
# config (its header has the recipe, the teacher and the label embeddings)
# with --epochs 320 (scripts/nayer_300.sh): 300 x 400 student
# steps after the 20 warm-up epochs.
#   python tools/train.py configs/nayer/nayer-300_wrn-40-2_wrn-16-2_1xb512_cifar100.py
_base_ = ['./nayer-100_wrn-40-2_wrn-16-2_1xb512_cifar100.py']

epochs = 300
max_iters = epochs * 400
train_cfg = dict(max_iters=max_iters)
