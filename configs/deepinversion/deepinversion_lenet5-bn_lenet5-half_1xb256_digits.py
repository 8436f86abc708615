# DeepInversion in the paper's offline form on the embedded digits:
# LeNet-5-BN teacher -> LeNet-5-half student. First every batch is inverted
# from the teacher (batch-norm statistics, class cross-entropy, total
# variation; no student term) into the image pool (work_dir/image_pool),
# then the student distils on the whole pool. No training image is read.
#   python tools/train.py configs/deepinversion/deepinversion_lenet5-bn_lenet5-half_1xb256_digits.py
# Synthesis follows NVlabs/DeepInversion 2413af1 (cifar10/
# deepinversion_cifar10.py: Adam 0.05 with betas (0.9, 0.999), jitter 2 px
# without flip, labels 0..9 cycled, no clipping, TV as the sum of unsquared
# norms on the jittered batch, 2,000 steps per batch); NVlabs released no
# CIFAR distillation, so the student part is the zju-vipa zoo's (SGD 0.1,
# cosine, KL at T=20). What this CPU demo shortens is listed in the recipe below.
_base_ = [
    '../_base_/recipes/deepinversion_lenet5-demo.py',
    '../_base_/datasets/digits.py',
]
