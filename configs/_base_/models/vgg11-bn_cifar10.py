# VGG-11 with batch norm for CIFAR as the zju-vipa data-free zoo builds its
# vgg11 (datafree/models/classifiers/vgg.py, vgg11_bn, at zju-vipa/DataFree
# 9e79fa9 and zju-vipa/Fast-Datafree 0dcecbc): the zoo's five conv blocks
# (mmrazor_zs.VGGCIFAR, with its module names and initialisation), global
# average pooling and one linear layer (the zoo's Normal(0, 0.01) weight and
# zero bias are LinearClsHead's default).
model = dict(
    _scope_='mmpretrain',
    type='ImageClassifier',
    backbone=dict(type='mmrazor_zs.VGGCIFAR', depth=11),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=10,
        in_channels=512,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
    ),
)
