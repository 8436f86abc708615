# ResNet-34 for CIFAR as the zju-vipa data-free zoo builds its resnet34
# (datafree/models/classifiers/resnet.py, DAFL's CIFAR ResNet, at
# zju-vipa/DataFree 9e79fa9 and zju-vipa/Fast-Datafree 0dcecbc):
# mmpretrain's ResNet_CIFAR (3x3 stem, no max pool, BasicBlocks with a
# 1x1-conv-BN projection where the shape changes) computes the same function;
# tools/model_converters/zju_vipa_to_mmpretrain.py renames the zoo's weights
# to it. The zoo keeps PyTorch's default initialisation, reproduced here:
# convolutions Kaiming-uniform with a = sqrt(5) (fan-in), BN weight 1 and
# bias 0, no zero-initialised residual BN, the classifier's weight as
# nn.Linear draws it (TorchLinearInit; its bias starts at 0 where nn.Linear
# draws it uniformly too).
model = dict(
    _scope_='mmpretrain',
    type='ImageClassifier',
    backbone=dict(
        type='ResNet_CIFAR',
        depth=34,
        num_stages=4,
        out_indices=(3, ),
        style='pytorch',
        zero_init_residual=False,
        init_cfg=[
            dict(
                type='Kaiming',
                layer='Conv2d',
                a=2.23606797749979,  # sqrt(5)
                mode='fan_in',
                nonlinearity='leaky_relu',
                distribution='uniform'),
            dict(type='Constant', val=1, layer=['_BatchNorm', 'GroupNorm'])
        ]),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=10,
        in_channels=512,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
        init_cfg=dict(type='mmrazor_zs.TorchLinearInit'),
    ),
)
