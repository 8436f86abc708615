# Adaptive DeepInversion as zju-vipa/DataFree 9e79fa9 runs its "deepinv"
# method (scripts/deepinv/deepinv_cifar10_wrn402_wrn161.sh, listed with the
# code lines in the header of
# configs/deepinversion/adi_wrn-40-2_wrn-16-1_1xb256_cifar10.py): WRN-40-2 ->
# WRN-16-1, one GPU x 256, 200 rounds of 1,000 synthesis steps and 400
# student steps. The leaves add their evaluation split
# (_base_/datasets/) and, for other networks, their teacher
# and student.
# Kept batch: keep='last', the iterate after the last step and clip. The
# code's "best" is an alias: datafree/synthesis/deepinversion.py (9e79fa9)
# line 83 `best_inputs = inputs.data` and line 100 again when the loss
# falls, but Adam updates `inputs` in place and line 105's clip_images
# writes into the same tensor (datafree/utils/_utils.py line 86), so the
# pool receives the last iterate (line 110). The digits demos keep the
# class default 'best' (their published numbers were measured with it).
_base_ = ['./zju-datafree_inversion.py']

model = dict(
    type='ADI',
    # the class defaults are this script's: 1,000 steps at lr 0.1, roll up
    # to 4 px + flip, clip, random sorted labels, bn 10, oh 1, tv 1e-3 on
    # the unjittered batch, competition -1 (JS at T=3)
    synthesizer=dict(steps=1000, lr=0.1, keep='last'),
)
