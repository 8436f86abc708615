# ZSKT, WRN-40-1 -> WRN-16-1 on CIFAR-10, the paper's settings (Table 1).
_base_ = ['./zskt_backbone_logits_wrn-40-2_wrn-16-1_1xb128_cifar10.py']

model = dict(
    teacher=dict(
        cfg_path='{{ fileDirname }}/../teachers/wrn-40-1_1xb128_cifar10.py'),
    teacher_ckpt='checkpoints/wrn-40-1_1xb128_cifar10.pth',
)
