"""Data augmentation: new training images made from old ones by flips and shifts.

A cat seen in a mirror, or a few pixels to the left, is still a cat. Showing the
network such copies, drawn afresh every epoch, teaches it that these changes do not
matter, and it overfits less to the exact pixels of a small training set.

* :func:`flip_horizontal` mirrors images left to right;
* :func:`shift` moves images by whole pixels, filling the uncovered border;
* :func:`random_flip_shift` does both at random, independently for each image.

Images are (..., H, W) for the first two and batches (N, C, H, W) for the third;
the dtype is kept.
"""

import numbers

import numpy as np

__all__ = ["flip_horizontal", "shift", "random_flip_shift"]

_FILLS = ("edge", "zero")


def _images(x, name, ndim=None):
    """``x`` as a non-empty real array (``ndim`` dims if given), dtype kept."""
    try:
        arr = np.asarray(x)
    except (ValueError, TypeError) as err:
        raise TypeError(f"{name} must be a numeric array, got "
                        f"{type(x).__name__}: {err}") from None
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be a real numeric array, "
                        f"got dtype {arr.dtype}")
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimensions (N, C, H, W), "
                         f"got shape {arr.shape}")
    if arr.ndim < 2:
        raise ValueError(f"{name} must have at least 2 dimensions (H, W), "
                         f"got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} is empty: shape {arr.shape}")
    return arr


def _int(value, name, low):
    if (isinstance(value, (bool, np.bool_))
            or not isinstance(value, numbers.Integral)):
        raise TypeError(f"{name} must be an int, got {value!r}")
    if value < low:
        raise ValueError(f"{name} must be at least {low}, got {value!r}")
    return int(value)


def _fill(fill):
    if fill not in _FILLS:
        raise ValueError(f"fill must be one of {_FILLS}, got {fill!r}")
    return fill


def flip_horizontal(x):
    """Mirror images left to right.

    Parameters
    ----------
    x : ndarray, shape (..., H, W)

    Returns
    -------
    out : ndarray, same shape and dtype, ``out[..., c] = x[..., W - 1 - c]``
    """
    x = _images(x, "x")
    return x[..., ::-1].copy()


def shift(x, dy, dx, fill="edge"):
    """Move images ``dy`` pixels down and ``dx`` pixels right.

    Parameters
    ----------
    x : ndarray, shape (..., H, W)
    dy, dx : int
        Negative values move up / left; ``|dy| < H`` and ``|dx| < W``.
    fill : {"edge", "zero"}
        What the uncovered border shows: the nearest edge pixel repeated, or 0.

    Returns
    -------
    out : ndarray, same shape and dtype;
        ``out[..., r, c] = x[..., r - dy, c - dx]`` where that pixel exists.
    """
    x = _images(x, "x")
    h, w = x.shape[-2:]
    for value, name, size in ((dy, "dy", h), (dx, "dx", w)):
        _int(value, name, -size + 1)
        if value >= size:
            raise ValueError(f"{name} must be less than {size} in size, "
                             f"got {value!r}")
    mode = "edge" if _fill(fill) == "edge" else "constant"
    pad = [(0, 0)] * (x.ndim - 2) + [(abs(dy),) * 2, (abs(dx),) * 2]
    padded = np.pad(x, pad, mode=mode)
    top, left = abs(dy) - dy, abs(dx) - dx
    return padded[..., top:top + h, left:left + w].copy()


def random_flip_shift(X, max_shift=2, flip=True, fill="edge", rng=None):
    """A randomly flipped and shifted copy of a batch, one draw per image.

    Each image is mirrored with probability 1/2 (if ``flip``) and moved by
    ``dy, dx`` drawn uniformly from ``-max_shift .. max_shift``.

    Parameters
    ----------
    X : ndarray, shape (N, C, H, W)
    max_shift : int
        Largest shift in pixels, 0 <= max_shift < min(H, W).
    flip : bool
    fill : {"edge", "zero"}
        See :func:`shift`.
    rng : np.random.Generator or int, optional
        Source of the random draws (an int seeds a new generator).

    Returns
    -------
    out : ndarray, shape (N, C, H, W), dtype of X
    """
    X = _images(X, "X", ndim=4)
    max_shift = _int(max_shift, "max_shift", 0)
    if max_shift >= min(X.shape[2:]):
        raise ValueError(f"max_shift must be less than the image size "
                         f"{X.shape[2]}x{X.shape[3]}, got {max_shift}")
    if not isinstance(flip, (bool, np.bool_)):
        raise TypeError(f"flip must be True or False, got {flip!r}")
    _fill(fill)
    if not isinstance(rng, np.random.Generator):
        if rng is not None and not isinstance(rng, numbers.Integral):
            raise TypeError(f"rng must be a np.random.Generator or an int "
                            f"seed, got {rng!r}")
        rng = np.random.default_rng(rng)
    n = len(X)
    mirror = rng.random(n) < 0.5 if flip else np.zeros(n, dtype=bool)
    moves = rng.integers(-max_shift, max_shift + 1, size=(n, 2))
    out = np.empty_like(X)
    for k in range(n):
        image = X[k, :, :, ::-1] if mirror[k] else X[k]
        out[k] = shift(image, int(moves[k, 0]), int(moves[k, 1]), fill)
    return out
