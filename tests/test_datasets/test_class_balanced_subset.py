# Copyright (c) mmrazor_zs contributors. All rights reserved.
import numpy as np
import pytest
import torch

from mmrazor_zs.datasets import ClassBalancedSubset, Digits
from mmrazor_zs.registry import DATASETS


@pytest.fixture(scope='module')
def digits():
    # 1,347 images; per class 133 136 133 137 136 136 136 134 131 135
    return Digits(split='train')


def released_code_indices(labels, num_per_class, order):
    """polo5/FewShotKnowledgeTransfer's get_indices_for_n_images_per_class:

    walk the shuffled dataset, keep an image while its class has fewer than n.
    """
    counts = np.zeros(10)
    indices = []
    for index in order:
        if counts[labels[index]] < num_per_class:
            indices.append(int(index))
            counts[labels[index]] += 1
        if np.all(counts == num_per_class):
            break
    return sorted(indices)


def test_m_images_of_every_class_as_the_released_code(digits):
    subset = ClassBalancedSubset(digits, num_per_class=5, seed=3)
    labels = digits.get_gt_labels()
    assert len(subset) == 50 and subset.full_size == 1347
    assert np.bincount(labels[subset.indices]).tolist() == [5] * 10
    order = np.random.default_rng(3).permutation(1347)
    assert subset.indices.tolist() == released_code_indices(labels, 5, order)
    item = subset[7]
    assert np.array_equal(item['img'], digits[int(subset.indices[7])]['img'])
    assert subset.metainfo['classes'] == digits.metainfo['classes']


def test_each_seed_draws_another_subset_and_none_takes_the_run_seed(digits):
    first = ClassBalancedSubset(digits, num_per_class=10, seed=0).indices
    again = ClassBalancedSubset(digits, num_per_class=10, seed=0).indices
    other = ClassBalancedSubset(digits, num_per_class=10, seed=1).indices
    assert np.array_equal(first, again)
    assert not np.array_equal(first, other)
    torch.manual_seed(1)  # what mmengine's Runner does with the run's seed
    subset = ClassBalancedSubset(digits, num_per_class=10)
    assert subset.seed == 1
    assert np.array_equal(subset.indices, other)


def test_built_from_a_config():
    subset = DATASETS.build(
        dict(
            type='ClassBalancedSubset',
            num_per_class=1,
            seed=0,
            dataset=dict(type='Digits', split='train')))
    assert len(subset) == 10 and isinstance(subset.dataset, Digits)


def test_a_class_with_fewer_than_m_images_fails_naming_it(digits):
    with pytest.raises(ValueError) as info:
        ClassBalancedSubset(digits, num_per_class=132, seed=0)
    message = str(info.value)
    assert "'8' (131)" in message and "'0'" not in message
    assert 'Lower `num_per_class`' in message


@pytest.mark.parametrize('bad', [0, -1, 2.5, True])
def test_bad_num_per_class(digits, bad):
    rule = '`num_per_class` of ClassBalancedSubset must be an integer >= 1'
    with pytest.raises(ValueError, match=rule):
        ClassBalancedSubset(digits, num_per_class=bad)
