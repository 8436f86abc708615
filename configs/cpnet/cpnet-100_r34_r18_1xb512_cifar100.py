# CPNet-100, ResNet-34 -> ResNet-18 on CIFAR-100, one GPU x 512: the authors'
# recipe (_base_/recipes/cpnet-100_cpnet.py; cpnet_100.sh's first line, the
# one the CPNet README shows).
#   python tools/train.py configs/cpnet/cpnet-100_r34_r18_1xb512_cifar100.py
# Evaluation reads data/cifar100/; training reads nothing. Label embeddings
# as configs/cpnet/cpnet-100_wrn-40-2_wrn-16-2_1xb512_cifar100.py says.
# Teacher: the zju-vipa zoo's ResNet-34 (cifar100_resnet34.pth), converted with
#   python tools/model_converters/zju_vipa_to_mmpretrain.py checkpoints/pretrained/cifar100_resnet34.pth checkpoints/zju-datafree_resnet34_cifar100.pth
# or trained by configs/teachers/zju-datafree_resnet34_1xb256_cifar100.py.
# Coupled layers: the code's _BN_NODES['resnet34'] (layer4.2.bn2,
# layer3.5.bn2, layer2.3.bn2, layer1.2.bn2), the same names here; the
# generator's stages make 512 x 4 x 4 -> 256 x 8 x 8 -> 128 x 16 x 16 ->
# 64 x 32 x 32 -> the image.
_base_ = [
    '../_base_/recipes/cpnet-100_cpnet.py',
    '../_base_/datasets/cifar100.py',
]

model = dict(
    teacher=dict(
        cfg_path=('{{ fileDirname }}/../teachers/'
                  'zju-datafree_resnet34_1xb256_cifar100.py')),
    teacher_ckpt='checkpoints/zju-datafree_resnet34_cifar100.pth',
    student=dict(
        cfg_path=('{{ fileDirname }}/../teachers/'
                  'zju-datafree_resnet18_1xb256_cifar100.py')),
    synthesizer=dict(
        bn_nodes=[
            'backbone.layer4.2.bn2', 'backbone.layer3.5.bn2',
            'backbone.layer2.3.bn2', 'backbone.layer1.2.bn2'
        ],
        classifier='head.fc',
        generator=dict(
            label_embeddings=('data/label_embeddings/'
                              'cifar100_nayer-clip-vit-b32.pth'))))
