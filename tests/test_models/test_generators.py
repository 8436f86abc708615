# Copyright (c) mmrazor_zs contributors. All rights reserved.
import pytest
import torch

from mmrazor_zs.models import DFQGenerator, ZSKTGenerator
from mmrazor_zs.utils import PixelSpace


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


def test_sigmoid_pixels_are_normalised_by_the_pixel_space():
    space = PixelSpace(mean=[51., 102.], std=[25.5, 51.])
    generator = DFQGenerator(
        latent_dim=4,
        seed_channels=4,
        hidden_channels=(4, 4),
        out_channels=2,
        img_size=4,
        pixel_space=space)
    # the same network without the normalisation gives the [0, 1] pixels
    pixels_only = DFQGenerator(
        latent_dim=4,
        seed_channels=4,
        hidden_channels=(4, 4),
        out_channels=2,
        img_size=4,
        output='pixels')
    pixels_only.load_state_dict(generator.state_dict())
    z = torch.randn(3, 4)
    pixels = pixels_only(z)
    # (p - 0.2) / 0.1 and (p - 0.4) / 0.2
    expected = torch.stack([(pixels[:, 0] - 0.2) / 0.1,
                            (pixels[:, 1] - 0.4) / 0.2], 1)
    assert torch.allclose(generator(z), expected, atol=1e-5)
    # the pixel space adds nothing to the state dict
    assert generator.state_dict().keys() == pixels_only.state_dict().keys()


def test_sigmoid_output_needs_a_pixel_space_of_its_channels():
    with pytest.raises(ValueError, match='needs the teacher\'s `pixel_space`'):
        DFQGenerator(out_channels=1, img_size=8)
    with pytest.raises(
            ValueError,
            match=r'`pixel_space` of DFQGenerator must have 3 channels '
            r'\(`out_channels`\), but got 1'):
        DFQGenerator(
            out_channels=3,
            img_size=8,
            pixel_space=PixelSpace(mean=[0.], std=[1.]))
    # the other outputs ignore it
    assert ZSKTGenerator(pixel_space=PixelSpace([0.], [1.])).pixel_space \
        is None
