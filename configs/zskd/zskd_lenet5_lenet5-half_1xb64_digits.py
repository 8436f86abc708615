# ZSKD on the embedded digits: LeNet-5 teacher -> LeNet-5-half student.
# One command runs both stages: it synthesises the data impressions (stage
# 1, skipped when WORK_DIR/impressions holds a finished set) and trains the
# student on them (stage 2). Evaluation uses the digits test split.
#   python tools/train.py configs/zskd/zskd_lenet5_lenet5-half_1xb64_digits.py
_base_ = [
    '../_base_/recipes/zskd_lenet5-demo.py',
    '../_base_/datasets/digits.py',
]
