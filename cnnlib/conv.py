"""The arithmetic of convolutional networks: correlation, convolution, pooling, ReLU.

Array layout
------------
One channel is an ``(H, W)`` array. Batches are NCHW: ``x`` has shape
``(N, C, H, W)``; convolution weights have shape ``(F, C, KH, KW)`` (F filters, each
looking at all C input channels); a bias has shape ``(F,)``.

Output size
-----------
A kernel of size K slid with stride S over an input of size H padded with P_before
and P_after zeros gives ``H' = floor((H + P_before + P_after - K) / S) + 1`` outputs,
that is ``floor((H + 2P - K) / S) + 1`` for symmetric padding (see :func:`output_size`).

Conventions
-----------
* ``stride`` is an int or a pair ``(SH, SW)``, each at least 1.
* ``padding`` is an int, a pair ``(PH, PW)`` (zeros on both sides of each axis),
  ``"valid"`` (no padding) or ``"same"`` (output as large as the input; stride 1 only).
  For an even kernel "same" needs an odd total padding K - 1; like PyTorch we put
  ``(K - 1) // 2`` zeros before and the extra one after (bottom / right).
* dtypes: float32 stays float32 and float64 stays float64. Integer and bool inputs
  (a uint8 photo, say) become float64, float16 becomes float32, so nothing overflows
  or clips. The result takes the dtype of the image / ``x``; the kernel, weight, bias
  and upstream gradient are cast to it. Complex numbers are refused with a TypeError
  rather than cut to their real part.
* NaN propagates: a NaN input pixel makes NaN every output it contributes to (and
  every pooling window that holds it); nothing raises. In :func:`conv2d_backward` a
  NaN or inf in ``x`` may also turn a few more ``dweight`` entries NaN than PyTorch
  would (the fast path multiplies discarded border positions by zero).

What deep learning calls "convolution" is cross-correlation (:func:`correlate2d`,
:func:`conv2d`); :func:`convolve2d` flips the kernel first, as mathematics does.
The ``*_naive`` functions (:func:`correlate2d_naive`, :func:`conv2d_naive`,
:func:`conv2d_backward_naive`, :func:`max_pool2d_backward_naive`) loop over output
pixels in Python: they are the loops to read, and the tests check that the fast
functions give their numbers. The fast functions copy shifted views of the padded
input into an im2col matrix (a loop over the KH*KW kernel offsets, never over pixels)
and multiply it with the weights in BLAS (see "batched, fast" below).
"""


import numpy as np

from ._checks import float_array as _as_array, int_pair as _int_pair, output_hw as _output_hw, pads as _pads

__all__ = [
    "output_size",
    "correlate2d",
    "convolve2d",
    "correlate2d_naive",
    "conv2d",
    "conv2d_naive",
    "conv2d_backward",
    "conv2d_backward_naive",
    "max_pool2d",
    "max_pool2d_backward",
    "max_pool2d_backward_naive",
    "relu",
    "relu_backward",
]


# --------------------------------------------------------------------------- checks
# Each public function starts with one of these: it checks the arguments (the rules
# live in cnnlib._checks) and returns them in the form the maths below uses.
def _geometry(image_hw, kernel_hw, stride, padding):
    """Check sizes; return (stride pair, (top, bottom, left, right), (H', W'))."""
    stride = _int_pair(stride, "stride", 1)
    pad = _pads(padding, kernel_hw, stride)
    return stride, pad, _output_hw(image_hw, kernel_hw, stride, pad)


def _correlate_args(image, kernel, stride, padding):
    """One channel and a kernel: (image, kernel in its dtype, stride, pad, (H', W'))."""
    image = _as_array(image, "image", 2)
    kernel = _as_array(kernel, "kernel", 2, dtype=image.dtype)
    return (image, kernel) + _geometry(image.shape, kernel.shape, stride, padding)


