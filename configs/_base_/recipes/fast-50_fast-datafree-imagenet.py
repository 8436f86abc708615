# Fast-50 on ImageNet as zju-vipa/Fast-Datafree 0dcecbc runs it
# (datafree_kd_imagenet.py "KD", datafree/synthesis/fast_meta_imagenet.py
# "FMI", datafree/models/generator.py "GEN", registry.py "REG"), with the
# arguments its three logs print (logs/log-imagenet-resnet50_imagenet-
# {resnet50,resnet18,mobilenetv2}_imagenet-FastDFKD_50.txt, the headers of
# the final runs), one GPU x 100:
#   rounds           one per 100 student steps (--kd_steps 100), 10 per
#                    epoch of 1,000 steps (--ep_steps 1000, KD:412-418),
#                    400 epochs (--epochs 400): 4,000 rounds, 400,000
#                    images, 400,000 student steps of 100
#   generator        SpatialLatentGenerator: the code (100, 256, 14, 14)
#                    through convolutions and 4 upsamplings to 224 x 224,
#                    sigmoid (GEN:56-114; nz 256, ngf 64, KD:344-346)
#   round            a copy of the meta-generator and of the meta-learned
#                    code, 50 Adam steps (--g_steps 50) at lr 2e-4 (--lr_g)
#                    and 0.01 for the code (--lr_z), betas (0.5, 0.999)
#                    (FMI:116-123); the batch of the last step kept
#                    (FMI:126, 169)
#   meta step        Reptile (--is_maml 0), unscaled (FMI:20-29), meta-Adam
#                    at 1e-4 (--lr_g_meta) and 5e-3 for the code
#                    (--lr_z_meta), betas (0.5, 0.999) (FMI:88-89); the
#                    code re-drawn with a new meta-Adam every 50 rounds
#                    (--reinit 50, FMI:110-115)
#   terms            BN statistics 0.1 (--bn) with momentum 0.9 (--bn_mmt),
#                    class CE 0.1 (--oh), the agreement-masked KL at -adv
#                    from the first round (FMI:133-142); uniform random
#                    labels (FMI:117-118)
#   view             per image RandomResizedCrop(224, scale 0.75-1) and a
#                    flip (FMI:95-101), then torchvision's normalisation
#   student          the pool re-read with RandomResizedCrop(224) + flip
#                    (REG:156-161), the teacher's logits, KL at T=5 x 25
#                    (--T 5, KD:272), SGD 0.1, momentum 0.9, weight decay
#                    1e-4 (KD:363), cosine over the run (KD:366: per epoch
#                    there, per step here)
# Differences (ours): the runs started from a pool of earlier images
# (--cmi_init run/imagenet_reinit_reuse_onlyz_reinit, not released, of
# unknown size); this starts from an empty pool. The evaluation runs every
# 10 epochs (there every epoch). The code does not run as committed (KD:343
# ends an assert with a colon) and its --is_maml default (1) crashes; the
# logs' settings are used. The pool (400,000 images of 224 x 224: 60 GB of
# uint8) is memory-mapped from the work dir.
_base_ = [
    '../imagenet_inversion_runtime.py',
    '../schedules/zju_datafree_sgd_cosine.py',
]

max_iters = 400 * 1000

model = dict(
    type='Fast',
    batch_size=100,
    warmup_rounds=0,
    round_interval=100,
    student_loss=dict(
        type='KLDivergence', tau=5.0, reduction='batchmean', loss_weight=25.0),
    synthesizer=dict(
        type='FastMetaSynthesizer',
        batch_size=100,
        steps=50,
        lr_g=2e-4,
        lr_z=0.01,
        meta='reptile',
        reptile_scale=1.0,
        lr_g_meta=1e-4,
        meta_latent=True,
        lr_z_meta=5e-3,
        redraw_latent_every=50,
        reset_first_layers_at_round=None,
        generator=dict(
            type='SpatialLatentGenerator', latent_dim=256, base_channels=64),
        augment=dict(type='resized_crop_flip', scale=(0.75, 1.0)),
        labels='random',
        keep='last_step',
        bn_momentum=0.9,
        losses=dict(
            bn=dict(type='BatchNormStatisticsLoss', loss_weight=0.1),
            onehot=dict(type='LabelCrossEntropy', loss_weight=0.1),
            adversarial=dict(type='AgreementMaskedKL', loss_weight=-0.1))),
)

auto_scale_lr = dict(base_batch_size=100)

train_cfg = dict(max_iters=max_iters, val_interval=10 * 1000)
default_hooks = dict(
    checkpoint=dict(interval=5 * 1000, max_keep_ckpts=2),
    logger=dict(interval=100))
