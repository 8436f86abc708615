# CIFAR wide ResNet WRN-16-1 (depth 6n+4, widen factor k); the teachers and
# students of ZSKT's Table 1 override depth, widen_factor and in_channels.
# The classifier starts from mmpretrain's Normal(0, 0.01); the original WRN
# code's (nn.Linear's own init, zero bias) is one option away:
#   --cfg-options model.head.init_cfg.type=mmrazor_zs.TorchLinearInit
model = dict(
    _scope_='mmpretrain',
    type='ImageClassifier',
    backbone=dict(type='mmrazor_zs.WideResNetCIFAR', depth=16, widen_factor=1),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=10,
        in_channels=64,  # 64 * widen_factor
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
    ),
)
