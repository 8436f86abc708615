# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Image priors of the inversion methods: total variation and the l2 norm of
the synthesised batch (DeepInversion, Yin et al., `Dreaming to Distill.

<https://arxiv.org/abs/1912.08795>`_, CVPR 2020, Eq. 3).
"""
import torch
import torch.nn as nn

from mmrazor_zs.registry import MODELS
from mmrazor_zs.utils import check_choice

TV_FORMS = ('norm', 'mean_abs')
#: the batch a prior reads: what the teacher sees, or the synthesised batch
#: before augmentation
IMAGES = dict(augmented='images', synthesized='synthesized_images')


def _image_input(image: str, owner: str) -> tuple:
    check_choice('image', image, IMAGES, owner)
    return (IMAGES[image], )


def _neighbour_differences(images: torch.Tensor):
    """Horizontal, vertical and the two diagonal neighbour differences."""
    return (images[:, :, :, :-1] - images[:, :, :, 1:],
            images[:, :, :-1, :] - images[:, :, 1:, :],
            images[:, :, 1:, :-1] - images[:, :, :-1, 1:],
            images[:, :, :-1, :-1] - images[:, :, 1:, 1:])


@MODELS.register_module()
class TotalVariationPrior(nn.Module):
    """Total variation over the four neighbour directions (horizontal,
    vertical, both diagonals) of a batch, in either original's form.

    - ``'norm'``: the sum of the four unsquared Frobenius norms over the
      whole batch, NVlabs/DeepInversion 2413af1 (``cifar10/
      deepinversion_cifar10.py``, ``get_image_prior_losses``);
    - ``'mean_abs'``: the sum of the four mean absolute differences,
      zju-vipa/DataFree 9e79fa9 (``datafree/criterions.py`` lines 40-50;
      its ``/255 ... *255`` cancels).

    NVlabs takes it on the jittered batch the teacher sees, the zju-vipa
    zoo on the batch before jitter (``image``).

    Args:
        form (str): 'norm' or 'mean_abs'. Defaults to 'norm'.
        image (str): 'augmented' (the teacher's view) or 'synthesized'
            (before augmentation). Defaults to 'augmented'.
        loss_weight (float): Multiplier. Defaults to 1.0.
    """

    def __init__(self,
                 form: str = 'norm',
                 image: str = 'augmented',
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        self.inputs = _image_input(image, type(self).__name__)
        check_choice('form', form, TV_FORMS, type(self).__name__)
        self.form = form
        self.loss_weight = loss_weight

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        differences = _neighbour_differences(images.float())
        if self.form == 'norm':
            total = sum(torch.linalg.vector_norm(d) for d in differences)
        else:
            total = sum(d.abs().mean() for d in differences)
        return self.loss_weight * total


@MODELS.register_module()
class L2Prior(nn.Module):
    """The unsquared l2 norm of the batch: of the whole batch, ``||x||_2`` (the
    CIFAR codes' ``torch.norm(inputs, 2)``; their READMEs' "MSE" is not what
    the code computes), or each image's norm averaged over the batch (NVlabs'
    ImageNet code, 2413af1 ``deepinversion.py`` line 318,
    ``torch.norm(inputs_jit.view(bs, -1), dim=1).mean()``).

    Args:
        image (str): 'augmented' (the teacher's view) or 'synthesized'
            (before augmentation). Defaults to 'augmented'.
        per_image (bool): Average the images' norms instead of taking the
            batch's. Defaults to False.
        loss_weight (float): Multiplier. Defaults to 1.0.
    """

    def __init__(self,
                 image: str = 'augmented',
                 per_image: bool = False,
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        self.inputs = _image_input(image, type(self).__name__)
        self.per_image = per_image
        self.loss_weight = loss_weight

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        images = images.float()
        if self.per_image:
            norms = torch.linalg.vector_norm(images.flatten(1), dim=1)
            return self.loss_weight * norms.mean()
        return self.loss_weight * torch.linalg.vector_norm(images)
