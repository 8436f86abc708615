# CMI on the embedded digits: LeNet-5-BN teacher -> LeNet-5-half student.
# Each round re-initialises a generator and inverts the teacher with a
# contrastive term against the memory bank of earlier rounds' features;
# the batches go to the image pool (work_dir/image_pool) and the student
# distils on the pool. No training image is read.
#   python tools/train.py configs/cmi/cmi_lenet5-bn_lenet5-half_1xb128_digits.py
# The zoo's recipe (zju-vipa/DataFree 9e79fa9,
# scripts/cmi/scratch_cmi_cifar10_wrn402_wrn161.sh): synthesis batch 256 of
# 200 steps at lr_g 1e-3, bn 1, oh 1, adv 0.5, cr 0.8, cr_T 0.1, head 256,
# bank 40,960 with 4,096 negatives, student batch 128, 400 student steps per
# round, 200 rounds, SGD 0.1 with cosine, KL at T=20; what this CPU demo
# changes is listed in the recipe below.
_base_ = [
    '../_base_/recipes/cmi_lenet5-demo.py',
    '../_base_/datasets/digits.py',
]
