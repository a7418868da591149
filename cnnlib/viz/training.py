"""Figures of one kernel being trained: its replay, its loss curves, one run per learning rate.

Each function returns a detached figure (or an animation over one), which a notebook shows
by making it the last expression of a cell; nothing here calls ``plt.show()``.

The replay and a run show a loss curve, a kernel and its map: in one row on the book's
column, and on a phone's (:func:`cnnlib.viz.plot.column`) the loss on a row of its own.
"""

import numpy as np
import matplotlib.pyplot as plt
from matplotlib.animation import FuncAnimation

from .. import conv
from .plot import (CSS_DPI, DIVERGING, MIN_FONT, column, column_width, fill, new_figure,
                   show_image, show_kernel)

ROW = 7.0
"""float: inches; a column at least this wide shows loss, kernel and map in one row."""


def _fit_title(fig, text):
    """``text`` wrapped to the figure's width as a 13-point title (7.5 pt a letter)."""
    return fill(text, max(20, int(fig.get_figwidth() * 72 / 7.5)), break_on_hyphens=False)


def _loss_kernel_map(loss_first):
    """A figure with a loss panel, a kernel panel and a map panel, and the three Axes.

    On a column of at least :data:`ROW` inches they share one row (the loss on the left
    if ``loss_first``, else on the right, 1.5 times as wide); on a narrower one the
    kernel and the map share a row and the loss spans the other (on top if
    ``loss_first``). Positions are fixed, so the panels keep still from frame to frame.
    """
    room = column_width()
    if room >= ROW:
        fig = new_figure((10, 3.4), layout=None)
        ratios = [1.5, 1, 1] if loss_first else [1, 1, 1.5]
        axes = fig.subplots(1, 3, width_ratios=ratios)
        fig.subplots_adjust(left=0.07 if loss_first else 0.01, right=0.98 if loss_first
                            else 0.97, bottom=0.15, top=0.8, wspace=0.2 if loss_first else 0.3)
        ax_loss, ax_k, ax_m = axes if loss_first else (axes[2], axes[0], axes[1])
        return fig, _readable(ax_loss), ax_k, ax_m
    side = (room - 0.45) / 2
    top, loss_h = 0.65, 1.6  # two lines of title; the loss curve
    rows = [("loss", 0.3, loss_h, 0.55), ("panels", 0.45, side, 0.1)]
    rows = rows if loss_first else rows[::-1]
    height = top + sum(t + h + b for _, t, h, b in rows)
    fig = new_figure((room, height), layout=None)
    y, placed = top, {}
    for name, title_h, panel_h, below in rows:
        y += title_h
        bottom = 1 - (y + panel_h) / height
        if name == "loss":
            placed["loss"] = fig.add_axes([0.7 / room, bottom, (room - 0.85) / room,
                                           panel_h / height])
        else:
            for key, x in (("k", 0.15), ("m", 0.3 + side)):
                placed[key] = fig.add_axes([x / room, bottom, side / room, panel_h / height])
        y += panel_h + below
    return fig, _readable(placed["loss"]), placed["k"], placed["m"]


def _readable(ax):
    """``ax`` with tick labels and axis labels of at least MIN_FONT points (they are made
    before the figure's style applies, at drawing)."""
    ax.tick_params(labelsize=MIN_FONT)
    ax.xaxis.label.set_size(MIN_FONT)
    ax.yaxis.label.set_size(MIN_FONT)
    return ax


def _kernels(kernels):
    k = np.asarray(kernels, dtype=float)
    if k.ndim != 3 or k.shape[0] == 0:
        raise ValueError(f"kernels must have shape (steps, KH, KW) with at least one step, got {k.shape}")
    return k


def kernel_replay(kernels, image, loss, similarity, steps, vlim=None):
    """An animation of training: the kernel, its map on ``image``, and the loss so far.

    Parameters
    ----------
    kernels : ndarray, shape (S, KH, KW)
        The kernel before the first step and after each step.
    image : ndarray, shape (H, W)
        A piece of image to correlate with each kernel.
    loss : ndarray, shape (S,)
        The loss of each kernel (drawn on a log scale).
    similarity : ndarray, shape (S,)
        A score of each kernel, written in the title (a cosine similarity).
    steps : sequence of int
        The steps shown, one per frame.
    vlim : float, optional
        Colour scale of the map, ``[-vlim, vlim]``; default: the first map's largest value.

    Returns
    -------
    matplotlib.animation.FuncAnimation
        Over a detached figure; pass it to :func:`cnnlib.viz.playback.player`. With
        ``figure``, ``draw_frame(i)`` (draws frame ``i``) and ``for_column(width)``
        (the same replay laid out for a column ``width`` inches wide).
    """
    kernels = _kernels(kernels)
    loss, similarity = np.asarray(loss, float), np.asarray(similarity, float)
    steps = [int(s) for s in steps]
    if len(loss) != len(kernels) or len(similarity) != len(kernels):
        raise ValueError(f"loss and similarity need one value per kernel ({len(kernels)}), "
                         f"got {len(loss)} and {len(similarity)}")
    if not steps or min(steps) < 0 or max(steps) >= len(kernels):
        raise ValueError(f"steps must lie in 0..{len(kernels) - 1}, got {steps}")
    if vlim is None:
        vlim = float(np.abs(conv.correlate2d(image, kernels[0])).max()) or 1.0
    fig, ax_l, ax_k, ax_m = _loss_kernel_map(loss_first=False)
    fig.set_dpi(CSS_DPI)  # a player renders PIXEL_RATIO times as many pixels
    show_image(conv.correlate2d(image, kernels[0]), "its feature map", ax=ax_m,
               cmap=DIVERGING, vmin=-vlim, vmax=vlim)
    ax_l.semilogy(loss, color="0.85")
    curve, = ax_l.semilogy([], [], color="C0", lw=2)
    dot, = ax_l.plot([], [], "o", color="C1")
    ax_l.set(xlabel="step", title="loss (log scale)")
    ax_l.minorticks_off()
    title = fig.suptitle("", fontsize=13)

    def show_step(i):
        step = steps[i]
        ax_k.clear()
        show_kernel(kernels[step], "kernel", ax=ax_k)
        ax_m.images[0].set_data(conv.correlate2d(image, kernels[step]))
        curve.set_data(np.arange(step + 1), loss[:step + 1])
        dot.set_data([step], [loss[step]])
        steps_done = f"{step} step" + ("" if step == 1 else "s")
        title.set_text(_fit_title(fig, f"after {steps_done}: cosine similarity to the "
                                       f"hand-made kernel {similarity[step]:+.3f}"))

    anim = FuncAnimation(fig, show_step, frames=len(steps))
    anim.figure, anim.draw_frame = fig, show_step

    def for_column(width):
        with column(width):
            return kernel_replay(kernels, image, loss, similarity, steps, vlim)
    anim.for_column = for_column
    return anim


