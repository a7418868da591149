"""Argument checks shared by the modules: one helper per rule, with clear errors.

Each helper raises ``TypeError`` for a value of the wrong kind and ``ValueError`` for a
value of the right kind but outside what is allowed, naming the argument and the value.
"""

import numbers

import numpy as np

__all__ = ["float_dtype", "float_array", "param_dtype", "integer", "positive_int", "int_pair",
           "pads", "output_hw"]


# --------------------------------------------------------------------------- arrays
def float_dtype(dtype):
    """The float dtype an array of ``dtype`` is computed in.

    float32 and float64 stay as they are; float16 becomes float32 (numpy has no fast
    float16 arithmetic); integers and bools become float64, so nothing overflows or clips.
    """
    dtype = np.dtype(dtype)
    if dtype == np.float32 or dtype == np.float64:
        return dtype
    if dtype == np.float16:
        return np.dtype(np.float32)
    return np.dtype(np.float64)


def float_array(a, name, ndim=None, dtype=None):
    """``a`` as a real, non-empty float array: the one check for array arguments.

    Parameters
    ----------
    a : array_like
        Real numbers (bool, int, uint or float). Complex numbers, strings and objects are
        refused with a TypeError rather than silently cut to their real part.
    name : str
        How the error messages call the argument (``"x"``, ``"kernel"``).
    ndim : int or tuple of int, optional
        The allowed numbers of dimensions; None allows any.
    dtype : dtype, optional
        Cast to this dtype; by default :func:`float_dtype` of the input's.

    Returns
    -------
    ndarray
        ``a`` itself when it already has the right dtype (no copy), else a converted copy.
    """
    try:
        arr = np.asarray(a)
    except (ValueError, TypeError) as err:
        raise TypeError(f"{name} must be a numeric array, got {type(a).__name__}: {err}") from None
    if arr.dtype.kind == "c":
        raise TypeError(f"{name} must be real, got complex dtype {arr.dtype}; "
                        f"take .real or abs() first if that is what you mean")
    if arr.dtype.kind not in "biuf":
        shown = repr(a) if arr.ndim == 0 or a is None else type(a).__name__
        raise TypeError(f"{name} must be a real numeric array, got dtype {arr.dtype} ({shown[:60]})")
    ndims = (ndim,) if isinstance(ndim, int) else ndim
    if ndims is not None and arr.ndim not in ndims:
        expected = " or ".join(str(d) for d in ndims)
        raise ValueError(f"{name} must have {expected} dimensions, got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} is empty: shape {arr.shape}")
    return arr.astype(float_dtype(arr.dtype) if dtype is None else dtype, copy=False)


def param_dtype(dtype, name="dtype"):
    """``dtype`` for trainable parameters: float32 or float64, else an error.

    Integer weights would be truncated by the initialisation and by every update.
    """
    try:
        dt = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"{name} must be a numpy dtype such as np.float32, got {dtype!r}") from None
    if dt not in (np.float32, np.float64):
        raise TypeError(f"{name} must be np.float32 or np.float64 for trainable parameters, got {dt}")
    return dt


# --------------------------------------------------------------------------- integers
def integer(value, name, minimum=None):
    """``value`` as a Python int (bools refused), at least ``minimum`` if given."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int, got {value!r}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value!r}")
    return int(value)


def positive_int(value, name):
    """``value`` as a Python int >= 1; TypeError for a non-integer, ValueError below 1."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a positive int, got {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be a positive int, got {value!r}")
    return int(value)


def int_pair(value, name, minimum):
    """An int or a pair of ints, each >= ``minimum``, as a tuple of two Python ints."""
    items = value if isinstance(value, (tuple, list)) else (value, value)
    if len(items) != 2:
        raise ValueError(f"{name} must be an int or a pair of ints, got {value!r}")
    for v in items:
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, numbers.Integral):
            raise TypeError(f"{name} must be an int or a pair of ints, got {value!r}")
        if v < minimum:
            raise ValueError(f"{name} must be at least {minimum}, got {value!r}")
    return int(items[0]), int(items[1])


# --------------------------------------------------------------------------- geometry
def pads(padding, kernel_hw, stride):
    """The padding rule: zeros added as ``(top, bottom, left, right)``.

    Parameters
    ----------
    padding : int, pair of int, "valid" or "same"
        An int or a pair puts that many zeros on both sides. "same" keeps the size
        (stride 1 only): K - 1 zeros per axis, ``(K - 1) // 2`` before and the rest
        after, so an even kernel gets its extra zero at the bottom/right, as in PyTorch.
    kernel_hw : (int, int)
    stride : (int, int)
    """
    if isinstance(padding, str):
        word = padding.lower()
        if word == "valid":
            return 0, 0, 0, 0
        if word == "same":
            if tuple(stride) != (1, 1):
                raise ValueError(f"padding='same' needs stride 1, got stride {tuple(stride)}")
            kh, kw = kernel_hw
            top, left = (kh - 1) // 2, (kw - 1) // 2
            return top, kh - 1 - top, left, kw - 1 - left
        raise ValueError(f"padding must be an int, a pair, 'valid' or 'same', got {padding!r}")
    ph, pw = int_pair(padding, "padding", 0)
    return ph, ph, pw, pw


def output_hw(image_hw, kernel_hw, stride, pad=(0, 0, 0, 0), window="kernel", where="padded image"):
    """Output size of a window slid over an image: ``floor((H + P - K) / S) + 1`` per axis.

    Parameters
    ----------
    image_hw, kernel_hw, stride : (int, int)
    pad : (top, bottom, left, right), as from :func:`pads`
    window, where : str
        What the messages call the window ("kernel") and the image ("padded image").

    Returns
    -------
    (H', W') : tuple of int
        ValueError if the window is larger than the padded image.
    """
    hp, wp = image_hw[0] + pad[0] + pad[1], image_hw[1] + pad[2] + pad[3]
    kh, kw = kernel_hw
    if kh > hp or kw > wp:
        raise ValueError(f"{window} {kh}x{kw} is larger than the {where} {hp}x{wp}")
    return (hp - kh) // stride[0] + 1, (wp - kw) // stride[1] + 1
