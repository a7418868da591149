"""The opt-in fast path of :class:`~cnnlib.layers.Sequential` (``fuse=True``).

With ``fuse=True``, :class:`~cnnlib.layers.Sequential` hands each ``Conv2D`` (with
the ``ReLU`` and ``MaxPool2D(2)`` that follow it, if any) to a :class:`FastConv`
step. The layers themselves stay the plain, readable wrappers of :mod:`cnnlib.conv`,
which run by default; this module is only about speed, and the tests check that both
paths give the same numbers. It uses the im2col/col2im machinery of :mod:`cnnlib.conv`
(one copy for every fast path), on the exact output grid.

What makes it faster (benchmarks/README.md says where the time goes):

* activations stay (C, N, H, W) between convolutions, so each convolution is one large
  matrix product (F, C*KH*KW) @ (C*KH*KW, N*H'*W') whose result is already (F, N, H', W');
* the im2col copy writes rows whose innermost axis is the contiguous W';
* 2x2 max pooling is done with strided slices *before* the bias and the ReLU (exact,
  and on a quarter of the data), and its backward is folded with the ReLU's;
* the first layer's input gradient is skipped in training;
* large internal arrays are reused from step to step instead of being allocated anew.
"""

import numpy as np

from .conv import _col2im, _im2col

__all__ = ["FastConv"]


class FastConv:
    """``Conv2D`` with an optional ``ReLU`` and ``MaxPool2D(2)`` after it, as one step.

    Activations travel as (C, N, H, W), so the im2col matrix is (C*KH*KW, N*H'*W'),
    with the contiguous W' innermost, and the convolution is a single matrix product
    whose result is (F, N, H', W') with no transpose. With pooling, the 2x2 maximum
    is taken *before* the bias and the ReLU: adding a per-channel constant and
    applying a monotone function commute with the maximum, so this is exact and
    runs on a quarter of the data. The backward pass masks by the ReLU, routes each
    gradient to the first maximum of its window (as
    :func:`~cnnlib.conv.max_pool2d_backward`), then does the two matrix products of
    the convolution's backward. Large internal arrays (im2col columns, padded input,
    pre-pooling output, their gradients) are kept and reused from step to step:
    allocating them afresh costs a page fault per 4 KiB every step.
    """

    def __init__(self, conv, relu_, pool):
        self.conv, self.relu, self.pool = conv, relu_, pool
        self.buffers = {}

    def _buffer(self, name, shape, dtype, zeros=False):
        """A kept array of this shape and dtype (zero-filled when first made if ``zeros``)."""
        buf = self.buffers.get(name)
        if buf is None or buf.shape != shape or buf.dtype != dtype:
            buf = self.buffers[name] = np.zeros(shape, dtype) if zeros else np.empty(shape, dtype)
        return buf

    def forward(self, x, cnhw):
        """x (N, C, H, W), or (C, N, H, W) if ``cnhw`` -> output (F, N, H', W').

        H', W' are the convolution's output size, halved (rounded down) with pooling.
        """
        conv = self.conv
        weight, bias = conv.params["weight"], conv.params.get("bias")
        x = np.asarray(x, dtype=weight.dtype)
        x = x if cnhw else x.transpose(1, 0, 2, 3)  # (C, N, H, W), maybe a view
        c, n, h, w = self.x_shape = x.shape
        f, _, kh, kw = weight.shape
        (sh, sw), (top, bottom, left, right) = conv.stride, conv.pads
        if top or bottom or left or right:
            xp = self._buffer("xp", (c, n, h + top + bottom, w + left + right), x.dtype, zeros=True)
            xp[:, :, top:top + h, left:left + w] = x  # the zero border is never written
        else:
            xp = x
        oh, ow = (xp.shape[2] - kh) // sh + 1, (xp.shape[3] - kw) // sw + 1
        cols = self._buffer("cols", (c, kh, kw, n, oh, ow), x.dtype)
        self.cols, _ = _im2col(xp, (kh, kw), (sh, sw), (oh, ow), flat=False, out=cols)  # (C*KH*KW, N*H'*W')
        self.z_shape = (f, n, oh, ow)
        if self.pool:  # z is internal: pooled right away
            z = self._buffer("z", (f, n * oh * ow), x.dtype)
            np.matmul(weight.reshape(f, -1), self.cols, out=z)
            out, self.masks = _max_pool_2x2(z.reshape(self.z_shape))
        else:  # z is the output
            out = np.matmul(weight.reshape(f, -1), self.cols).reshape(self.z_shape)
        if bias is not None:
            out += bias[:, None, None, None]
        if self.relu:
            np.maximum(out, 0, out=out)
            self.out = out
        return out

    def backward(self, dout, input_grad):
        """dout (F, N, H', W') -> dx (C, N, H, W), or None without ``input_grad``.

        Stores the weight and bias gradients in the Conv2D layer's ``grads``.
        """
        conv = self.conv
        weight = conv.params["weight"]
        f = weight.shape[0]
        if self.relu:
            dout = np.where(self.out > 0, dout, 0)  # ReLU backward from its output
        if "bias" in conv.params:
            conv.grads["bias"] = dout.sum(axis=(1, 2, 3))
        if self.pool:
            dz = _max_pool_2x2_backward(dout, self.masks, self._buffer("dz", self.z_shape, dout.dtype))
        else:
            dz = np.ascontiguousarray(dout)
        dz = dz.reshape(f, -1)  # (F, N*H'*W')
        # dweight = dz @ cols.T, computed as (cols @ dz.T).T: the same numbers, in the
        # operand order BLAS handles faster for this long, thin product
        conv.grads["weight"] = np.matmul(self.cols, dz.T).T.reshape(weight.shape)
        if not input_grad:
            return None
        dcols = np.matmul(weight.reshape(f, -1).T, dz, out=self._buffer("dcols", self.cols.shape, dz.dtype))
        c, n, h, w = self.x_shape
        (top, bottom, left, right) = conv.pads
        dxp = np.zeros((c, n, h + top + bottom, w + left + right), dtype=dz.dtype)  # returned: not kept
        _col2im(dcols, dxp, weight.shape[2:], conv.stride, self.z_shape[2:], flat=False)
        return dxp[:, :, top:top + h, left:left + w]


