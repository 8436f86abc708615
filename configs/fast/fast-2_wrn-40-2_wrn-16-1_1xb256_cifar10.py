# Fast-2: fast-5_wrn-40-2_wrn-16-1_1xb256_cifar10.py with the script's
# Fast-2 line (scripts/fast_cifar.sh: --g_steps 2 --lr_z 0.015 --lr_g 5e-3).
#   python tools/train.py configs/fast/fast-2_wrn-40-2_wrn-16-1_1xb256_cifar10.py
# Reported by the Fast README (theirs, not ours): 88.36.
_base_ = ['./fast-5_wrn-40-2_wrn-16-1_1xb256_cifar10.py']

model = dict(synthesizer=dict(steps=2, lr_g=5e-3, lr_z=0.015))
