# Adaptive DeepInversion (the zju-vipa zoo's loop) on the embedded digits:
# LeNet-5-BN teacher -> LeNet-5-half student. Each round optimises a batch
# of pixels against the teacher's BN statistics, class cross-entropy, total
# variation and the JS competition with the student, keeps it in the image
# pool (work_dir/image_pool), then the student takes `round_interval` steps
# on the pool. No training image is read.
#   python tools/train.py configs/deepinversion/adi_lenet5-bn_lenet5-half_1xb256_digits.py
# The zoo's recipe (scripts/deepinv/deepinv_cifar10_wrn402_wrn161.sh):
# 1,000 synthesis steps per round, 400 student steps per round, 200 rounds;
# what this CPU demo shortens is listed in the recipe below.
_base_ = [
    '../_base_/recipes/adi_lenet5-demo.py',
    '../_base_/datasets/digits.py',
]
