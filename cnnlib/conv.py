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
  and upstream gradient are cast to it.
* NaN propagates: a NaN input pixel makes NaN every output it contributes to (and
  every pooling window that holds it); nothing raises. In :func:`conv2d_backward` a
  NaN or inf in ``x`` may also turn a few more ``dweight`` entries NaN than PyTorch
  would (the fast path multiplies discarded border positions by zero).

What deep learning calls "convolution" is cross-correlation (:func:`correlate2d`,
:func:`conv2d`); :func:`convolve2d` flips the kernel first, as mathematics does.
Only :func:`correlate2d_naive` loops over pixels in Python: it is the loop to read.
The fast functions copy shifted views of the padded input into an im2col matrix
(a loop over the KH*KW kernel offsets, never over pixels) and multiply it with the
weights in BLAS; the batched ones go a few images at a time (see "batched" below).
"""


import numpy as np

from ._checks import int_pair as _int_pair

__all__ = [
    "output_size",
    "correlate2d",
    "convolve2d",
    "correlate2d_naive",
    "conv2d",
    "conv2d_backward",
    "max_pool2d",
    "max_pool2d_backward",
    "relu",
    "relu_backward",
]

# --------------------------------------------------------------------------- checks
def _float_dtype(dtype):
    """The float dtype an array of ``dtype`` is computed in."""
    if dtype == np.float32 or dtype == np.float64:
        return np.dtype(dtype)
    if dtype == np.float16:
        return np.dtype(np.float32)
    return np.dtype(np.float64)


def _as_array(a, name, ndim, dtype=None):
    """``a`` as a float array with ``ndim`` dimensions (a tuple allows several, None any)."""
    try:
        arr = np.asarray(a)
    except (ValueError, TypeError) as err:
        raise TypeError(f"{name} must be a numeric array, got {type(a).__name__}: {err}") from None
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be a real numeric array, got dtype {arr.dtype}")
    ndims = (ndim,) if isinstance(ndim, int) else ndim
    if ndims is not None and arr.ndim not in ndims:
        expected = " or ".join(str(d) for d in ndims)
        raise ValueError(f"{name} must have {expected} dimensions, got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} is empty: shape {arr.shape}")
    if dtype is None:
        dtype = _float_dtype(arr.dtype)
    return arr.astype(dtype, copy=False)


def _padding(padding, kernel_hw, stride):
    """Padding as ``(top, bottom, left, right)`` zeros."""
    if isinstance(padding, str):
        word = padding.lower()
        if word == "valid":
            return 0, 0, 0, 0
        if word == "same":
            if stride != (1, 1):
                raise ValueError(f"padding='same' needs stride 1, got stride {stride}")
            (kh, kw) = kernel_hw
            top, left = (kh - 1) // 2, (kw - 1) // 2
            return top, kh - 1 - top, left, kw - 1 - left
        raise ValueError(f"padding must be an int, a pair, 'valid' or 'same', got {padding!r}")
    ph, pw = _int_pair(padding, "padding", 0)
    return ph, ph, pw, pw


def _geometry(image_hw, kernel_hw, stride, padding):
    """Check sizes; return (stride pair, (top, bottom, left, right), (H', W'))."""
    stride = _int_pair(stride, "stride", 1)
    pad = _padding(padding, kernel_hw, stride)
    hp, wp = image_hw[0] + pad[0] + pad[1], image_hw[1] + pad[2] + pad[3]
    kh, kw = kernel_hw
    if kh > hp or kw > wp:
        raise ValueError(f"kernel {kh}x{kw} is larger than the padded image {hp}x{wp}")
    out_hw = ((hp - kh) // stride[0] + 1, (wp - kw) // stride[1] + 1)
    return stride, pad, out_hw


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
    image = _as_array(image, "image", 2)
    kernel = _as_array(kernel, "kernel", 2, dtype=image.dtype)
    (sh, sw), pad, (oh, ow) = _geometry(image.shape, kernel.shape, stride, padding)
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
    image = _as_array(image, "image", 2)
    kernel = _as_array(kernel, "kernel", 2, dtype=image.dtype)
    stride, pad, out_hw = _geometry(image.shape, kernel.shape, stride, padding)
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


# ---------------------------------------------------------------------- batched
# conv2d is a GEMM: weight (F, C*KH*KW) @ cols (C*KH*KW, M) -> (F, M). Row (c, i, j)
# of cols holds channel c shifted by kernel offset (i, j). The batch is processed a
# few images at a time so that cols stays in the CPU cache (_CHUNK_BYTES).
#
# Stride 1 uses a "flat shift": lay the padded images out as (C, n*Hp*Wp). Shifting
# every image by (i, j) is then one contiguous slice starting at i*Wp + j, so each
# row of cols is a plain memory copy. The GEMM computes an output at every padded
# position (n, Hp, Wp); the (H', W') corner of each image is the answer and the
# rest (about (KH-1)/H + (KW-1)/W extra work) is thrown away.
# Larger strides copy the strided windows instead, on the exact (n, H', W') grid.
#
# Why (measured on a 2-core EPYC, float32, benchmarks/bench_conv.py): chunks of
# about 2 MB made forward+backward about twice as fast as one whole-batch GEMM
# (no page faults on fresh 40 MB temporaries, data stays in cache); long flat rows
# copy about 1.7x and accumulate (col2im) about 4x faster than 32-wide windows.

_CHUNK_BYTES = 2 << 20


def _im2col(xp, kernel_hw, stride, out_hw):
    """Columns of padded images ``xp`` (C, n, Hp, Wp) for the conv GEMM.

    Returns
    -------
    cols : ndarray, shape (C*KH*KW, n*GH*GW)
    grid : tuple (GH, GW)
        (Hp, Wp) for stride 1, else (H', W'); outputs sit at [:H', :W'] of each grid.
    """
    c, n, hp, wp = xp.shape
    (kh, kw), (oh, ow) = kernel_hw, out_hw
    if stride == (1, 1):
        flat = xp.reshape(c, n * hp * wp)
        length = n * hp * wp - ((kh - 1) * wp + kw - 1)  # the last shift must stay inside
        cols = np.empty((c, kh, kw, n * hp * wp), dtype=xp.dtype)
        cols[..., length:] = 0  # positions past the last image's outputs
        for i in range(kh):
            for j in range(kw):
                shift = i * wp + j
                cols[:, i, j, :length] = flat[:, shift:shift + length]
        return cols.reshape(c * kh * kw, -1), (hp, wp)
    cols = np.empty((c, kh, kw, n, oh, ow), dtype=xp.dtype)
    for i in range(kh):
        for j in range(kw):
            cols[:, i, j] = xp[_window(i, j, stride, out_hw)]
    return cols.reshape(c * kh * kw, -1), (oh, ow)


def _col2im(dcols, dxp, kernel_hw, stride, out_hw):
    """Adjoint of :func:`_im2col`: add columns (C*KH*KW, n*GH*GW) into ``dxp`` (C, n, Hp, Wp)."""
    c, n, hp, wp = dxp.shape
    (kh, kw), (oh, ow) = kernel_hw, out_hw
    if stride == (1, 1):
        flat = dxp.reshape(c, n * hp * wp)
        dcols = dcols.reshape(c, kh, kw, -1)
        length = n * hp * wp - ((kh - 1) * wp + kw - 1)
        for i in range(kh):
            for j in range(kw):
                shift = i * wp + j
                flat[:, shift:shift + length] += dcols[:, i, j, :length]
    else:
        dcols = dcols.reshape(c, kh, kw, n, oh, ow)
        for i in range(kh):
            for j in range(kw):
                dxp[_window(i, j, stride, out_hw)] += dcols[:, i, j]


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


def _conv_args(x, weight, stride, padding):
    x = _as_array(x, "x", 4)
    weight = _as_array(weight, "weight", 4, dtype=x.dtype)
    if weight.shape[1] != x.shape[1]:
        raise ValueError(
            f"weight expects {weight.shape[1]} input channels (shape {weight.shape}), "
            f"but x has {x.shape[1]} (shape {x.shape})"
        )
    stride, pad, out_hw = _geometry(x.shape[2:], weight.shape[2:], stride, padding)
    return x, weight, stride, pad, out_hw


def conv2d(x, weight, bias=None, stride=1, padding=0):
    """Batched 2-D cross-correlation, equal to ``torch.nn.functional.conv2d``.

    ``out[n, f] = bias[f] + sum_c correlate2d(x[n, c], weight[f, c])``.

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
    x, weight, stride, pad, out_hw = _conv_args(x, weight, stride, padding)
    n, f = x.shape[0], weight.shape[0]
    if bias is not None:
        bias = _as_array(bias, "bias", 1, dtype=x.dtype)
        if bias.shape != (f,):
            raise ValueError(f"bias must have shape ({f},) for {f} filters, got {bias.shape}")
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
    x, weight, stride, pad, out_hw = _conv_args(x, weight, stride, padding)
    n, f = x.shape[0], weight.shape[0]
    dout = _as_array(dout, "dout", 4, dtype=x.dtype)
    if dout.shape != (n, f) + out_hw:
        raise ValueError(f"dout must have shape {(n, f) + out_hw} for this x and weight, got {dout.shape}")
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
def _pool_args(x, size, stride):
    x = _as_array(x, "x", (2, 3, 4))
    size = _int_pair(size, "size", 1)
    stride = size if stride is None else _int_pair(stride, "stride", 1)
    h, w = x.shape[-2:]
    if size[0] > h or size[1] > w:
        raise ValueError(f"pooling window {size[0]}x{size[1]} is larger than the image {h}x{w}")
    out_hw = ((h - size[0]) // stride[0] + 1, (w - size[1]) // stride[1] + 1)
    return x, size, stride, out_hw


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


def max_pool2d_backward(dout, x, size=2, stride=None):
    """Gradient of :func:`max_pool2d`: each window's gradient goes to its maximum.

    Ties go to the first maximum in row-major order, as in PyTorch; overlapping
    windows add up.

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
    x, size, stride, out_hw = _pool_args(x, size, stride)
    dout = _as_array(dout, "dout", x.ndim, dtype=x.dtype)
    if dout.shape != x.shape[:-2] + out_hw:
        raise ValueError(f"dout must have shape {x.shape[:-2] + out_hw}, got {dout.shape}")
    out = max_pool2d(x, size, stride)
    out_nan = np.isnan(out)
    dx = np.zeros_like(x)
    taken = np.zeros(out.shape, dtype=bool)
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
    x = _as_array(x, "x", None)
    dout = _as_array(dout, "dout", x.ndim, dtype=x.dtype)
    if dout.shape != x.shape:
        raise ValueError(f"dout must have the shape of x {x.shape}, got {dout.shape}")
    return np.where(x > 0, dout, 0).astype(x.dtype, copy=False)