def loss_and_similarity(batch_loss, loss, similarity, batch_label="one batch",
                        label="all examples"):
    """Two panels: the loss per step (log scale) and the similarity to a target kernel.

    Parameters
    ----------
    batch_loss : ndarray, shape (S - 1,)
        The loss of each step's batch, as the training loop saw it.
    loss : ndarray, shape (S,)
        The loss of the kernel before the first step and after each step, on all examples.
    similarity : ndarray, shape (S,)
        The cosine similarity of each of those kernels to the target.
    batch_label, label : str
        Legend entries of the two loss curves.

    Returns
    -------
    matplotlib.figure.Figure
    """
    batch_loss, loss = np.asarray(batch_loss, float), np.asarray(loss, float)
    similarity = np.asarray(similarity, float)
    if len(batch_loss) != len(loss) - 1 or len(similarity) != len(loss):
        raise ValueError(f"need len(batch_loss) + 1 == len(loss) == len(similarity), got "
                         f"{len(batch_loss)}, {len(loss)}, {len(similarity)}")
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.2), layout="constrained")
    ax1.semilogy(np.arange(1, len(loss)), batch_loss, lw=0.6, color="0.6", label=batch_label)
    ax1.semilogy(loss, lw=2, color="C0", label=label)
    ax1.set(xlabel="step", ylabel="loss (log scale)", title="the loss falls by orders of magnitude")
    ax1.legend()
    ax2.plot(similarity, lw=2, color="C2")
    ax2.axhline(1, color="0.5", ls="--", lw=1)
    ax2.set(xlabel="step", ylabel="cosine similarity", title="the kernel turns toward the target")
    plt.close(fig)
    return fig


def learning_rate_run(history, kernel, image, vlim, title, num_steps, steps_per_epoch):
    """One training run: batch and epoch losses, the final kernel, and its map on ``image``.

    Parameters
    ----------
    history : History
        From :func:`cnnlib.train.fit`: ``batch_loss`` and the per-epoch ``loss``.
    kernel : ndarray, shape (KH, KW)
        The kernel at the end; divided by a power of ten (and labelled so) if it blew up.
    image : ndarray, shape (H, W)
    vlim : float
        Colour scale of the map, ``[-vlim, vlim]``.
    title : str
    num_steps : int
        Width of the loss axis, in steps.
    steps_per_epoch : int
        Where each epoch's mean loss is drawn.

    Returns
    -------
    matplotlib.figure.Figure
    """
    k = np.asarray(kernel, dtype=float)
    if k.ndim != 2:
        raise ValueError(f"kernel must be 2-D (KH, KW), got shape {k.shape}")
    fig, ax_l, ax_k, ax_m = _loss_kernel_map(loss_first=True)
    steps = np.arange(1, len(history.batch_loss) + 1)
    ax_l.semilogy(steps, history.batch_loss, lw=0.6, color="0.7")
    epoch_ends = steps_per_epoch * np.arange(1, len(history.loss) + 1)
    ax_l.semilogy(epoch_ends, history.loss, "o-", ms=3)
    ax_l.set(xlim=(0, num_steps), ylim=(1e-8, 1e8), xlabel="step",
             yticks=10.0 ** np.arange(-8, 9, 4), title="loss (log scale)")
    ax_l.minorticks_off()
    # huge weights are drawn divided by a power of ten, so their digits fit
    scale = 10.0 ** np.floor(np.log10(np.abs(k).max())) if np.abs(k).max() > 0 else 1.0
    scale = scale if scale > 100 else 1.0
    show_kernel(k / scale, "kernel at the end" + (f" ÷ {scale:.0e}" if scale > 1 else ""), ax=ax_k)
    with np.errstate(over="ignore", invalid="ignore"):
        show_image(conv.correlate2d(image, k), "its feature map", ax=ax_m,
                   cmap=DIVERGING, vmin=-vlim, vmax=vlim)
    fig.suptitle(_fit_title(fig, title), fontsize=13)
    return fig
