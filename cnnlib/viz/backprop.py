"""Figures of the backward pass: where one upstream-gradient cell sends its gradient.

The output ``out[r, c]`` of a correlation used the window of the input under the kernel
at ``(r, c)`` and every weight. So its upstream gradient ``dout[r, c]`` reaches exactly
that window of the input, as ``dout[r, c] * weight``, and every weight, as
``dout[r, c] * window``. Summing these shares over all cells gives ``dx`` and
``dweight`` (see :func:`cnnlib.conv.conv2d_backward`).
"""

import numpy as np

from ..conv import output_size
from .plot import draw_box, show_kernels

__all__ = ["gradient_shares", "show_gradient_routes"]


def _grid(a, name):
    try:
        arr = np.asarray(a, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a numeric array, got "
                        f"{type(a).__name__}") from None
    if arr.ndim != 2 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty 2-D array, "
                         f"got shape {arr.shape}")
    return arr


def gradient_shares(x, weight, dout, cell, stride=1):
    """The parts of ``dx`` and ``dweight`` that come from one cell of ``dout``.

    Parameters
    ----------
    x : ndarray, shape (H, W)
        The input the forward correlation saw (no padding).
    weight : ndarray, shape (KH, KW)
    dout : ndarray, shape (H', W')
        Upstream gradient, H' = floor((H - KH) / stride) + 1.
    cell : (int, int)
        ``(r, c)``, a position in ``dout``.
    stride : int

    Returns
    -------
    window : (int, int, int, int)
        ``(top, left, bottom, right)`` of the input window the cell saw.
    dx_share : ndarray, shape (H, W)
        ``dout[r, c] * weight`` placed on the window, zero elsewhere.
    dweight_share : ndarray, shape (KH, KW)
        ``dout[r, c] * x[window]``.
    """
    x, weight, dout = (_grid(a, n) for a, n in
                       ((x, "x"), (weight, "weight"), (dout, "dout")))
    expected = output_size(x.shape, weight.shape, stride=stride)
    if dout.shape != tuple(expected):
        raise ValueError(f"dout must have shape {tuple(expected)} for x "
                         f"{x.shape}, weight {weight.shape} and stride "
                         f"{stride}, got {dout.shape}")
    if (not isinstance(cell, (tuple, list)) or len(cell) != 2
            or not all(isinstance(v, (int, np.integer)) for v in cell)):
        raise TypeError(f"cell must be a pair of ints (r, c), got {cell!r}")
    r, c = cell
    if not (0 <= r < dout.shape[0] and 0 <= c < dout.shape[1]):
        raise ValueError(f"cell {tuple(cell)} is outside dout of shape "
                         f"{dout.shape}")
    kh, kw = weight.shape
    top, left = r * stride, c * stride
    window = (top, left, top + kh, left + kw)
    dx_share = np.zeros_like(x)
    dx_share[top:top + kh, left:left + kw] = dout[r, c] * weight
    dweight_share = dout[r, c] * x[top:top + kh, left:left + kw]
    return window, dx_share, dweight_share


def show_gradient_routes(x, weight, dout, cell, *, stride=1, suptitle=None,
                         caption=None):
    """Draw where one upstream-gradient cell goes: its input window and its shares.

    Four panels, each with its numbers: ``dout`` with the cell outlined; ``x`` with
    the window that cell saw outlined; the cell's share of ``dx``; its share of
    ``dweight``. Arguments as in :func:`gradient_shares`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    window, dx_share, dweight_share = gradient_shares(x, weight, dout, cell,
                                                      stride)
    r, c = cell
    g = float(np.asarray(dout, dtype=float)[r, c])
    fig = show_kernels(
        [np.asarray(dout, dtype=float), np.asarray(x, dtype=float),
         dx_share, dweight_share],
        [f"upstream gradient, cell ({r}, {c})", "input: the window it saw",
         f"its share of dx: {g:g} × weight",
         f"its share of dweight: {g:g} × window"],
        ncols=2, shared_scale=False, suptitle=suptitle, caption=caption)
    axes = fig.axes
    draw_box(axes[0], (r, c, r + 1, c + 1), linewidth=4)
    for ax in axes[1:3]:
        draw_box(ax, window, linewidth=4)
    return fig