def _conv_args(x, weight, stride, padding, bias=None, dout=None):
    """Batched conv arguments: (x, weight, bias, dout, stride, pad, (H', W')).

    ``bias`` and ``dout`` are checked (and cast to the dtype of ``x``) when given.
    """
    x = _as_array(x, "x", 4)
    weight = _as_array(weight, "weight", 4, dtype=x.dtype)
    if weight.shape[1] != x.shape[1]:
        raise ValueError(
            f"weight expects {weight.shape[1]} input channels (shape {weight.shape}), "
            f"but x has {x.shape[1]} (shape {x.shape})"
        )
    stride, pad, out_hw = _geometry(x.shape[2:], weight.shape[2:], stride, padding)
    n, f = x.shape[0], weight.shape[0]
    if bias is not None:
        bias = _as_array(bias, "bias", 1, dtype=x.dtype)
        if bias.shape != (f,):
            raise ValueError(f"bias must have shape ({f},) for {f} filters, got {bias.shape}")
    if dout is not None:
        dout = _as_array(dout, "dout", 4, dtype=x.dtype)
        if dout.shape != (n, f) + out_hw:
            raise ValueError(f"dout must have shape {(n, f) + out_hw} for this x and weight, got {dout.shape}")
    return x, weight, bias, dout, stride, pad, out_hw


def _pool_args(x, size, stride, dout=None):
    """Pooling arguments: (x, size, stride, (H', W')), plus dout if given."""
    x = _as_array(x, "x", (2, 3, 4))
    size = _int_pair(size, "size", 1)
    stride = size if stride is None else _int_pair(stride, "stride", 1)
    out_hw = _output_hw(x.shape[-2:], size, stride, window="pooling window", where="image")
    if dout is None:
        return x, size, stride, out_hw
    dout = _as_array(dout, "dout", x.ndim, dtype=x.dtype)
    if dout.shape != x.shape[:-2] + out_hw:
        raise ValueError(f"dout must have shape {x.shape[:-2] + out_hw}, got {dout.shape}")
    return x, size, stride, out_hw, dout


def _pad(x, pad):
    """Zero-pad the last two axes of ``x`` by ``(top, bottom, left, right)``."""
    top, bottom, left, right = pad
    if not any(pad):
        return x
    h, w = x.shape[-2:]
    out = np.zeros(x.shape[:-2] + (h + top + bottom, w + left + right), dtype=x.dtype)
    out[..., top:top + h, left:left + w] = x
    return out


def _window(i, j, stride, out_hw):
    """Slices that pick, for kernel offset (i, j), the input pixel under every output."""
    (sh, sw), (oh, ow) = stride, out_hw
    return (Ellipsis, slice(i, i + sh * (oh - 1) + 1, sh), slice(j, j + sw * (ow - 1) + 1, sw))


# ---------------------------------------------------------------------- output size
def output_size(input_size, kernel_size, stride=1, padding=0):
    """Size of a correlation's output: ``floor((H + 2P - K) / S) + 1`` per axis.

    Parameters
    ----------
    input_size : int or pair of int
        H, or (H, W).
    kernel_size : int or pair of int
        K, or (KH, KW).
    stride : int or pair of int
    padding : int, pair of int, "valid" or "same"

    Returns
    -------
    int or tuple of int
        H' if ``input_size`` is an int, else (H', W').
    """
    scalar = not isinstance(input_size, (tuple, list))
    image_hw = _int_pair(input_size, "input_size", 1)
    kernel_hw = _int_pair(kernel_size, "kernel_size", 1)
    _, _, out_hw = _geometry(image_hw, kernel_hw, stride, padding)
    return out_hw[0] if scalar else out_hw


