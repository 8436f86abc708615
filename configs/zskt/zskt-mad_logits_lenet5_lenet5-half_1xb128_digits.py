# ZSKT with MAD's momentum generator on the embedded digits: the ZSKT demo
# (zskt_logits_lenet5_lenet5-half_1xb128_digits.py) plus an exponential
# moving average of its generator; every student step also learns from a
# batch of the averaged generator.
#   python tools/train.py configs/zskt/zskt-mad_logits_lenet5_lenet5-half_1xb128_digits.py
# MAD (Do et al., NeurIPS 2022) released no code, and the paper's settings
# could not be read here: this is a re-implementation from the paper's
# abstract and Figure 1. alpha 0.95 and equal weights of the two batches'
# losses are assumptions (docs/en/user_guides/generator_family.md,
# section "MAD").
_base_ = ['./zskt_logits_lenet5_lenet5-half_1xb128_digits.py']

model = dict(momentum_generator=dict(momentum=0.95, loss_weight=1.0))
