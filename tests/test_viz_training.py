"""Tests for cnnlib.viz.training: the replay, loss curves and learning-rate figures."""

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

import cnnlib as cl  # noqa: E402
from cnnlib.viz import training  # noqa: E402

RNG = np.random.default_rng(0)
KERNELS = RNG.normal(size=(5, 3, 3))
IMAGE = RNG.normal(size=(12, 12))


def _pixels(fig):
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    fig.savefig(buffer, format="png", dpi=40)
    return np.asarray(Image.open(buffer).convert("RGB"), dtype=int)


def test_kernel_replay_draws_each_step_and_changes_the_map(tmp_path):
    from PIL import Image, ImageSequence

    anim = training.kernel_replay(KERNELS, IMAGE, np.geomspace(1, 1e-3, 5), np.linspace(0, 1, 5), [0, 4])
    anim.save(tmp_path / "replay.gif", writer="pillow", fps=1, dpi=40)
    with Image.open(tmp_path / "replay.gif") as gif:
        frames = [np.asarray(f.convert("RGB"), dtype=int) for f in ImageSequence.Iterator(gif)]
    assert len(frames) == 2 and np.abs(frames[0] - frames[1]).sum() > 0


def test_kernel_replay_rejects_mismatched_lengths_and_steps():
    with pytest.raises(ValueError, match="one value per kernel"):
        training.kernel_replay(KERNELS, IMAGE, np.ones(4), np.ones(5), [0])
    with pytest.raises(ValueError, match="steps must lie in 0..4"):
        training.kernel_replay(KERNELS, IMAGE, np.ones(5), np.ones(5), [5])
    with pytest.raises(ValueError, match="kernels must have shape"):
        training.kernel_replay(np.ones((3, 3)), IMAGE, np.ones(5), np.ones(5), [0])


def test_loss_and_similarity_draws_two_labelled_panels():
    fig = training.loss_and_similarity(np.geomspace(1, 1e-3, 4), np.geomspace(1, 1e-3, 5), np.linspace(0, 1, 5))
    assert len(fig.axes) == 2 and fig.axes[0].get_yscale() == "log"
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["one batch", "all examples"]
    assert _pixels(fig).std() > 0
    with pytest.raises(ValueError, match="len\\(batch_loss\\) \\+ 1"):
        training.loss_and_similarity(np.ones(5), np.ones(5), np.ones(5))


def test_learning_rate_run_shows_a_blown_up_kernel_divided_by_its_scale():
    layer = cl.Conv2D(1, 1, 3, bias=False, rng=0)
    X = RNG.normal(size=(32, 1, 8, 8)).astype(np.float32)
    history = cl.fit(layer, X, np.zeros((32, 1, 6, 6), np.float32), num_epochs=2, batch_size=16,
                     loss=cl.mse, optimizer=cl.SGD(lr=0.01), progress=False)
    fig = training.learning_rate_run(history, np.full((3, 3), 5e6), IMAGE, 1.0, "a run", 32, 16)
    titles = [ax.get_title() for ax in fig.axes]
    assert any("÷ 1e+06" in t for t in titles) and fig.get_suptitle() == "a run"
    assert _pixels(fig).std() > 0
    with pytest.raises(ValueError, match="kernel must be 2-D"):
        training.learning_rate_run(history, np.ones(9), IMAGE, 1.0, "x", 32, 16)


def test_kernel_replay_title_counts_steps_in_words():
    anim = training.kernel_replay(KERNELS, IMAGE, np.geomspace(1, 1e-3, 5), np.linspace(0, 1, 5),
                                  [1, 4])
    titles = []
    for i in range(2):
        anim.draw_frame(i)
        titles.append(" ".join(t.get_text() for t in anim.figure.texts).replace("\n", " "))
    assert titles[0].startswith("after 1 step:"), titles[0]
    assert titles[1].startswith("after 4 steps:"), titles[1]