# ------------------------------------------------------------------- one channel
def correlate2d_naive(image, kernel, stride=1, padding=0):
    """Cross-correlate one channel with a kernel, one output pixel at a time.

    This is the loop to read: each output pixel is the dot product of the kernel
    with the image patch under it, ``out[r, c] = sum(patch * kernel)``.

    Parameters
    ----------
    image : ndarray, shape (H, W)
    kernel : ndarray, shape (KH, KW)
    stride : int or pair of int
    padding : int, pair of int, "valid" or "same"

    Returns
    -------
    out : ndarray, shape (H', W')
        H' = floor((H + 2P - KH) / S) + 1, likewise W'.
    """
    image, kernel, (sh, sw), pad, (oh, ow) = _correlate_args(image, kernel, stride, padding)
    padded = _pad(image, pad)
    kh, kw = kernel.shape
    out = np.zeros((oh, ow), dtype=image.dtype)
    for r in range(oh):
        for c in range(ow):
            patch = padded[r * sh:r * sh + kh, c * sw:c * sw + kw]
            out[r, c] = np.sum(patch * kernel)
    return out


def correlate2d(image, kernel, stride=1, padding=0):
    """Cross-correlate one channel with a kernel (deep learning's "convolution").

    ``out[r, c] = sum_ij image[r*S + i, c*S + j] * kernel[i, j]`` on the padded
    image. Equals :func:`correlate2d_naive` and ``scipy.signal.correlate2d``
    (mode "valid" for padding 0).

    Parameters
    ----------
    image : ndarray, shape (H, W)
    kernel : ndarray, shape (KH, KW)
    stride : int or pair of int
    padding : int, pair of int, "valid" or "same"

    Returns
    -------
    out : ndarray, shape (H', W')
        H' = floor((H + 2P - KH) / S) + 1, likewise W'. dtype of the image
        (float64 for integer images).
    """
    image, kernel, stride, pad, out_hw = _correlate_args(image, kernel, stride, padding)
    padded = _pad(image, pad)
    out = np.zeros(out_hw, dtype=image.dtype)
    # One whole-image multiply-add per kernel offset: a loop over KH*KW, not pixels.
    for (i, j), weight in np.ndenumerate(kernel):
        out += weight * padded[_window(i, j, stride, out_hw)]
    return out


def convolve2d(image, kernel, stride=1, padding=0):
    """Convolve one channel with a kernel: correlate with the kernel flipped both ways.

    Equals ``scipy.signal.convolve2d(image, kernel, mode="valid")`` for padding 0
    and mode "same" for odd kernels with padding "same". For even kernels with
    "same" the extra zero row/column goes at the bottom/right (PyTorch's rule, see
    the module docstring), so that ``convolve2d(a, k, padding=p)`` is always
    ``correlate2d(a, k[::-1, ::-1], padding=p)``; scipy puts it at the top/left.

    Parameters
    ----------
    image : ndarray, shape (H, W)
    kernel : ndarray, shape (KH, KW)
    stride : int or pair of int
    padding : int, pair of int, "valid" or "same"

    Returns
    -------
    out : ndarray, shape (H', W')
    """
    kernel = _as_array(kernel, "kernel", 2)
    return correlate2d(image, kernel[::-1, ::-1], stride=stride, padding=padding)


# ---------------------------------------------------------------------- batched, loops
def conv2d_naive(x, weight, bias=None, stride=1, padding=0):
    """Batched 2-D cross-correlation, one output number at a time: the loop to read.

    ``out[n, f, r, c] = bias[f] + sum(x_padded[n, :, r*S:r*S+KH, c*S:c*S+KW] * weight[f])``,
    the dot product of filter f with the (C, KH, KW) patch under output (r, c).
    Gives the numbers of :func:`conv2d`, only slower.

    Parameters
    ----------
    x : ndarray, shape (N, C, H, W)
    weight : ndarray, shape (F, C, KH, KW)
    bias : ndarray, shape (F,), optional
    stride : int or pair of int
    padding : int, pair of int, "valid" or "same"

    Returns
    -------
    out : ndarray, shape (N, F, H', W')
        H' = floor((H + 2P - KH) / S) + 1, likewise W'.
    """
    x, weight, bias, _, (sh, sw), pad, (oh, ow) = _conv_args(x, weight, stride, padding, bias)
    xp = _pad(x, pad)
    (num, f, kh, kw) = (x.shape[0],) + weight.shape[:1] + weight.shape[2:]
    out = np.zeros((num, f, oh, ow), dtype=x.dtype)
    for n in range(num):
        for k in range(f):
            for r in range(oh):
                for c in range(ow):
                    patch = xp[n, :, r * sh:r * sh + kh, c * sw:c * sw + kw]  # (C, KH, KW)
                    out[n, k, r, c] = np.sum(patch * weight[k])
            if bias is not None:
                out[n, k] += bias[k]
    return out


