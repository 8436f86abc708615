# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""The one home of the pixel space: images in [0, 1], the teacher's normalised
input, uint8 storage and display."""
from typing import Optional, Sequence

import torch
import torch.nn as nn

from .validation import check_choice

#: how :func:`quantize_pixels` maps ``255 * p`` to an integer level
PIXEL_ROUNDINGS = ('round', 'truncate')


def quantize_pixels(pixels: torch.Tensor,
                    rounding: str = 'round') -> torch.Tensor:
    """[0, 1] pixels to uint8 as a PNG stores them, clamped and scaled by 255.

    ``rounding='round'`` takes the nearest level; ``'truncate'`` rounds
    towards zero as the zju-vipa zoos' ``(imgs * 255).astype('uint8')`` in
    ``save_image_batch`` (Fast-Datafree 0dcecbc, ``datafree/utils/_utils.py``),
    which darkens every pixel by half a level on average.
    """
    check_choice('rounding', rounding, PIXEL_ROUNDINGS)
    levels = pixels.detach().float().clamp(0, 1).mul(255)
    if rounding == 'round':
        levels = levels.round()
    return levels.to(torch.uint8)  # the cast truncates


def dequantize_pixels(images: torch.Tensor) -> torch.Tensor:
    """uint8 images to float pixels in [0, 1]."""
    return images.float().div_(255)


class PixelSpace(nn.Module):
    """Pixels in [0, 1] and the teacher's normalised input, both ways.

    A teacher trained with mmpretrain's data preprocessor sees
    ``(255 * p - mean) / std`` for pixels ``p`` in [0, 1], with ``mean`` and
    ``std`` given per channel on the 0..255 scale. Every loop, synthesizer,
    generator, store and tool of the zoo maps between the two with this
    object, so that there is one formula: ``(p - mean / 255) / (std /
    255)``. The tensors are non-persistent buffers: they follow the module
    to its device and are never saved, being a function of the config.

    Args:
        mean (Sequence[float]): Per-channel mean on the 0..255 scale (the
            ``mean`` of an mmpretrain ``data_preprocessor``).
        std (Sequence[float]): Per-channel std on the same scale.
        channels (int, optional): The number of image channels, checked
            against ``mean`` and ``std``. Defaults to None (not checked).

    Raises:
        ValueError: If ``mean`` and ``std`` differ in length from each
            other or from ``channels``, or a ``std`` is not positive.

    Examples:
        >>> space = PixelSpace(mean=[127.5], std=[127.5])
        >>> space.normalize(torch.ones(1, 1, 2, 2)).flatten().tolist()
        [1.0, 1.0, 1.0, 1.0]
    """
    mean: torch.Tensor
    std: torch.Tensor

    def __init__(self,
                 mean: Sequence[float],
                 std: Sequence[float],
                 channels: Optional[int] = None) -> None:
        super().__init__()
        mean, std = [float(m) for m in mean], [float(s) for s in std]
        expected = len(mean) if channels is None else channels
        if len(mean) != expected or len(std) != expected:
            raise ValueError(f'`mean` and `std` need {expected} values (one '
                             f'per channel), but got {mean} and {std}.')
        if any(s <= 0 for s in std):
            raise ValueError(f'Every `std` must be positive, but got {std}.')
        self.mean_255, self.std_255 = mean, std
        self.register_buffer(
            'mean',
            torch.tensor([m / 255. for m in mean]).view(1, -1, 1, 1),
            persistent=False)
        self.register_buffer(
            'std',
            torch.tensor([s / 255. for s in std]).view(1, -1, 1, 1),
            persistent=False)

    @property
    def channels(self) -> int:
        """The number of image channels."""
        return len(self.mean_255)

    def normalize(self, pixels: torch.Tensor) -> torch.Tensor:
        """[0, 1] pixels (N, C, H, W) to the teacher's input."""
        return (pixels - self.mean) / self.std

    def denormalize(self, inputs: torch.Tensor) -> torch.Tensor:
        """The teacher's input (N, C, H, W) back to [0, 1] pixels."""
        return inputs * self.std + self.mean

    def to_uint8(self, inputs: torch.Tensor) -> torch.Tensor:
        """The teacher's input as uint8 pixels (for storage and display)."""
        return quantize_pixels(self.denormalize(inputs))

    def from_uint8(self, images: torch.Tensor) -> torch.Tensor:
        """uint8 pixels (N, C, H, W) to the teacher's input."""
        return self.normalize(dequantize_pixels(images))

    def extra_repr(self) -> str:
        return f'mean={self.mean_255}, std={self.std_255} (0..255 scale)'
