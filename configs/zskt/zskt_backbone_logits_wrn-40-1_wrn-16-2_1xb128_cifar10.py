# ZSKT, WRN-40-1 -> WRN-16-2 on CIFAR-10, the paper's settings (Table 1).
_base_ = ['./zskt_backbone_logits_wrn-40-1_wrn-16-1_1xb128_cifar10.py']

model = dict(
    student=dict(
        cfg_path='{{ fileDirname }}/../teachers/wrn-16-2_1xb128_cifar10.py'))
