# The CIFAR-10 AlexNet teacher of ZSKD (Nayak et al., ICML 2019), as in
# their released TensorFlow code: 1,659,178 parameters (the paper: 1.66M).
# Five conv stages (conv-ReLU, LRN, 3x3/2 max-pools without padding:
# 32 -> 15 -> 7 -> 3) flattened to 128 x 3 x 3 = 1152 features, then
# fc 512 -> fc 256 -> fc 10. Inputs are pixels in [0, 1]: the configs using
# it set data_preprocessor mean=[0, 0, 0], std=[255, 255, 255].
# Head: AlexNetCIFARClsHead is mmpretrain's StackedLinearClsHead (same
# arguments and parameter names) with the paper's hidden-layer order
# fc -> ReLU -> dropout -> BN (StackedLinearClsHead runs fc -> BN -> ReLU ->
# dropout) and a flatten of the backbone map in place of a neck.
model = dict(
    _scope_='mmpretrain',
    type='ImageClassifier',
    backbone=dict(
        type='mmrazor_zs.AlexNetCIFAR',
        widths=(48, 128, 192, 192, 128),
        out_indices=(4, )),
    neck=None,
    head=dict(
        type='mmrazor_zs.AlexNetCIFARClsHead',
        num_classes=10,
        in_channels=128 * 3 * 3,  # widths[4] x 3 x 3 on 32 x 32 inputs
        mid_channels=[512, 256],
        dropout_rate=0.5,
        norm_cfg=dict(type='BN1d'),
        act_cfg=dict(type='ReLU'),
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
    ),
)
