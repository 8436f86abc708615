# Runtime of the inversion family (DeepInversion, ADI, CMI, Fast): the
# data-free runtime, with the image pool in WORK_DIR/image_pool (the
# algorithms refuse to train without it) and the run summary with the
# synthesis time and images.
_base_ = ['./data_free_runtime.py']

custom_hooks = [
    dict(type='ImagePoolHook'),
    dict(type='DistillSummaryHook'),
]
