# The training loader the *_train pieces fill in with their dataset's type,
# root and pipeline: the train split, shuffled, in batches of 128 with four
# workers.
train_dataloader = dict(
    batch_size=128,
    num_workers=4,
    dataset=dict(split='train'),
    sampler=dict(type='DefaultSampler', shuffle=True),
)
