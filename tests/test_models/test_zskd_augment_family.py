# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""The released ZSKD augmentation family, checked copy by copy against hand-
worked values and against transcriptions of the released numpy code
(``model_training/data_augmentation.py``)."""
import math

import numpy as np
import pytest
import torch

from mmrazor_zs.models.augments import ZSKDAugmentFamily, released_family
from mmrazor_zs.models.augments.pixel_maps import (glimpse_translation,
                                                   rotation,
                                                   salt_pepper_positions)
from mmrazor_zs.registry import MODELS

NAMES = [name for name, _ in released_family(32, 3)]


@pytest.fixture(scope='module')
def family():
    return MODELS.build(dict(type='ZSKDAugmentFamily'))


def copies(family, images: torch.Tensor) -> dict:
    """Copy name -> (N, C, S, S) copies of the images."""
    out = family(images).view(len(images), len(NAMES), *images.shape[1:])
    return {name: out[:, k] for k, name in enumerate(NAMES)}


def test_106_copies_in_the_released_order(family):
    assert len(NAMES) == 106
    assert NAMES[:8] == [
        'original', 'zoom0.90', 'zoom0.75', 'zoom0.60', 'translate_left',
        'translate_right', 'translate_up', 'translate_down'
    ]
    assert NAMES[8:18] == [
        f'rotate{a:+d}' for a in (-90, -70, -50, -30, -10, 10, 30, 50, 70, 90)
    ]
    assert NAMES[18:23] == [
        'flip_left_right', 'flip_up_down', 'flip_transpose', 'salt_pepper',
        'blend'
    ]
    # translate_images(scaled_x): translation-major, then the zooms
    assert NAMES[23:26] == [
        'zoom0.90+translate_left', 'zoom0.75+translate_left',
        'zoom0.60+translate_left'
    ]
    # rotate_images_with_finer_angles(translate_x): angle-major
    assert NAMES[35:40] == [
        'translate_left+rotate-90', 'translate_right+rotate-90',
        'translate_up+rotate-90', 'translate_down+rotate-90',
        'translate_left+rotate-70'
    ]
    assert NAMES[75:79] == [
        'zoom0.90+rotate-90', 'zoom0.75+rotate-90', 'zoom0.60+rotate-90',
        'zoom0.90+rotate-70'
    ]
    assert NAMES[-1] == 'salt_pepper+blend'
    images = torch.rand(2, 3, 32, 32)
    out = family(images)
    assert out.shape == (212, 3, 32, 32)
    assert torch.equal(out[0], images[0]) and torch.equal(out[106], images[1])


def test_central_zoom_of_a_ramp(family):
    # crop_and_resize of box [0.2, 0.8]: column j samples 0.2 * 31 + 0.6 * j
    ramp = torch.arange(32.).expand(1, 1, 32, 32) / 31
    zoomed = copies(family, ramp)['zoom0.60'][0, 0] * 31
    expected = (6.2 + 0.6 * torch.arange(32.)).expand(32, 32)
    assert torch.allclose(zoomed, expected, atol=1e-4)
    # box [0.05, 0.95] on the rows: row i samples 1.55 + 0.9 * i
    rows = copies(family, ramp.transpose(2, 3))['zoom0.90'][0, 0] * 31
    expected = (1.55 + 0.9 * torch.arange(32.))[:, None].expand(32, 32)
    assert torch.allclose(rows, expected, atol=1e-4)


def test_translations_move_6_pixels_and_fill_white(family):
    image = torch.rand(1, 3, 32, 32)
    out = copies(family, image)
    x = image[0]
    assert torch.equal(out['translate_left'][0, :, :, :26], x[:, :, 6:])
    assert torch.all(out['translate_left'][0, :, :, 26:] == 1)
    assert torch.equal(out['translate_right'][0, :, :, 6:], x[:, :, :26])
    assert torch.all(out['translate_right'][0, :, :, :6] == 1)
    assert torch.equal(out['translate_up'][0, :, :26], x[:, 6:])
    assert torch.all(out['translate_up'][0, :, 26:] == 1)
    assert torch.equal(out['translate_down'][0, :, 6:], x[:, :26])
    assert torch.all(out['translate_down'][0, :, :6] == 1)


def test_glimpse_window_always_inside_the_image():
    # so ExtractGlimpse's noise fill of uncovered parts can never show
    # (sources outside would silently turn white here)
    for size in range(2, 65):
        white = (size - math.ceil(0.8 * size)) * size
        for direction in ('left', 'right', 'up', 'down'):
            index = glimpse_translation(size, direction).index
            assert (index == -1).sum() == white, (size, direction)


def test_rotations_and_flips(family):
    image = torch.rand(2, 3, 32, 32)
    out = copies(family, image)
    assert torch.equal(out['rotate+90'], torch.rot90(image, 1, (2, 3)))
    assert torch.equal(out['rotate-90'], torch.rot90(image, -1, (2, 3)))
    assert torch.equal(out['flip_left_right'], image.flip(3))
    assert torch.equal(out['flip_up_down'], image.flip(2))
    assert torch.equal(out['flip_transpose'], image.transpose(2, 3))
    # counter-clockwise by 30 degrees about (15.5, 15.5): output (x=31,
    # y=15) reads x = 15.5 + cos * 15.5 + sin * 0.5 = 29.17 -> 29,
    # y = 15.5 + sin * 15.5 - cos * 0.5 = 22.82 -> 23; corners get zeros
    assert torch.equal(out['rotate+30'][..., 15, 31], image[..., 23, 29])
    assert torch.all(out['rotate+30'][..., 0, 0] == 0)


def test_rotation_indices_do_not_depend_on_float32_rounding():
    # Every source coordinate is at least 8e-5 pixels from a rounding tie,
    # above the float32 error of TF's kernel (a few 1e-6 at 32 pixels, FMA
    # or not, its cos and sin within an ulp): TF's nearest indices are the
    # exact ones, and so are ours.
    ys, xs = np.indices((32, 32)) - 15.5
    for degrees in range(-70, 71, 20):
        angle = np.deg2rad(degrees)
        source_x = np.cos(angle) * xs - np.sin(angle) * ys + 15.5
        source_y = np.sin(angle) * xs + np.cos(angle) * ys + 15.5
        for coord in (source_x, source_y):
            tie_distance = np.abs(coord - np.floor(coord) - 0.5)
            assert tie_distance.min() > 8e-5
        rows, cols = np.floor(source_y + 0.5), np.floor(source_x + 0.5)
        inside = (rows >= 0) & (rows < 32) & (cols >= 0) & (cols < 32)
        exact = np.where(inside, rows * 32 + cols, -1).reshape(-1, 1)
        assert np.array_equal(rotation(32, degrees).index, exact)


def released_salt_pepper(img: np.ndarray) -> np.ndarray:
    """``add_salt_pepper_noise`` of the released code on one H x W x C image
    (C.

    > 1).
    """
    img = img.copy()
    num_salt = np.ceil(0.004 * img.size * 0.2)
    num_pepper = np.ceil(0.004 * img.size * (1.0 - 0.2))
    np.random.seed(777)
    coords = [np.random.randint(0, i - 1, int(num_salt)) for i in img.shape]
    img[coords[0], coords[1], :] = 1
    np.random.seed(777)
    coords = [np.random.randint(0, i - 1, int(num_pepper)) for i in img.shape]
    img[coords[0], coords[1], :] = 0
    return img


@pytest.fixture
def global_numpy_state():
    state = np.random.get_state()
    yield
    np.random.set_state(state)


def test_salt_pepper_is_the_released_one(family, global_numpy_state):
    assert [len(r) for r in salt_pepper_positions(32, 3, 0.2)] == [3, 3]
    assert [len(r) for r in salt_pepper_positions(32, 3, 0.8)] == [10, 10]
    assert [len(r) for r in salt_pepper_positions(32, 1, 0.2)] == [1, 1]
    assert [len(r) for r in salt_pepper_positions(32, 1, 0.8)] == [4, 4]
    images = torch.rand(2, 3, 32, 32) * 0.5 + 0.25  # never 0 or 1
    noisy = copies(family, images)['salt_pepper']
    for image, ours in zip(images, noisy):
        expected = released_salt_pepper(image.permute(1, 2, 0).numpy())
        assert np.array_equal(ours.permute(1, 2, 0).numpy(), expected)
    # the same pixels in every image and channel
    assert torch.equal(noisy == 1, (noisy == 1)[[1, 0]][:, [2, 0, 1]])
    gray = copies(family, images[:, :1])['salt_pepper']
    assert int((gray == 1).sum()) == 2 * 1
    assert int((gray == 0).sum()) == 2 * 4


def test_blend_is_the_released_one(family, global_numpy_state):
    cv2 = pytest.importorskip('cv2')
    images = torch.rand(2, 3, 32, 32)
    out = copies(family, images)
    np.random.seed(777)
    noise = np.random.random((32, 32, 1)).astype(np.float32)
    noise = np.concatenate((noise, noise, noise), axis=2)
    for image, ours in zip(images, out['blend']):
        expected = cv2.addWeighted(
            image.permute(1, 2, 0).numpy(), 0.75, 0.25 * noise, 0.25, 0)
        assert np.allclose(
            ours.permute(1, 2, 0).numpy(), expected, rtol=0, atol=1e-7)
    by_hand = 0.75 * images + torch.from_numpy(noise).permute(2, 0, 1) / 16
    assert torch.allclose(out['blend'], by_hand, rtol=0, atol=1e-7)
    salt_pepper = out['salt_pepper']
    assert torch.allclose(
        out['salt_pepper+blend'],
        0.75 * salt_pepper + torch.from_numpy(noise).permute(2, 0, 1) / 16,
        rtol=0,
        atol=1e-7)


def test_combinations_apply_the_first_then_the_second(family):
    images = torch.rand(2, 3, 32, 32)
    out = copies(family, images)
    for first, second in (('zoom0.75', 'translate_down'),
                          ('translate_left', 'rotate-70'), ('zoom0.60',
                                                            'rotate+30')):
        again = copies(family, out[first])[second]
        assert torch.allclose(out[f'{first}+{second}'], again, atol=1e-6)


def test_operator_is_built_once_per_shape_and_device(family):
    family(torch.rand(1, 1, 32, 32))
    matrix = family.operator(1, 32, torch.device('cpu'))[0]
    family(torch.rand(3, 1, 32, 32))
    assert family.operator(1, 32, torch.device('cpu'))[0] is matrix
    assert family.operator(3, 32, torch.device('cpu'))[0] is not matrix


def test_rejects_non_square_images(family):
    with pytest.raises(ValueError, match='square images'):
        family(torch.rand(1, 3, 32, 28))


def test_no_state_in_checkpoints():
    assert ZSKDAugmentFamily().state_dict() == {}
