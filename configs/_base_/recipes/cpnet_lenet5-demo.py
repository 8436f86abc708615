# The settings of the CPNet demo, LeNet-5-BN -> LeNet-5-half in minutes on 2
# CPU cores, without evaluation data: NAYER's demo (./nayer_lenet5-demo.py,
# which says what differs from the NAYER/CPNet scripts' loop) with CPNet's
# coupled generator, coupling and alignment terms and CutMix; its digits,
# MNIST and Fashion-MNIST configs add their split and their teacher.
# Tried on the digits before these settings (one run each, final top-1):
# all three of LeNet-5-BN's batch norms coupled, the coupling unweighted and
# lr_g 4e-3: 18.44; the coupling at 0.01: 10.00; and without CutMix: 31.56.
# The deepest batch norm sees 1 x 1 maps, so the generator's first map is
# spatially constant and only the padding of its convolutions draws shapes.
_base_ = ['./nayer_lenet5-demo.py']

model = dict(
    type='CPNet',
    synthesizer=dict(
        # LeNet-5-BN's two spatial batch norms, deepest first: the
        # generator's stages make 16 x 10 x 10 -> 6 x 28 x 28 -> the
        # 1 x 32 x 32 image (the code's table has no LeNet)
        bn_nodes=['backbone.stages.1.1', 'backbone.stages.0.1'],
        # the last of LeNet-5's two head layers (120 -> 84 -> classes)
        classifier='head.layers.1.fc',
        # grey images: no colour jitter (the code's jitter changes hue and
        # saturation, which grey images do not have)
        color_jitter=None,
        # 0.1 instead of 1, as the batch-norm term: LeNet-5-BN's
        # activations are large (the coupling starts near 30)
        coupling_weight=0.1,
        # 0.02 instead of 4e-3: the generator's stages are LeNet's 16 and 6
        # channels wide (NAYER's demo generator: 64, 32, 16)
        lr_g=0.02,
        # the NAYER demo's 64-dimensional seeded embeddings and 100-wide
        # noisy layers; the stages follow the teacher's widths
        generator=dict(
            _delete_=True,
            type='CoupledGenerator',
            label_embeddings=dict(type='random', dim=64, seed=0),
            noise_dim=100),
        # the code's KL direction (student -> teacher) in the adversarial
        # term; the other weights are the NAYER demo's
        losses=dict(adversarial=dict(reverse=True))))
