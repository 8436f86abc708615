# LeNet-5 (61,706 parameters), the digits teacher.
model = dict(
    _scope_='mmpretrain',
    type='ImageClassifier',
    backbone=dict(type='mmrazor_zs.LeNet5Backbone', widths=(6, 16, 120)),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='StackedLinearClsHead',
        num_classes=10,
        in_channels=120,
        mid_channels=[84],
        act_cfg=dict(type='Tanh'),
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
    ),
)
