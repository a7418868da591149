"""Loss functions: each returns the loss and its gradient with respect to the prediction.

Every loss is a plain function ``loss(pred, target) -> (loss, dpred)``: ``loss`` is a
Python float (the mean over the batch) and ``dpred`` has the shape and dtype of
``pred``, ready to be passed to ``model.backward``.
"""

import numpy as np

from ._checks import float_array

__all__ = ["softmax_cross_entropy", "mse"]


def softmax_cross_entropy(logits, y):
    """Mean cross-entropy of softmax(logits) against integer class labels.

    ``loss = mean_n( logsumexp(logits[n]) - logits[n, y[n]] )``, computed with the
    largest logit subtracted first so that nothing overflows.

    Parameters
    ----------
    logits : ndarray, shape (N, K)
        Unnormalised class scores.
    y : ndarray of int, shape (N,)
        Class labels in ``0 .. K-1``.

    Returns
    -------
    loss : float
    dlogits : ndarray, shape (N, K)
        ``(softmax(logits) - onehot(y)) / N``, dtype of ``logits``.
    """
    logits = float_array(logits, "logits")
    if logits.ndim != 2:
        raise ValueError(f"logits must have shape (N, K), got shape {logits.shape}")
    y = np.asarray(y)
    if y.dtype.kind not in "iu":
        raise TypeError(
            f"labels y must be integer class indices, got dtype {y.dtype}; "
            "for real-valued targets use mse"
        )
    n, k = logits.shape
    if y.shape != (n,):
        raise ValueError(f"labels y must have shape ({n},) to match logits {logits.shape}, got {y.shape}")
    bad = (y < 0) | (y >= k)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(f"label {y[i]} at index {i} is outside the class range 0..{k - 1} ({k} classes)")
    shifted = logits - logits.max(axis=1, keepdims=True)  # (N, K), each row's max is 0
    exp = np.exp(shifted)
    sum_exp = exp.sum(axis=1)  # (N,), at least 1
    rows = np.arange(n)
    loss = float(np.mean(np.log(sum_exp) - shifted[rows, y]))
    dlogits = exp / sum_exp[:, None]  # softmax probabilities
    dlogits[rows, y] -= 1
    dlogits /= n
    return loss, dlogits


def mse(pred, target):
    """Mean squared error, ``mean((pred - target) ** 2)`` over every element.

    Parameters
    ----------
    pred : ndarray, any shape
    target : ndarray, same shape as ``pred``
        No broadcasting: a shape mismatch is an error.

    Returns
    -------
    loss : float
    dpred : ndarray, shape of ``pred``
        ``2 * (pred - target) / pred.size``, dtype of ``pred``.
    """
    pred = float_array(pred, "pred")
    target = np.asarray(target)
    if target.dtype.kind not in "biuf":
        raise TypeError(f"target must be a real numeric array, got dtype {target.dtype}")
    if target.shape != pred.shape:
        raise ValueError(f"target must have the shape of pred {pred.shape}, got {target.shape}")
    diff = pred - target.astype(pred.dtype, copy=False)
    loss = float(np.mean(np.square(diff, dtype=np.float64)))
    dpred = diff * pred.dtype.type(2.0 / pred.size)
    return loss, dpred
