# DFAD as the zju-vipa DataFree zoo runs it, WRN-40-2 -> WRN-16-1 on
# CIFAR-10, one GPU x 256 generated images.
# Train the teacher first:
#   python tools/train.py configs/teachers/wrn-40-2_1xb128_cifar10.py
# then publish it (tools/model_converters/publish_model.py) to
# checkpoints/wrn-40-2_1xb128_cifar10.pth (_base_/pairs/ names it), and
#   python tools/train.py configs/dfad/dfad_wrn-40-2_wrn-16-1_1xb256_cifar10.py
# Evaluation reads data/cifar10/cifar-10-batches-py; training reads nothing.
# Source: zju-vipa/DataFree (= zju-vipa/CMI) scripts/dfad_cifar10.sh of the
# first commit 3f791f9 (deleted in 6c02927; 9e79fa9 has no DFAD script but
# still runs --method dfad): --method dfad --batch_size 256 --lr 0.1
# --epochs 200 --kd_steps 5 --ep_steps 400 --g_steps 1 --lr_g 1e-3 --adv 1
# --T 1 --bn 0 --oh 0 --act 0 --balance 0, run by datafree_kd.py (9e79fa9
# lines 255-259: LargeGenerator with nz 256, L1Loss as the student's loss
# and, through adv 1, -L1 as the generator's; SGD momentum 0.9, weight decay
# 1e-4, cosine over the 200 epochs, lines 287-290) and
# datafree/synthesis/generative.py lines 52-79 (a generator step with the
# student in eval mode, then the student's batches from the generator in
# eval mode). This is the zoo's DFAD, not VainF's (dfad_r34_r18_1xb256_
# cifar10.py): generator first, student in eval mode in the generator step,
# a sigmoid generator, the WRN schedule.
# Iterations: an epoch is ep_steps // kd_steps = 400 // 5 = 80 rounds of
# (1 generator step, 5 student steps), one round per iteration here, so
# 200 x 80 = 16,000 iterations (80,000 student steps).
# Neither the DataFree nor the Fast-Datafree README reports DFAD numbers.
# What differs from the zoo's run, and why:
#   - the student's cosine is stepped every iteration (to 0 at 16,000)
#     instead of once per epoch: the loop is iteration based;
#   - the generator's images are normalised with mmpretrain's CIFAR-10
#     statistics (the same values as the zoo's, to 4 digits);
#   - the final student is evaluated, not the best test checkpoint (the zoo
#     keeps the best on the test set); validation every 10 epochs instead
#     of every epoch.
_base_ = [
    '../_base_/recipes/zju-datafree_generator.py',
    '../_base_/datasets/cifar10.py',
]

model = dict(
    type='DFAD',
    # adv 1 with the L1 criterion; bn, oh, act and balance are 0
    generator_losses=dict(adversarial=dict(type='L1Logits', loss_weight=-1.0)),
    student_loss=dict(_delete_=True, type='L1Logits'),
)
