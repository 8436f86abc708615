# DFAD on the embedded digits: LeNet-5 teacher -> LeNet-5-half student, the
# pair of DFAD's MNIST experiment. Per iteration 5 student steps on fresh
# generated batches, then one generator step that maximises the students'
# L1 distance to the teacher. No training image is read.
#   python tools/train.py configs/dfad/dfad_lenet5_lenet5-half_1xb256_digits.py
# The released MNIST recipe (DFAD_mnist.py defaults): batch 512, SGD 0.01
# (momentum 0.9, weight decay 1e-4), Adam 1e-3 for GeneratorA with nz 100,
# 40 x 50 iterations, no decay. What this CPU demo changes is listed in the recipe below.
_base_ = [
    '../_base_/recipes/dfad_lenet5-demo.py',
    '../_base_/datasets/digits.py',
]
