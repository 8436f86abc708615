# WRN-16-1 trained on SVHN: the student-on-data baseline of ZSKT's SVHN
# experiment (Micaelli & Storkey, NeurIPS 2019; WRN-40-2 -> WRN-16-1), in
# the authors' full-data recipe (configs/_base_/schedules/svhn_sgd_100e.py),
# and the recipe whose model the ZSKT config distils into. Put
# train_32x32.mat and test_32x32.mat in data/svhn.
#   python tools/train.py configs/teachers/wrn-16-1_1xb128_svhn.py
# The original WRN code's classifier init (nn.Linear's, zero bias) instead
# of mmpretrain's Normal(0, 0.01):
#   --cfg-options model.head.init_cfg.type=mmrazor_zs.TorchLinearInit
_base_ = [
    '../_base_/models/wrn-16-1_cifar10.py',
    '../_base_/datasets/svhn_train.py',
    '../_base_/schedules/svhn_sgd_100e.py',
]
