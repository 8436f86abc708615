# ZSKT as in the paper (Micaelli & Storkey, NeurIPS 2019, Table 1):
# WRN-40-2 -> WRN-16-1 on CIFAR-10, KL + 250 x attention transfer on the
# three group outputs, batch 128, n_g = 1, n_s = 10, 80k iterations.
# Train the teacher first:
#   python tools/train.py configs/teachers/wrn-40-2_1xb128_cifar10.py
# then publish it (tools/model_converters/publish_model.py) to
# checkpoints/wrn-40-2_1xb128_cifar10.pth (_base_/pairs/ names it)
#   python tools/train.py configs/zskt/zskt_backbone_logits_wrn-40-2_wrn-16-1_1xb128_cifar10.py
_base_ = [
    '../_base_/recipes/zskt_backbone_logits_wrn.py',
    '../_base_/datasets/cifar10.py',
]
