# Copyright (c) mmrazor_zs contributors. All rights reserved.
import pytest

from mmrazor_zs.engine import DataFreeTrainLoop, NoTrainingData


def test_a_training_dataloader_is_refused():
    with pytest.raises(ValueError, match='reads no training data'):
        DataFreeTrainLoop(
            runner=None,
            dataloader=dict(dataset=dict(type='Digits')),
            max_iters=10)


def test_loop_state_without_data():
    loop = DataFreeTrainLoop(
        runner=None, dataloader={}, max_iters=12, val_interval=4)
    assert (loop.max_iters, loop.iter, loop.max_epochs) == (12, 0, 1)
    assert isinstance(loop.dataloader, NoTrainingData)
    assert loop.dataloader.dataset is None  # what mmengine's Runner reads
    assert len(loop.dataloader) == 12  # the run is one epoch


@pytest.mark.parametrize('max_iters', [0, 2.5])
def test_bad_max_iters(max_iters):
    with pytest.raises(
            ValueError,
            match='`max_iters` of DataFreeTrainLoop must be an integer >= 1, '
            f'but got {max_iters!r}'):
        DataFreeTrainLoop(runner=None, dataloader={}, max_iters=max_iters)