def conv2d_backward_naive(dout, x, weight, stride=1, padding=0):
    """Gradients of :func:`conv2d`, one output number at a time: the loop to read.

    Output (n, f, r, c) was ``sum(patch * weight[f])``, so its gradient ``dout[n, f, r, c]``
    flows back to the weight in proportion to the patch, and to the patch in proportion
    to the weight; overlapping patches add up. Gives the numbers of :func:`conv2d_backward`.

    Parameters
    ----------
    dout : ndarray, shape (N, F, H', W')
    x : ndarray, shape (N, C, H, W)
    weight : ndarray, shape (F, C, KH, KW)
    stride, padding : as given to the forward pass

    Returns
    -------
    dx : ndarray, shape (N, C, H, W)
    dweight : ndarray, shape (F, C, KH, KW)
    dbias : ndarray, shape (F,)
    """
    x, weight, _, dout, (sh, sw), pad, (oh, ow) = _conv_args(x, weight, stride, padding, dout=dout)
    xp = _pad(x, pad)
    (num, f, kh, kw) = (x.shape[0],) + weight.shape[:1] + weight.shape[2:]
    dxp, dweight = np.zeros_like(xp), np.zeros_like(weight)
    for n in range(num):
        for k in range(f):
            for r in range(oh):
                for c in range(ow):
                    window = (n, slice(None), slice(r * sh, r * sh + kh), slice(c * sw, c * sw + kw))
                    dweight[k] += dout[n, k, r, c] * xp[window]
                    dxp[window] += dout[n, k, r, c] * weight[k]
    dbias = dout.sum(axis=(0, 2, 3))
    (top, _, left, _), (h, w) = pad, x.shape[2:]
    return dxp[:, :, top:top + h, left:left + w], dweight, dbias


# ---------------------------------------------------------------------- batched, fast
# conv2d is a matrix product: weight (F, C*KH*KW) @ cols (C*KH*KW, M) -> (F, M). Row
# (c, i, j) of cols holds channel c shifted by kernel offset (i, j), so column m holds
# the patch under output m ("im2col"). The loops below run over the KH*KW offsets,
# never over pixels, and each copies whole images at once.
#
# The batch is processed a few images at a time (_CHUNK_BYTES of cols per chunk), so
# the copies stay small enough to be fast (see benchmarks/README.md).
#
# Stride 1 uses a "flat shift": lay the padded images out as (C, n*Hp*Wp). Shifting
# every image by (i, j) is then one contiguous slice starting at i*Wp + j, so each
# row of cols is one long copy. The product computes an output at every padded
# position (n, Hp, Wp); the (H', W') corner of each image is the answer and the
# rest (about (KH-1)/H + (KW-1)/W extra work) is thrown away.
# Otherwise (larger strides, or ``flat=False``) the strided windows are copied, on
# the exact (n, H', W') grid.

_CHUNK_BYTES = 2 << 20


