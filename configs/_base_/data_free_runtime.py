# Runtime of data-free distillation runs: the data-free loop (each config
# sets its max_iters and val_interval) that reads no training data, the
# student's top-1 next to the teacher's and their agreement on the
# evaluation split, iteration-based logs and checkpoints, generator samples,
# and a summary (teacher/student top-1, wall time) at the end.
_base_ = ['./default_runtime.py']

train_dataloader = dict()  # data-free: the loop reads no training data
val_evaluator = [
    dict(type='mmpretrain.Accuracy', topk=(1, )),
    dict(type='TeacherReference'),
]
test_evaluator = val_evaluator

train_cfg = dict(type='DataFreeTrainLoop')
val_cfg = dict()
test_cfg = dict()

log_processor = dict(by_epoch=False)
default_hooks = dict(
    checkpoint=dict(by_epoch=False, interval=10000), logger=dict(interval=100))
# generator samples per teacher class and a collapse warning every 1,000
# iterations (vis_data/vis_image, TensorBoard when configured)
custom_hooks = [
    dict(type='DistillSummaryHook'),
    dict(type='SyntheticSamplesHook', interval=1000),
]

# Under DDP each trained network (student, generator) gets its own wrapper;
# the frozen teacher and an inversion synthesizer (which keeps its ranks in
# step itself) stay unwrapped.
model_wrapper_cfg = dict(
    type='mmrazor_zs.DataFreeDistributedDataParallel',
    broadcast_buffers=False,
    find_unused_parameters=False)
