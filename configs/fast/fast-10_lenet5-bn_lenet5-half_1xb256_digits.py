# Fast-10 on the embedded digits: LeNet-5-BN teacher -> LeNet-5-half
# student. A meta-learned generator (first-order MAML) makes each round's
# batch in 10 steps from a copy of itself; the batches go to the image
# pool (work_dir/image_pool) and the student distils on the pool. No
# training image is read.
#   python tools/train.py configs/fast/fast-10_lenet5-bn_lenet5-half_1xb256_digits.py
# The authors' recipe (zju-vipa/Fast-Datafree 0dcecbc, scripts/fast_cifar.sh,
# Fast-10): g_steps 10, lr_g 0.002, lr_z 0.01, bn 10 with momentum
# 0.9, oh 0.5, adv 1.33, warm-up 20 rounds, 400 student steps per round,
# 200 rounds, SGD 0.2 with cosine to 2e-4, KL at T=20; what this CPU demo
# changes is listed in configs/_base_/recipes/fast-5_lenet5-demo.py
# (everything but the three Fast-10 settings).
_base_ = ['./fast-5_lenet5-bn_lenet5-half_1xb256_digits.py']

model = dict(synthesizer=dict(steps=10, lr_g=0.002, lr_z=0.01))
