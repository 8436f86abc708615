# The zju-vipa DataFree zoo's generator methods (datafree_kd.py lines
# 255-290 and datafree/synthesis/generative.py lines 52-79 at 9e79fa9) on
# WRN-40-2 -> WRN-16-1: the zoo's LargeGenerator (sigmoid pixels, then the
# teacher's normalisation), per round one generator step with the student in
# eval mode, then kd_steps student steps, each on a fresh batch of 256 from
# the generator in eval mode, KL at T 1 (the scripts' --T 20 is ignored);
# one round per iteration, 200 epochs of ep_steps // kd_steps = 400 // 5 =
# 80 rounds. DAFL, DFAD and DFQ set their type and losses, and where theirs
# differ, the generator and kd_steps with the loop's length.
_base_ = [
    '../pairs/wrn-40-2_wrn-16-1_cifar10.py',
    '../data_free_runtime.py',
    '../schedules/zju_datafree_adam_sgd_cosine.py',
]

kd_steps = 5
rounds_per_epoch = 400 // kd_steps  # ep_steps // kd_steps = 80
max_iters = 200 * rounds_per_epoch  # 16,000

model = dict(
    generator=dict(type='DFQGenerator', latent_dim=256),
    student_loss=dict(type='KLDivergence', tau=1.0, reduction='batchmean'),
    batch_size=256,
    generator_steps=1,
    student_steps=kd_steps,
    order='generator_first',
    student_batch='fresh',
    student_mode_in_generator_step='eval',
    generator_mode_for_student='eval',
)

auto_scale_lr = dict(base_batch_size=256)

train_cfg = dict(max_iters=max_iters, val_interval=10 * rounds_per_epoch)
default_hooks = dict(checkpoint=dict(interval=2000, max_keep_ckpts=2))
