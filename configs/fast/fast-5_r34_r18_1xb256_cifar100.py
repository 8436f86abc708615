# Fast-5, ResNet-34 -> ResNet-18 on CIFAR-100: the script as written
# (scripts/fast_cifar.sh runs --dataset cifar100); CIFAR-100 teacher,
# student and normalisation, otherwise fast-5_r34_r18_1xb256_cifar10.py.
#   python tools/train.py configs/fast/fast-5_r34_r18_1xb256_cifar100.py
# Evaluation reads data/cifar100/cifar-100-python.
# Reported by the Fast README (theirs, not ours): 72.82, teacher 78.05.
# Teacher file: mmpretrain publishes no CIFAR-100 ResNet-34, so
# configs/teachers/resnet34_8xb16_cifar100.py trains one; the zoo's own
# ResNet-34 (cifar100_resnet34.pth, the DataFree README's "Dropbox-Models
# (266 MB)" link) is the same network and converts to teacher_ckpt with
#   python tools/model_converters/zju_vipa_to_mmpretrain.py checkpoints/pretrained/cifar100_resnet34.pth checkpoints/resnet34_8xb16_cifar100.pth
_base_ = [
    '../_base_/recipes/fast-5_fast-datafree.py',
    '../_base_/datasets/cifar100.py',
]

model = dict(
    teacher=dict(
        cfg_path='{{ fileDirname }}/../teachers/resnet34_8xb16_cifar100.py'),
    teacher_ckpt='checkpoints/resnet34_8xb16_cifar100.pth',
    student=dict(
        cfg_path='{{ fileDirname }}/../teachers/resnet18_8xb16_cifar100.py'),
    synthesizer=dict(
        losses=dict(
            onehot=dict(loss_weight=0.5), adversarial=dict(
                loss_weight=-1.33))))
