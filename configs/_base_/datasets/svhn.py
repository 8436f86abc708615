# SVHN test split (26,032 images) for evaluating teachers and distilled
# students. Reads the official data/svhn/test_32x32.mat; never downloads.
data_preprocessor = dict(
    type='mmpretrain.ClsDataPreprocessor',
    num_classes=10,
    # the ZSKT authors' SVHN statistics, mean (0.4377, 0.4438, 0.4728) and
    # std (0.1980, 0.2010, 0.1970) (polo5/FewShotKnowledgeTransfer
    # utils/datasets.py at ac68538), on the 0..255 scale (RGB)
    mean=[111.6135, 113.169, 120.564],
    std=[50.49, 51.255, 50.235],
    to_rgb=False,
)

test_pipeline = [dict(type='mmpretrain.PackInputs')]

val_dataloader = dict(
    batch_size=500,
    num_workers=2,
    dataset=dict(
        type='OfflineSVHN',
        data_root='data/svhn',
        split='test',
        pipeline=test_pipeline),
    sampler=dict(type='DefaultSampler', shuffle=False),
)
val_evaluator = dict(type='mmpretrain.Accuracy', topk=(1, ))

test_dataloader = val_dataloader
test_evaluator = val_evaluator