def _max_pool_2x2(z):
    """2x2 max pooling with stride 2 over the last two axes of z (..., H, W).

    First the maximum of each horizontal pair of columns, then of each vertical pair
    of those rows, so the slow stride-2 access happens once. Returns the maximum
    (..., H//2, W//2) and two boolean masks, ``right`` (..., 2*(H//2), W//2) and
    ``lower`` (..., H//2, W//2), that say where each maximum came from. Strict
    comparisons keep the first maximum in row-major order on ties, as PyTorch does.
    """
    ph, pw = z.shape[-2] // 2, z.shape[-1] // 2
    z = z[..., :2 * ph, :2 * pw]  # an odd last row or column is in no window
    left, right = z[..., 0::2], z[..., 1::2]
    pairs = np.maximum(left, right)  # (..., 2*ph, pw)
    right_won = right > left
    upper, lower = pairs[..., 0::2, :], pairs[..., 1::2, :]
    lower_won = lower > upper
    return np.maximum(upper, lower), (right_won, lower_won)


def _max_pool_2x2_backward(dout, masks, dz):
    """Gradient of :func:`_max_pool_2x2`: each ``dout`` goes to its window's maximum.

    Writes into and returns ``dz``, the shape of the pooled input (..., H, W).
    """
    right_won, lower_won = masks
    ph, pw = lower_won.shape[-2:]
    dz[..., 2 * ph:, :] = 0  # an odd last row or column is in no window
    dz[..., :, 2 * pw:] = 0
    dpairs = np.empty(right_won.shape, dtype=dz.dtype)
    np.multiply(dout, lower_won, out=dpairs[..., 1::2, :])
    np.subtract(dout, dpairs[..., 1::2, :], out=dpairs[..., 0::2, :])  # dout where the upper won, else 0
    dzw = dz[..., :2 * ph, :2 * pw]
    np.multiply(dpairs, right_won, out=dzw[..., 1::2])
    np.subtract(dpairs, dzw[..., 1::2], out=dzw[..., 0::2])
    return dz
