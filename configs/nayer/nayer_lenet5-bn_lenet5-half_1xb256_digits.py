# NAYER on the embedded digits: LeNet-5-BN teacher -> LeNet-5-half student.
# A generator turns each class's embedding, through noisy layers re-drawn
# before every loop, into the loop's batch; the lowest-loss batch of each
# loop goes to the image pool (work_dir/image_pool) and the student distils
# on the pool. No training image is read.
#   python tools/train.py configs/nayer/nayer_lenet5-bn_lenet5-half_1xb256_digits.py
# The authors' recipe (tmtuan1307/NAYER c6bedcd, scripts/nayer_100.sh,
# CIFAR-100): 400 images per loop, g_steps 40, lr_g 4e-3, bn 10 with
# momentum 0.9, oh 0.5, adv 1.33, 20 warm-up epochs of 10 loops, then 2
# loops per 400 student steps of 512 images for 100 epochs, the generator
# rebuilt every 10 epochs, CLIP text embeddings of the class names, SGD 0.2
# with cosine to 2e-4, KL at T=20; what this CPU demo changes is listed in
# the recipe below.
_base_ = [
    '../_base_/recipes/nayer_lenet5-demo.py',
    '../_base_/datasets/digits.py',
]
