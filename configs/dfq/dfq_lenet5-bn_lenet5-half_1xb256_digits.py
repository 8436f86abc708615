# DFQ (as the zju-vipa zoo runs it) on the embedded digits: a LeNet-5 with
# batch norm as teacher (the generator matches its BN statistics) ->
# LeNet-5-half student. Per iteration one generator step (BN statistics,
# one-hot, adversarial KL and class balance), then student steps on fresh
# batches made by the generator in eval mode. No training image is read.
#   python tools/train.py configs/dfq/dfq_lenet5-bn_lenet5-half_1xb256_digits.py
# The zoo's recipe (scripts/dfq/dfq_cifar10_wrn402_wrn161.sh): batch 256,
# SGD 0.1 (momentum 0.9, weight decay 1e-4, cosine), Adam 1e-3 with betas
# (0.5, 0.999) for the generator, kd_steps 10, adv 1, bn 1, oh 1,
# balance 20. What this CPU demo changes is listed in the recipe below.
_base_ = [
    '../_base_/recipes/dfq_lenet5-demo.py',
    '../_base_/datasets/digits.py',
]