def _im2col(xp, kernel_hw, stride, out_hw, flat=True, out=None):
    """Columns of padded images ``xp`` (C, n, Hp, Wp) for the conv matrix product.

    ``out`` (C, KH, KW, n, GH, GW) may be given to reuse a buffer.

    Returns
    -------
    cols : ndarray, shape (C*KH*KW, n*GH*GW)
    grid : tuple (GH, GW)
        (Hp, Wp) for the flat shift (stride 1 and ``flat``), else (H', W'); the
        outputs sit at [:H', :W'] of each grid.
    """
    c, n, hp, wp = xp.shape
    (kh, kw), (oh, ow) = kernel_hw, out_hw
    if flat and stride == (1, 1):
        src = xp.reshape(c, n * hp * wp)
        length = n * hp * wp - ((kh - 1) * wp + kw - 1)  # the last shift must stay inside
        cols = np.empty((c, kh, kw, n * hp * wp), dtype=xp.dtype) if out is None else out
        cols = cols.reshape(c, kh, kw, n * hp * wp)
        cols[..., length:] = 0  # positions past the last image's outputs
        for i in range(kh):
            for j in range(kw):
                shift = i * wp + j
                cols[:, i, j, :length] = src[:, shift:shift + length]
        return cols.reshape(c * kh * kw, -1), (hp, wp)
    cols = np.empty((c, kh, kw, n, oh, ow), dtype=xp.dtype) if out is None else out
    for i in range(kh):
        for j in range(kw):
            cols[:, i, j] = xp[_window(i, j, stride, out_hw)]
    return cols.reshape(c * kh * kw, -1), (oh, ow)


def _col2im(dcols, dxp, kernel_hw, stride, out_hw, flat=True):
    """Adjoint of :func:`_im2col`: add columns (C*KH*KW, n*GH*GW) into ``dxp`` (C, n, Hp, Wp)."""
    c, n, hp, wp = dxp.shape
    (kh, kw), (oh, ow) = kernel_hw, out_hw
    if flat and stride == (1, 1):
        dst = dxp.reshape(c, n * hp * wp)
        dcols = dcols.reshape(c, kh, kw, -1)
        length = n * hp * wp - ((kh - 1) * wp + kw - 1)
        for i in range(kh):
            for j in range(kw):
                shift = i * wp + j
                dst[:, shift:shift + length] += dcols[:, i, j, :length]
    else:
        dcols = dcols.reshape(c, kh, kw, n, oh, ow)
        for i in range(kh):
            for j in range(kw):
                dxp[_window(i, j, stride, out_hw)] += dcols[:, i, j]
    return dxp


