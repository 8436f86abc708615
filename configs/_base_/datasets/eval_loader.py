# The evaluation loader every dataset piece fills in with its dataset's
# type, root and pipeline: the test split, in order, in batches of 500 with
# two workers.
val_dataloader = dict(
    batch_size=500,
    num_workers=2,
    dataset=dict(split='test'),
    sampler=dict(type='DefaultSampler', shuffle=False),
)
test_dataloader = val_dataloader
