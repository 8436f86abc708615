# DAFL as the zju-vipa DataFree zoo runs it, WRN-40-2 -> WRN-16-1 on
# CIFAR-10, one GPU x 256 generated images.
# Train the teacher first:
#   python tools/train.py configs/teachers/wrn-40-2_1xb128_cifar10.py
# then publish it (tools/model_converters/publish_model.py) to
# checkpoints/wrn-40-2_1xb128_cifar10.pth (_base_/pairs/ names it), and
#   python tools/train.py configs/dafl/dafl_wrn-40-2_wrn-16-1_1xb256_cifar10.py
# Evaluation reads data/cifar10/cifar-10-batches-py; training reads nothing.
# Source: zju-vipa/DataFree 9e79fa9 (= zju-vipa/CMI),
# scripts/dafl/dafl_cifar10_wrn402_wrn161.sh: --method dafl --batch_size
# 256 --lr 0.1 --epochs 200 --kd_steps 5 --ep_steps 400 --g_steps 1
# --lr_g 1e-3 --adv 0 --T 20 --bn 0 --oh 1 --act 0.001 --balance 20, run by
# datafree_kd.py (LargeGenerator with nz 512 for dafl, line 256; SGD
# momentum 0.9, weight decay 1e-4, cosine over the 200 epochs, lines
# 287-290; KL at T 1, line 259: the script's --T 20 is ignored) and
# datafree/synthesis/generative.py lines 52-75 (the generator step; the
# student's batches come from the generator in eval mode, line 79).
# Iterations: an epoch is ep_steps // kd_steps = 400 // 5 = 80 rounds of
# (1 generator step, 5 student steps), one round per iteration here, so
# 200 x 80 = 16,000 iterations (80,000 student steps).
# The DataFree README reports teacher 94.87, student on data 91.12 and DAFL
# 65.71 for this pair (its numbers, not ours; the Fast-Datafree README
# gives other WRN DAFL numbers).
# What differs from the zoo's run, and why:
#   - the student's cosine is stepped every iteration (to 0 at 16,000)
#     instead of once per epoch: the loop is iteration based;
#   - the generator's images are normalised with mmpretrain's CIFAR-10
#     statistics (the same values as the zoo's, to 4 digits);
#   - the final student is evaluated, not the best test checkpoint (the zoo
#     keeps the best on the test set); validation every 10 epochs instead
#     of every epoch.
# Teacher file: the project's WRN-40-2 is trained by ZSKT's WRN recipe
# (configs/teachers/wrn-40-2_1xb128_cifar10.py); the zoo's own WRN-40-2
# (cifar10_wrn40_2.pth, the DataFree README's "Dropbox-Models (266 MB)" link)
# is the same network and converts to teacher_ckpt with
#   python tools/model_converters/zju_vipa_to_mmpretrain.py checkpoints/pretrained/cifar10_wrn40_2.pth checkpoints/wrn-40-2_1xb128_cifar10.pth
_base_ = [
    '../_base_/recipes/zju-datafree_generator.py',
    '../_base_/datasets/cifar10.py',
]

model = dict(
    type='DAFL',
    generator=dict(latent_dim=512),
    # adv 0 and bn 0: those terms are left out
    generator_losses=dict(
        onehot=dict(type='OnehotLikeLoss', loss_weight=1.0),
        balance=dict(
            type='InformationEntropyLoss',
            log_base=2.718281828459045,
            loss_weight=20.0),
        activation=dict(type='ActivationLoss', loss_weight=0.001)),
    feature_layer='neck',
)