def _padded_chunks(x, kernel_hw, stride, pad):
    """Split the batch into chunks whose cols fill about _CHUNK_BYTES; pad each chunk.

    Yields
    ------
    part : slice
        The images of this chunk.
    xp : ndarray, shape (C, n, Hp, Wp)
        Those images zero-padded, channel first. The buffer is reused between chunks.
    """
    n, c, h, w = x.shape
    top, bottom, left, right = pad
    hp, wp = h + top + bottom, w + left + right
    if stride == (1, 1):
        grid = hp * wp
    else:
        grid = ((hp - kernel_hw[0]) // stride[0] + 1) * ((wp - kernel_hw[1]) // stride[1] + 1)
    step = max(1, _CHUNK_BYTES // (c * kernel_hw[0] * kernel_hw[1] * grid * x.itemsize))
    xp = None
    for start in range(0, n, step):
        part = slice(start, min(start + step, n))
        if xp is None or xp.shape[1] != part.stop - start:
            xp = np.zeros((c, part.stop - start, hp, wp), dtype=x.dtype)  # borders stay zero
        xp[:, :, top:top + h, left:left + w] = x[part].swapaxes(0, 1)
        yield part, xp


def conv2d(x, weight, bias=None, stride=1, padding=0):
    """Batched 2-D cross-correlation, equal to ``torch.nn.functional.conv2d``.

    ``out[n, f] = bias[f] + sum_c correlate2d(x[n, c], weight[f, c])``; the loop
    version is :func:`conv2d_naive`.

    Parameters
    ----------
    x : ndarray, shape (N, C, H, W)
    weight : ndarray, shape (F, C, KH, KW)
    bias : ndarray, shape (F,), optional
    stride : int or pair of int
    padding : int, pair of int, "valid" or "same"

    Returns
    -------
    out : ndarray, shape (N, F, H', W')
        H' = floor((H + 2P - KH) / S) + 1, likewise W'; dtype of ``x``.
    """
    x, weight, bias, _, stride, pad, out_hw = _conv_args(x, weight, stride, padding, bias)
    n, f = x.shape[0], weight.shape[0]
    wmat = weight.reshape(f, -1)  # (F, C*KH*KW)
    out = np.empty((n, f) + out_hw, dtype=x.dtype)
    for part, xp in _padded_chunks(x, weight.shape[2:], stride, pad):
        cols, grid = _im2col(xp, weight.shape[2:], stride, out_hw)  # (C*KH*KW, n*GH*GW)
        out_grid = (wmat @ cols).reshape(f, xp.shape[1], *grid)  # (F, n, GH, GW)
        out_fn = out_grid[:, :, :out_hw[0], :out_hw[1]].swapaxes(0, 1)  # (n, F, H', W')
        if bias is None:
            out[part] = out_fn
        else:
            np.add(out_fn, bias[:, None, None], out=out[part])  # to NCHW and bias in one pass
    return out


def conv2d_backward(dout, x, weight, stride=1, padding=0):
    """Gradients of :func:`conv2d` given the upstream gradient ``dout``.

    ``dweight = dout @ cols.T`` (each filter's gradient is the input patches weighted
    by the gradient of the outputs they made), ``dx = col2im(weight.T @ dout)``, and
    ``dbias`` sums ``dout``. The loop version is :func:`conv2d_backward_naive`.

    Parameters
    ----------
    dout : ndarray, shape (N, F, H', W')
        Gradient of the loss with respect to the conv2d output.
    x : ndarray, shape (N, C, H, W)
        The input the forward pass saw.
    weight : ndarray, shape (F, C, KH, KW)
    stride : int or pair of int
    padding : int, pair of int, "valid" or "same"
        As given to the forward pass.

    Returns
    -------
    dx : ndarray, shape (N, C, H, W)
    dweight : ndarray, shape (F, C, KH, KW)
    dbias : ndarray, shape (F,)
    """
    x, weight, _, dout, stride, pad, out_hw = _conv_args(x, weight, stride, padding, dout=dout)
    n, f = x.shape[0], weight.shape[0]
    (h, w), (oh, ow), (top, left) = x.shape[2:], out_hw, pad[::2]
    wmat = weight.reshape(f, -1)  # (F, C*KH*KW)
    dx = np.empty_like(x)
    dweight = np.zeros((f, wmat.shape[1]), dtype=x.dtype)
    dxp = dout_grid = None
    for part, xp in _padded_chunks(x, weight.shape[2:], stride, pad):
        cols, grid = _im2col(xp, weight.shape[2:], stride, out_hw)  # (C*KH*KW, n*GH*GW)
        if dout_grid is None or dout_grid.shape[1] != xp.shape[1]:
            dxp = np.empty_like(xp)
            dout_grid = np.zeros((f, xp.shape[1]) + grid, dtype=x.dtype)  # zero off the outputs
        dout_grid[:, :, :oh, :ow] = dout[part].swapaxes(0, 1)
        dout_mat = dout_grid.reshape(f, -1)  # (F, n*GH*GW)
        dweight += dout_mat @ cols.T
        dxp.fill(0)
        _col2im(wmat.T @ dout_mat, dxp, weight.shape[2:], stride, out_hw)
        dx[part] = dxp[:, :, top:top + h, left:left + w].swapaxes(0, 1)
    dbias = dout.sum(axis=(0, 2, 3))
    return dx, dweight.reshape(weight.shape), dbias


# ---------------------------------------------------------------------- pooling
def max_pool2d(x, size=2, stride=None):
    """Max over each window, equal to ``torch.nn.functional.max_pool2d`` (no padding).

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
        H' = floor((H - KH) / S) + 1, likewise W'. A NaN in a window gives NaN.
    """
    x, size, stride, out_hw = _pool_args(x, size, stride)
    out = x[_window(0, 0, stride, out_hw)].copy()
    for i in range(size[0]):
        for j in range(size[1]):
            if i or j:
                np.maximum(out, x[_window(i, j, stride, out_hw)], out=out)
    return out


def max_pool2d_backward_naive(dout, x, size=2, stride=None):
    """Gradient of :func:`max_pool2d`, one window at a time: the loop to read.

    Only the window's maximum made the output, so the whole gradient of that output
    goes to it (the first maximum in row-major order on a tie, as ``np.argmax`` and
    PyTorch pick; a NaN counts as the maximum). Overlapping windows add up.

    Parameters
    ----------
    dout : ndarray, shape (..., H', W')
    x : ndarray, shape (..., H, W)
        The input the forward pass saw.
    size, stride : as given to :func:`max_pool2d`

    Returns
    -------
    dx : ndarray, shape (..., H, W)
    """
    x, (kh, kw), (sh, sw), (oh, ow), dout = _pool_args(x, size, stride, dout)
    dx = np.zeros_like(x)
    for lead in np.ndindex(x.shape[:-2]):  # every (n, c), or once for an (H, W) image
        for r in range(oh):
            for c in range(ow):
                window = x[lead][r * sh:r * sh + kh, c * sw:c * sw + kw]
                i, j = np.unravel_index(np.argmax(window), window.shape)
                dx[lead][r * sh + i, c * sw + j] += dout[lead][r, c]
    return dx


def max_pool2d_backward(dout, x, size=2, stride=None):
    """Gradient of :func:`max_pool2d`: each window's gradient goes to its maximum.

    Ties go to the first maximum in row-major order, as in PyTorch; overlapping
    windows add up. The loop version is :func:`max_pool2d_backward_naive`.

    Parameters
    ----------
    dout : ndarray, shape (..., H', W')
    x : ndarray, shape (..., H, W)
        The input the forward pass saw.
    size, stride : as given to :func:`max_pool2d`

    Returns
    -------
    dx : ndarray, shape (..., H, W)
    """
    x, size, stride, out_hw, dout = _pool_args(x, size, stride, dout)
    out = max_pool2d(x, size, stride)
    out_nan = np.isnan(out)
    dx = np.zeros_like(x)
    taken = np.zeros(out.shape, dtype=bool)
    # One offset (i, j) of every window at once: the first offset that holds the
    # window's maximum takes its gradient.
    for i in range(size[0]):
        for j in range(size[1]):
            window = _window(i, j, stride, out_hw)
            hit = x[window] == out
            if out_nan.any():
                hit |= out_nan & np.isnan(x[window])
            hit &= ~taken
            taken |= hit
            dx[window] += np.where(hit, dout, 0)
    return dx


# ---------------------------------------------------------------------- ReLU
def relu(x):
    """Rectified linear unit, ``max(x, 0)`` elementwise; NaN stays NaN.

    Parameters
    ----------
    x : ndarray, any shape

    Returns
    -------
    out : ndarray, same shape; float dtype as in the module docstring
    """
    x = _as_array(x, "x", None)
    return np.maximum(x, 0)


def _relu_args(dout, x):
    x = _as_array(x, "x", None)
    dout = _as_array(dout, "dout", x.ndim, dtype=x.dtype)
    if dout.shape != x.shape:
        raise ValueError(f"dout must have the shape of x {x.shape}, got {dout.shape}")
    return dout, x


def relu_backward(dout, x):
    """Gradient of :func:`relu`: ``dout`` where ``x > 0``, else 0.

    Parameters
    ----------
    dout : ndarray, same shape as x
    x : ndarray, any shape
        The input the forward pass saw.

    Returns
    -------
    dx : ndarray, same shape as x
    """
    dout, x = _relu_args(dout, x)
    return np.where(x > 0, dout, 0).astype(x.dtype, copy=False)
