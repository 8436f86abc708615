# ZSKD on the embedded digits with the released code's batch expansion
# (model_training/train.py --data_augmentation): every batch of 64
# impressions becomes the 106 fixed copies of each image that
# create_more_samples_using_augmentation makes (the original, central
# zooms, 20% translations filled white, rotations of -90..90 degrees,
# flips, salt-and-pepper, a noise blend and their combinations), the
# teacher relabels all 6,784 of them and the student takes one Adam step
# on the whole expanded batch. The family replaces the random pipeline.
# Synthesis settings are those of the plain digits config, so both can
# share one set of impressions (synthesis.out_dir).
#   python tools/train.py configs/zskd/zskd_lenet5_lenet5-half_1xb64-augfamily_digits.py
_base_ = ['./zskd_lenet5_lenet5-half_1xb64_digits.py']

model = dict(batch_expansion=dict(type='ZSKDAugmentFamily'))

train_pipeline = [dict(type='mmpretrain.PackInputs')]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))

# One epoch is 94 steps on 6,784 images each, about 105 times the plain
# config's time per step: about the wall time of 50 plain epochs (measured
# budget and top-1 in configs/zskd/README.md).
train_cfg = dict(max_epochs=1, val_interval=1)
default_hooks = dict(checkpoint=dict(interval=1))
