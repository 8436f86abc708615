# CPNet-100 as LannCX/CPNet 3f3d397 cpnet_100.sh runs it on CIFAR-100:
#   --batch_size 512 --synthesis_batch_size 400 --lr 0.2 --warmup 20
#   --epochs 120 --lr_g 4e-3 --adv 1.33 --bn 10.0 --oh 0.5 --g_steps 40
#   --g_life 10 --g_loops 2 --gwp_loops 10 --method cpnet
# with datafree_kd.py's defaults --T 20 --kd_steps 400 --eta_min 2e-4
# --wd 1e-4 --le_emb_size 1000 --bn_mmt 0.9: NAYER-100's loop and student
# stage (./nayer-100_nayer.py says how the code's epochs become rounds and
# iterations) with CPNet's synthesis: the coupled generator, the coupling
# term (unweighted), the alignment weighted by --adv, CutMix with p 0.5,
# the adversarial KL from the student to the teacher, and kornia's
# ColorJitter(0.1, 0.1, 0.1, 0.1, p=0.4) after the crop and flip. The
# scripts' --dist (0.0 to 1.0) is read and never used by the code. CPNet-300 (cpnet_300.sh)
# changes --epochs to 320. The leaves add their teacher with its coupled
# layers (the code's _BN_NODES), student, evaluation split and label
# embeddings; CIFAR-10 takes --g_steps 30.
_base_ = ['./nayer-100_nayer.py']

model = dict(
    type='CPNet',
    synthesizer=dict(
        generator=dict(type='CoupledGenerator', noise_dim=1000),
        coupling_weight=1.0,
        alignment_weight=1.33,
        cutmix_prob=0.5,
        color_jitter=dict(
            brightness=0.1, contrast=0.1, saturation=0.1, hue=0.1, p=0.4)))
