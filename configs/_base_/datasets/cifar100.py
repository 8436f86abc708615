# CIFAR-100 test split (fine labels) for evaluating distilled students. Reads
# the official python files from data/cifar100/cifar-100-python; never
# downloads.
data_preprocessor = dict(
    type='mmpretrain.ClsDataPreprocessor',
    num_classes=100,
    # mmpretrain's CIFAR-100 statistics (RGB, 0..255)
    mean=[129.304, 124.070, 112.434],
    std=[68.170, 65.392, 70.418],
    to_rgb=False,
)

test_pipeline = [dict(type='mmpretrain.PackInputs')]

val_dataloader = dict(
    batch_size=500,
    num_workers=2,
    dataset=dict(
        type='OfflineCIFAR100',
        data_root='data/cifar100',
        split='test',
        pipeline=test_pipeline),
    sampler=dict(type='DefaultSampler', shuffle=False),
)
val_evaluator = dict(type='mmpretrain.Accuracy', topk=(1, ))

test_dataloader = val_dataloader
test_evaluator = val_evaluator
