# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""The one wording of the settings checks, ``temporarily_eval`` and
``in_mode``."""
import pytest
import torch.nn as nn

from mmrazor_zs.utils import (check_choice, check_positive_int,
                              describe_choices, in_mode, temporarily_eval)


def test_describe_choices_joins_with_or():
    assert describe_choices(('a', 'b', 'c')) == "'a', 'b' or 'c'"
    assert describe_choices(['train', 'eval']) == "'train' or 'eval'"
    assert describe_choices((None, )) == 'None'
    assert describe_choices(()) == ''


def test_check_choice_passes_a_valid_value():
    check_choice('order', 'student_first',
                 ('generator_first', 'student_first'))


def test_check_choice_names_setting_owner_choices_and_value():
    with pytest.raises(ValueError) as info:
        check_choice('order', 'sideways', ('generator_first', 'student_first'),
                     'DFAD')
    assert str(
        info.value) == ("`order` of DFAD must be one of 'generator_first' or "
                        "'student_first', but got 'sideways'.")
    with pytest.raises(ValueError) as info:
        check_choice('keep', 'first', ('best', 'last'))
    assert str(info.value) == ("`keep` must be one of 'best' or 'last', but "
                               "got 'first'.")


@pytest.mark.parametrize('value', [1, 7])
def test_check_positive_int_passes(value):
    check_positive_int('steps', value)


@pytest.mark.parametrize('value', [0, -1, 2.0, True, '3', None])
def test_check_positive_int_refuses(value):
    with pytest.raises(ValueError) as info:
        check_positive_int('steps', value, 'ZSKT')
    assert str(info.value) == (f'`steps` of ZSKT must be an integer >= 1, '
                               f'but got {value!r}.')


def test_check_positive_int_minimum_zero():
    check_positive_int('warmup_rounds', 0, minimum=0)
    with pytest.raises(
            ValueError,
            match='`warmup_rounds` must be an integer >= 0, but got -1.'):
        check_positive_int('warmup_rounds', -1, minimum=0)


def _modes(module):
    return [m.training for m in module.modules()]


def test_temporarily_eval_restores_each_modules_own_flag():
    net = nn.Sequential(nn.BatchNorm1d(2), nn.Dropout())
    other = nn.BatchNorm1d(2)
    net[1].eval()  # a child in its own mode, kept as it was
    other.eval()
    with temporarily_eval(net, other):
        assert _modes(net) == [False, False, False]
        assert _modes(other) == [False]
    assert _modes(net) == [True, True, False]
    assert _modes(other) == [False]


def test_temporarily_eval_restores_after_an_error():
    net = nn.BatchNorm1d(2)
    with pytest.raises(RuntimeError, match='inside'):
        with temporarily_eval(net):
            raise RuntimeError('inside')
    assert net.training


@pytest.mark.parametrize('training', [True, False])
def test_in_mode_switches_and_switches_back(training):
    net = nn.Sequential(nn.BatchNorm1d(2), nn.Dropout())
    net.train(not training)
    with in_mode(net, training):
        assert _modes(net) == [training] * 3
    assert _modes(net) == [not training] * 3


def test_in_mode_does_not_walk_a_module_already_in_the_mode(monkeypatch):
    net = nn.Sequential(nn.BatchNorm1d(2))
    calls = []
    monkeypatch.setattr(net, 'train', lambda mode=True: calls.append(mode))
    with in_mode(net, True):
        pass
    assert calls == []
    with in_mode(net, False):
        pass
    assert calls == [False, True]
