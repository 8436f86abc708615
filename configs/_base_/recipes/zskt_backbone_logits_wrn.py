# ZSKT as in the paper (Micaelli & Storkey, NeurIPS 2019) and the authors'
# scripts (polo5/ZeroShotKnowledgeTransfer e24915d): WRN-40-2 -> WRN-16-1,
# KL + 250 x attention transfer on the three group outputs, batch 128,
# n_g = 1, n_s = 10 on one batch, 80k iterations
# (_base_/schedules/zskt_adam_cosine_80k.py). The leaves add their
# evaluation split (_base_/datasets/) and, for other
# networks, their teacher and student.
_base_ = [
    '../pairs/wrn-40-2_wrn-16-1_cifar10.py',
    '../schedules/zskt_adam_cosine_80k.py',
]

model = dict(
    type='ZSKT',
    generator=dict(type='ZSKTGenerator', latent_dim=100),
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
