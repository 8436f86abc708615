# ZSKT as in the paper (Micaelli & Storkey, NeurIPS 2019, Table 1):
# WRN-40-2 -> WRN-16-1 on CIFAR-10, KL + 250 x attention transfer on the
# three group outputs, batch 128, n_g = 1, n_s = 10, 80k iterations.
# Train the teacher first:
#   python tools/train.py configs/teachers/wrn-40-2_1xb128_cifar10.py
# then publish it to the path below (tools/model_converters/publish_model.py)
#   python tools/train.py configs/zskt/zskt_backbone_logits_wrn-40-2_wrn-16-1_1xb128_cifar10.py
_base_ = [
    '../_base_/datasets/cifar10.py',
    '../_base_/schedules/zskt_adam_cosine_80k.py',
    '../_base_/data_free_runtime.py',
]

model = dict(
    type='ZSKT',
    teacher=dict(
        cfg_path='{{ fileDirname }}/../teachers/wrn-40-2_1xb128_cifar10.py'),
    teacher_ckpt='checkpoints/wrn-40-2_1xb128_cifar10.pth',
    student=dict(
        cfg_path='{{ fileDirname }}/../teachers/wrn-16-1_1xb128_cifar10.py'),
    generator=dict(type='ZSKTGenerator', latent_dim=100),
    input_shape=(3, 32, 32),
    batch_size=128,
    generator_steps=1,
    student_steps=10,
    student_batch='same',
    student_loss=dict(type='KLDivergence', tau=1.0, reduction='mean'),
    at_loss=dict(type='AttentionTransferLoss', loss_weight=250.0),
    at_pairs=[
        ('backbone.group1', 'backbone.group1'),
        ('backbone.group2', 'backbone.group2'),
        ('backbone.group3', 'backbone.group3'),
    ],
)

val_evaluator = [
    dict(type='mmpretrain.Accuracy', topk=(1, )),
    dict(type='TeacherReference'),
]
test_evaluator = val_evaluator
