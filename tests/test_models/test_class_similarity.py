# Copyright (c) mmrazor_zs contributors. All rights reserved.
import math

import pytest
import torch

from mmrazor_zs.models.synthesizers import (class_similarity,
                                            concentration_matrix,
                                            dirichlet_concentration,
                                            find_linear_layer,
                                            sample_dirichlet)
from mmrazor_zs.registry import MODELS
from mmrazor_zs.testing import tiny_classifier_cfg

# Three class vectors: e0, (e0 + e1) / sqrt(2) scaled by 5, and e1.
WEIGHT = torch.tensor([[1.0, 0.0], [5.0, 5.0], [0.0, 2.0]])
R = 1 / math.sqrt(2)


def test_similarity_is_the_cosine_of_class_vectors():
    expected = torch.tensor([[1, R, 0], [R, 1, R], [0, R, 1]],
                            dtype=torch.float64)
    assert torch.allclose(class_similarity(WEIGHT), expected)


def test_paper_normalises_each_row_released_code_the_matrix():
    sim = class_similarity(WEIGHT)
    paper = concentration_matrix(sim)
    # row 1 spans [R, 1]: (R - R) / (1 - R) = 0 and (1 - R) / (1 - R) = 1
    assert torch.allclose(paper[1],
                          torch.tensor([0., 1., 0.], dtype=torch.float64))
    assert torch.allclose(paper[0],
                          torch.tensor([1., R, 0.], dtype=torch.float64))
    released = concentration_matrix(sim, released_code=True)
    # the matrix spans [0, 1] already, so the whole-matrix step keeps it
    assert torch.allclose(released, sim)


def test_beta_scales_the_paper_concentration_but_not_the_released_one():
    alpha = torch.tensor([1.0, R, 0.0], dtype=torch.float64)
    paper = dirichlet_concentration(alpha, 0.1)
    assert torch.allclose(
        paper,
        torch.tensor([0.1, 0.1 * R, 0.0], dtype=torch.float64) + 1e-4)
    # the released code's per-row min-max divides the 0.1 out again
    released_small = dirichlet_concentration(alpha, 0.1, released_code=True)
    released_one = dirichlet_concentration(alpha, 1.0, released_code=True)
    assert torch.allclose(released_small, released_one)
    assert torch.allclose(released_one, alpha + 1e-4)


def test_dirichlet_samples_are_distributions_and_reproducible():
    concentration = torch.tensor([0.1, 0.5, 2.0]) + 1e-4
    samples = sample_dirichlet(concentration, 500, seed=3)
    assert samples.shape == (500, 3) and samples.dtype == torch.float32
    assert torch.allclose(samples.sum(1), torch.ones(500), atol=1e-5)
    assert (samples >= 0).all()
    assert torch.equal(samples, sample_dirichlet(concentration, 500, 3))
    # the mean of Dir(a) is a / sum(a)
    expected = concentration / concentration.sum()
    assert torch.allclose(samples.mean(0), expected, atol=0.05)


def test_small_beta_gives_peakier_targets():
    alpha = torch.tensor([1.0, 0.6, 0.3, 0.0])
    peaky = sample_dirichlet(dirichlet_concentration(alpha, 0.1), 400, 0)
    soft = sample_dirichlet(dirichlet_concentration(alpha, 1.0), 400, 0)
    assert peaky.max(1).values.mean() > soft.max(1).values.mean() + 0.1


def test_final_linear_layer_by_path_or_last():
    model = MODELS.build(tiny_classifier_cfg())
    assert find_linear_layer(model) is model.head.fc
    assert find_linear_layer(model, 'head.fc') is model.head.fc
    with pytest.raises(ValueError) as err:
        find_linear_layer(model, 'head.fc2')
    assert "Linear layers found: ['head.fc']" in str(err.value)
    with pytest.raises(ValueError, match='is not a linear layer'):
        find_linear_layer(model, 'backbone.stages.0')
