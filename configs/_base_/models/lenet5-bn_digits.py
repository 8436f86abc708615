# LeNet-5 with batch norm after each convolution, the digits teacher of the
# methods that read a teacher's batch-norm statistics (DFQ).
_base_ = ['./lenet5_digits.py']
model = dict(backbone=dict(batch_norm=True))
