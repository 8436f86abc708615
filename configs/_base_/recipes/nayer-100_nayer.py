# NAYER-100 as tmtuan1307/NAYER c6bedcd scripts/nayer_100.sh runs it on
# CIFAR-100 (the WRN-40-2 -> WRN-16-2 line the README shows):
#   --batch_size 512 --synthesis_batch_size 400 --lr 0.2 --warmup 20
#   --epochs 120 --lr_g 4e-3 --adv 1.33 --bn 10.0 --oh 0.5 --g_steps 40
#   --g_life 10 --g_loops 2 --gwp_loops 10
# with datafree_kd.py's defaults --T 20 --kd_steps 400 --eta_min 2e-4
# --wd 1e-4 --le_emb_size 1000 --bn_mmt 0.9 (SGD momentum 0.9, lines
# 336-338). Here: 20 warm-up epochs of 10 generator loops (200 rounds), then
# 100 x 400 student steps of 512 pool images with 2 loops before every
# 400th; the cosine runs over the student steps (the code steps it once per
# epoch after the warm-up). NAYER-200 / -300 (nayer_200.sh, nayer_300.sh)
# change --epochs only. The leaves add their teacher, student, evaluation
# split and label embeddings; CIFAR-10 takes --g_steps 30.
_base_ = [
    '../inversion_runtime.py',
    '../schedules/zju_datafree_sgd_cosine.py',
]

epochs = 100
max_iters = epochs * 400

model = dict(
    type='NAYER',
    batch_size=512,
    round_interval=400,
    warmup_epochs=20,
    warmup_loops=10,
    loops=2,
    generator_life=10,
    input_shape=(3, 32, 32),
    pool_augment=dict(padding=4, flip=True),
    synthesizer=dict(batch_size=400, steps=40, lr_g=4e-3))

optim_wrapper = dict(student=dict(optimizer=dict(lr=0.2)))
param_scheduler = dict(student=dict(eta_min=2e-4))
auto_scale_lr = dict(base_batch_size=512)

train_cfg = dict(max_iters=max_iters, val_interval=10 * 400)
default_hooks = dict(checkpoint=dict(interval=4000, max_keep_ckpts=2))
