# The CIFAR-100 test split (fine labels) for the data-free distillation runs:
# the student's top-1 next to the teacher's and their agreement. No training
# image is read.
_base_ = ['./cifar100.py']
train_dataloader = dict()  # data-free: the loop reads no training data
val_evaluator = [
    dict(type='mmpretrain.Accuracy', topk=(1, )),
    dict(type='TeacherReference'),
]
test_evaluator = val_evaluator
