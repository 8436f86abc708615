# Copyright (c) mmrazor_zs contributors. All rights reserved.
import pytest
import torch

from mmrazor_zs.models import ZSKTGenerator


@pytest.mark.parametrize('channels,size', [(3, 32), (1, 32), (3, 16)])
def test_zskt_generator_shapes(channels, size):
    generator = ZSKTGenerator(
        latent_dim=20, out_channels=channels, img_size=size)
    images = generator(torch.randn(5, 20))
    assert images.shape == (5, channels, size, size)


def test_zskt_generator_paper_layout():
    generator = ZSKTGenerator()
    assert generator.project.out_features == 128 * 8 * 8
    convs = [m for m in generator.modules() if isinstance(m, torch.nn.Conv2d)]
    assert [(c.in_channels, c.out_channels) for c in convs] == [(128, 128),
                                                                (128, 64),
                                                                (64, 3)]
    final_bn = generator.blocks[-1]
    assert isinstance(final_bn, torch.nn.BatchNorm2d)
    # learnable affine, as the released code at its newest commit (e24915d)
    assert final_bn.affine is True
    assert final_bn.weight is not None and final_bn.weight.requires_grad
    # No tanh: the output is in normalised input space.
    assert not any(isinstance(m, torch.nn.Tanh) for m in generator.modules())


def test_first_commit_final_bn_is_a_switch():
    generator = ZSKTGenerator(out_bn_affine=False)
    final_bn = generator.blocks[-1]
    assert final_bn.affine is False and final_bn.weight is None
    trained = {n for n, _ in ZSKTGenerator().named_parameters()}
    assert trained - {n
                      for n, _ in generator.named_parameters()} == {
                          'blocks.3.weight', 'blocks.3.bias'
                      }


def test_zskt_generator_rejects_bad_sizes():
    with pytest.raises(ValueError, match='divisible by 4'):
        ZSKTGenerator(img_size=30)
    with pytest.raises(ValueError, match='two upsampling blocks'):
        ZSKTGenerator(hidden_channels=(8, 8, 8))


def test_channels_last_gives_the_same_images():
    torch.manual_seed(0)
    fast = ZSKTGenerator(latent_dim=8, seed_channels=8, hidden_channels=(8, 4))
    plain = ZSKTGenerator(
        latent_dim=8,
        seed_channels=8,
        hidden_channels=(8, 4),
        channels_last=False)
    plain.load_state_dict(fast.state_dict())
    z = torch.randn(4, 8)
    assert torch.allclose(fast(z), plain(z), atol=1e-5)
