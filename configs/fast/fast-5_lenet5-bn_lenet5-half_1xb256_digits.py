# Fast-5 on the embedded digits: LeNet-5-BN teacher -> LeNet-5-half
# student. A meta-learned generator (first-order MAML) makes each round's
# batch in 5 steps from a copy of itself; the batches go to the image
# pool (work_dir/image_pool) and the student distils on the pool. No
# training image is read.
#   python tools/train.py configs/fast/fast-5_lenet5-bn_lenet5-half_1xb256_digits.py
# The authors' recipe (zju-vipa/Fast-Datafree 0dcecbc, scripts/fast_cifar.sh,
# Fast-5): g_steps 5, lr_g 0.003, lr_z 0.01, bn 10 with momentum
# 0.9, oh 0.5, adv 1.33, warm-up 20 rounds, 400 student steps per round,
# 200 rounds, SGD 0.2 with cosine to 2e-4, KL at T=20; what this CPU demo
# changes is listed in the recipe below.
_base_ = [
    '../_base_/recipes/fast-5_lenet5-demo.py',
    '../_base_/datasets/digits.py',
]
