# Fast-10: fast-5_wrn-40-2_wrn-16-1_1xb256_cifar10.py with the script's
# Fast-10 line (scripts/fast_cifar.sh: --g_steps 10 --lr_z 0.01 --lr_g 2e-3).
#   python tools/train.py configs/fast/fast-10_wrn-40-2_wrn-16-1_1xb256_cifar10.py
# Reported by the Fast README (theirs, not ours): 89.29.
_base_ = ['./fast-5_wrn-40-2_wrn-16-1_1xb256_cifar10.py']

model = dict(synthesizer=dict(steps=10, lr_g=2e-3, lr_z=0.01))
