# CPNet on the embedded digits: LeNet-5-BN teacher -> LeNet-5-half student.
# NAYER's loop with a generator whose stages mirror the teacher's (their maps
# pulled towards the teacher's batch-norm inputs), a feature-level alignment
# through the pseudo-inverse of the teacher's classifier, and CutMix; the
# lowest-loss batch of each loop goes to the image pool (work_dir/image_pool)
# and the student distils on the pool. No training image is read.
#   python tools/train.py configs/cpnet/cpnet_lenet5-bn_lenet5-half_1xb256_digits.py
# The authors' recipe (LannCX/CPNet 3f3d397, cpnet_100.sh, CIFAR-100): that of
# NAYER (400 images per loop, g_steps 40, lr_g 4e-3, bn 10 with momentum 0.9,
# oh 0.5, adv 1.33, 20 warm-up epochs of 10 loops, then 2 loops per 400
# student steps of 512 images for 100 epochs, the generator rebuilt every 10
# epochs, SGD 0.2 with cosine to 2e-4, KL at T=20) with the coupled generator,
# the alignment weighted by adv and CutMix (p 0.5); what this CPU demo changes
# is listed in the recipes below.
_base_ = [
    '../_base_/recipes/cpnet_lenet5-demo.py',
    '../_base_/datasets/digits.py',
]
