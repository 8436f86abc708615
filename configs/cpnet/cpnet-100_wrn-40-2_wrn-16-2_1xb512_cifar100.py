# CPNet-100, WRN-40-2 -> WRN-16-2 on CIFAR100, one GPU x 512: the authors'
# recipe (_base_/recipes/cpnet-100_cpnet.py, cpnet_100.sh: --epochs 120).
#   python tools/train.py configs/cpnet/cpnet-100_wrn-40-2_wrn-16-2_1xb512_cifar100.py
# Evaluation reads data/cifar100/; training reads nothing. Label embeddings: the
# authors' label_embedding/cifar100_le.pickle and cifar100_label.txt (the files of
# NAYER's repository), converted once (docs/en/user_guides/inversion_family.md,
# NAYER):
#   python tools/model_converters/nayer_label_embeddings.py cifar100_le.pickle cifar100_label.txt data/label_embeddings/cifar100_nayer-clip-vit-b32.pth
# Teacher: the zju-vipa zoo's WRN-40-2 (cifar100_wrn40_2.pth of the NAYER
# README's Dropbox link, which the CPNet README points to), converted with
#   python tools/model_converters/zju_vipa_to_mmpretrain.py checkpoints/pretrained/cifar100_wrn40_2.pth checkpoints/zju-datafree_wrn-40-2_cifar100.pth
# or trained by configs/teachers/zju-datafree_wrn-40-2_1xb256_cifar100.py.
# Coupled layers: the code's _BN_NODES['wrn40_2'] (bn1, block3.layer.0.bn1,
# block2.layer.0.bn1, block1.layer.0.bn1) in the zoo's WRN names; the
# generator's stages make 128 x 8 x 8 -> 64 x 16 x 16 -> 32 x 32 x 32 ->
# 16 x 32 x 32 -> the image.
_base_ = [
    '../_base_/recipes/cpnet-100_cpnet.py',
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
        bn_nodes=[
            'backbone.final_bn', 'backbone.group3.0.bn1',
            'backbone.group2.0.bn1', 'backbone.group1.0.bn1'
        ],
        classifier='head.fc',
        generator=dict(
            label_embeddings=('data/label_embeddings/'
                              'cifar100_nayer-clip-vit-b32.pth'))))
