# DAFL on the embedded digits: LeNet-5 teacher -> LeNet-5-half student, the
# pair of DAFL's MNIST experiment. The generator learns from the teacher
# alone (one-hot, information-entropy and activation terms); the student
# distils the teacher on the same batch. No training image is read.
#   python tools/train.py configs/dafl/dafl_lenet5_lenet5-half_1xb256_digits.py
# The released MNIST recipe (DAFL-train.py defaults): batch 512, Adam
# generator 0.2 and student 2e-3 without decay, latent 100, oh 1, ie 5,
# a 0.1, 200 x 120 iterations. What this CPU demo changes is listed in the recipe below.
_base_ = [
    '../_base_/recipes/dafl_lenet5-demo.py',
    '../_base_/datasets/digits.py',
]
