"""Average pooling: the mean of each window, and the mean of a whole feature map.

Max pooling lives in :mod:`cnnlib.conv` beside the correlation; this module holds
the averaging kind, as forward/backward pairs and as layers:

* :func:`avg_pool2d` takes the mean of each ``size`` window moved by ``stride``,
  like ``torch.nn.functional.avg_pool2d`` (no padding);
* :func:`global_avg_pool2d` takes the mean of each whole channel, (N, C, H, W) ->
  (N, C). A classifier that ends with it gives the same answer wherever in the
  image a feature was found (see chapter "Making it generalise").

The backward of an average is simple: every input pixel of a window receives an
equal share, ``dout / (KH * KW)``, of the window's gradient; overlapping windows add.
"""

import numpy as np

from ._checks import float_array, int_pair
from .conv import _pool_args, _window
from .layers import Layer, _as_input, _fmt, _short

__all__ = [
    "avg_pool2d", "avg_pool2d_backward",
    "global_avg_pool2d", "global_avg_pool2d_backward",
    "AvgPool2D", "GlobalAvgPool2D",
]


# --------------------------------------------------------------------------- functions
def avg_pool2d(x, size=2, stride=None):
    """Mean over each window, equal to ``torch.nn.functional.avg_pool2d``.

    Parameters
    ----------
    x : ndarray, shape (N, C, H, W), (C, H, W) or (H, W)
        Pooling acts on the last two axes.
    size : int or pair of int
        Window (KH, KW).
    stride : int or pair of int, optional
        Defaults to ``size`` (windows side by side).

    Returns
    -------
    out : ndarray, shape (..., H', W')
        H' = floor((H - KH) / S) + 1, likewise W'.
    """
    x, size, stride, out_hw = _pool_args(x, size, stride)
    out = np.zeros(x.shape[:-2] + out_hw, dtype=x.dtype)
    for i in range(size[0]):
        for j in range(size[1]):
            out += x[_window(i, j, stride, out_hw)]
    out /= size[0] * size[1]
    return out


def avg_pool2d_backward(dout, x, size=2, stride=None):
    """Gradient of :func:`avg_pool2d`: each window shares its gradient equally.

    Parameters
    ----------
    dout : ndarray, shape (..., H', W')
    x : ndarray, shape (..., H, W)
        The input the forward pass saw (only its shape and dtype matter).
    size, stride : as given to :func:`avg_pool2d`

    Returns
    -------
    dx : ndarray, shape (..., H, W)
        ``dx[..., r, c]`` is the sum, over the windows holding (r, c), of
        ``dout / (KH * KW)``.
    """
    x, size, stride, out_hw = _pool_args(x, size, stride)
    dout = float_array(dout, "dout", x.ndim, dtype=x.dtype)
    if dout.shape != x.shape[:-2] + out_hw:
        raise ValueError(
            f"dout must have shape {x.shape[:-2] + out_hw}, got {dout.shape}")
    share = dout / (size[0] * size[1])
    dx = np.zeros_like(x)
    for i in range(size[0]):
        for j in range(size[1]):
            dx[_window(i, j, stride, out_hw)] += share
    return dx


def global_avg_pool2d(x):
    """Mean of each channel over all its pixels: (N, C, H, W) -> (N, C).

    Parameters
    ----------
    x : ndarray, shape (N, C, H, W)

    Returns
    -------
    out : ndarray, shape (N, C)
        ``out[n, c] = mean over (h, w) of x[n, c, h, w]``.
    """
    x = float_array(x, "x", 4)
    return x.mean(axis=(2, 3))


def global_avg_pool2d_backward(dout, x):
    """Gradient of :func:`global_avg_pool2d`: every pixel gets ``dout / (H * W)``.

    Parameters
    ----------
    dout : ndarray, shape (N, C)
    x : ndarray, shape (N, C, H, W)
        The input the forward pass saw (only its shape and dtype matter).

    Returns
    -------
    dx : ndarray, shape (N, C, H, W)
    """
    x = float_array(x, "x", 4)
    dout = float_array(dout, "dout", 2, dtype=x.dtype)
    if dout.shape != x.shape[:2]:
        raise ValueError(f"dout must have shape {x.shape[:2]}, got {dout.shape}")
    h, w = x.shape[2:]
    dx = np.empty_like(x)
    dx[...] = (dout / (h * w))[:, :, None, None]
    return dx


# --------------------------------------------------------------------------- layers
class AvgPool2D(Layer):
    """Average pooling over ``size`` windows moved by ``stride`` (default: ``size``).

    x (N, C, H, W) -> (N, C, H', W'), H' = floor((H - KH) / S) + 1.
    """

    def __init__(self, size=2, stride=None):
        super().__init__()
        self.size = int_pair(size, "size", 1)
        self.stride = (self.size if stride is None
                       else int_pair(stride, "stride", 1))
        self.x = None

    def __repr__(self):
        extra = ("" if self.stride == self.size
                 else f", stride={_short(self.stride)}")
        return f"AvgPool2D({_short(self.size)}{extra})"

    def output_shape(self, input_shape):
        shape = tuple(input_shape)
        if len(shape) != 4:
            raise ValueError(f"{self!r} expects input of shape (N, C, H, W), "
                             f"got {_fmt(shape)}")
        (kh, kw), (sh, sw) = self.size, self.stride
        if kh > shape[2] or kw > shape[3]:
            raise ValueError(
                f"{self!r}: window {kh}x{kw} is larger than the input "
                f"{shape[2]}x{shape[3]} (input shape {_fmt(shape)})")
        return shape[:2] + ((shape[2] - kh) // sh + 1,
                            (shape[3] - kw) // sw + 1)

    def forward(self, x):
        """x (N, C, H, W) -> (N, C, H', W')."""
        self.x = self._check(x)
        return avg_pool2d(self.x, self.size, self.stride)

    def backward(self, dout, input_grad=True):
        """dout (N, C, H', W') -> dx (N, C, H, W)."""
        return avg_pool2d_backward(dout, self._cached("x"), self.size,
                                   self.stride)


class GlobalAvgPool2D(Layer):
    """Mean of each channel over the whole map: (N, C, H, W) -> (N, C).

    Put it where a :class:`~cnnlib.layers.Flatten` would go: the next
    :class:`~cnnlib.layers.Dense` then takes C features whatever H and W are.
    """

    def __init__(self):
        super().__init__()
        self.x = None

    def __repr__(self):
        return "GlobalAvgPool2D()"

    def output_shape(self, input_shape):
        shape = tuple(input_shape)
        if len(shape) != 4:
            raise ValueError(f"{self!r} expects input of shape (N, C, H, W), "
                             f"got {_fmt(shape)}")
        return shape[:2]

    def forward(self, x):
        """x (N, C, H, W) -> (N, C)."""
        self.x = _as_input(x, self)
        self.output_shape(self.x.shape)
        return global_avg_pool2d(self.x)

    def backward(self, dout, input_grad=True):
        """dout (N, C) -> dx (N, C, H, W)."""
        return global_avg_pool2d_backward(dout, self._cached("x"))
