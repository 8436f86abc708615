# NAYER-100, WRN-40-2 -> WRN-16-2 on CIFAR-100, one GPU x 512: the authors'
# recipe (_base_/recipes/nayer-100_nayer.py) with --epochs 120
# (scripts/nayer_100.sh).
#   python tools/train.py configs/nayer/nayer-100_wrn-40-2_wrn-16-2_1xb512_cifar100.py
# Evaluation reads data/cifar100/; training reads nothing. Label embeddings:
# the authors' label_embedding/cifar100_le.pickle and cifar100_label.txt, converted
# once (docs/en/user_guides/inversion_family.md, NAYER):
#   python tools/model_converters/nayer_label_embeddings.py cifar100_le.pickle cifar100_label.txt data/label_embeddings/cifar100_nayer-clip-vit-b32.pth
# Teacher: the zju-vipa zoo's WRN-40-2 (cifar100_wrn40_2.pth of the NAYER
# README's Dropbox-Models link, which datafree_kd.py reads), converted with
#   python tools/model_converters/zju_vipa_to_mmpretrain.py checkpoints/pretrained/cifar100_wrn40_2.pth checkpoints/zju-datafree_wrn-40-2_cifar100.pth
# or trained by configs/teachers/zju-datafree_wrn-40-2_1xb256_cifar100.py.
_base_ = [
    '../_base_/recipes/nayer-100_nayer.py',
    '../_base_/datasets/cifar100.py',
]

model = dict(
    teacher=dict(
        cfg_path=('{{ fileDirname }}/../teachers/'
                  'zju-datafree_wrn-40-2_1xb256_cifar100.py')),
    teacher_ckpt='checkpoints/zju-datafree_wrn-40-2_cifar100.pth',
    student=dict(
        cfg_path=('{{ fileDirname }}/../teachers/'
                  'zju-datafree_wrn-16-2_1xb256_cifar100.py')),
    synthesizer=dict(
        generator=dict(
            label_embeddings=('data/label_embeddings/'
                              'cifar100_nayer-clip-vit-b32.pth'))))
