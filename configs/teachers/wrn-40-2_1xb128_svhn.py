# WRN-40-2 trained on SVHN: the teacher of ZSKT's SVHN experiment
# (Micaelli & Storkey, NeurIPS 2019, Figure 2), in the authors' full-data
# recipe (configs/_base_/schedules/svhn_sgd_100e.py). Put train_32x32.mat
# and test_32x32.mat in data/svhn.
#   python tools/train.py configs/teachers/wrn-40-2_1xb128_svhn.py
# The original WRN code's classifier init (nn.Linear's, zero bias) instead
# of mmpretrain's Normal(0, 0.01):
#   --cfg-options model.head.init_cfg.type=mmrazor_zs.TorchLinearInit
_base_ = [
    '../_base_/models/wrn-40-2_cifar10.py',
    '../_base_/datasets/svhn_train.py',
    '../_base_/schedules/svhn_sgd_100e.py',
]
