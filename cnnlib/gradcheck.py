"""Gradient checks: compare a layer's backward pass with central differences.

The numerical derivative of a scalar function ``f`` at ``x`` along element ``i`` is
``(f(x + h e_i) - f(x - h e_i)) / 2h``, accurate to O(h^2). A layer's output is an
array, so we check the scalar ``sum(forward(x) * dout)`` for a fixed random
``dout``: its gradient is exactly what ``backward(dout)`` returns. Checks run in
float64; in float32 the rounding error of ``f`` divided by ``2h`` swamps the answer.
"""

import numpy as np

from ._checks import integer

__all__ = ["numerical_gradient", "relative_error", "check_gradients"]


def numerical_gradient(f, x, h=1e-5):
    """Central-difference gradient of a scalar function, one element at a time.

    Parameters
    ----------
    f : callable
        ``f(x) -> float``. It may read ``x`` through another reference (a layer's
        parameter array): ``x`` is changed in place and restored after each element.
    x : ndarray of float64, any shape
    h : float
        Step, > 0.

    Returns
    -------
    grad : ndarray, shape of ``x``
        ``(f(x + h e_i) - f(x - h e_i)) / (2 h)`` for every element ``i``.
    """
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        got = x.dtype if isinstance(x, np.ndarray) else type(x).__name__
        raise TypeError(f"numerical_gradient needs a float64 ndarray x (changed in place), got {got}; "
                        "convert a model with model.astype(np.float64)")
    if not h > 0:
        raise ValueError(f"step h must be > 0, got {h!r}")
    grad = np.zeros_like(x)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    if not np.shares_memory(flat, x):
        raise ValueError("x must be contiguous so that it can be changed in place")
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + h
        plus = float(f(x))
        flat[i] = old - h
        minus = float(f(x))
        flat[i] = old
        gflat[i] = (plus - minus) / (2 * h)
    return grad


def relative_error(analytic, numeric):
    """Largest difference relative to the larger gradient, ``max|a - n| / max(|a|, |n|)``.

    Scaled by the whole array rather than element by element, so that entries
    that are zero (a dead ReLU, a pooled-away pixel) do not divide by nothing.

    Parameters
    ----------
    analytic, numeric : ndarray, same shape

    Returns
    -------
    float
        0 when both are all zero.
    """
    analytic, numeric = np.asarray(analytic, dtype=np.float64), np.asarray(numeric, dtype=np.float64)
    if analytic.shape != numeric.shape:
        raise ValueError(f"gradients must have the same shape, got {analytic.shape} and {numeric.shape}")
    scale = max(np.abs(analytic).max(initial=0.0), np.abs(numeric).max(initial=0.0))
    return 0.0 if scale == 0 else float(np.abs(analytic - numeric).max() / scale)


def check_gradients(model, x, y=None, loss=None, h=1e-5, seed=0, input_grad=True):
    """Maximum relative error of every analytic gradient of ``model`` at ``x``.

    Without ``loss`` the checked scalar is ``sum(model.forward(x) * dout)`` for a
    random ``dout`` drawn from ``seed``; with ``loss`` it is ``loss(model.forward(x), y)[0]``.

    Parameters
    ----------
    model : layer or Sequential, parameters in float64
    x : ndarray of float64, shape the model takes, e.g. (N, C, H, W)
    y : ndarray, optional
        Targets for ``loss``.
    loss : callable, optional
        ``loss(pred, y) -> (loss, dpred)``, e.g. :func:`cnnlib.losses.softmax_cross_entropy`.
    h : float
        Finite-difference step.
    seed : int
        Seed of the random ``dout``.
    input_grad : bool
        Also check the gradient with respect to ``x`` (reported as ``"x"``).

    Returns
    -------
    dict
        Parameter name (and ``"x"``) -> :func:`relative_error`. Below 1e-6 is right;
        above 1e-4 is usually a bug, or a ReLU or max-pool kink within ``h`` of ``x``.
    """
    seed = integer(seed, "seed", minimum=0)
    x = np.array(x, dtype=np.float64, copy=True)
    if (loss is None) != (y is None):
        raise ValueError("pass both loss and y, or neither")
    bad = {name: p.dtype for name, p in model.params.items() if p.dtype != np.float64}
    if bad:
        raise TypeError(f"check_gradients needs float64 parameters, got {bad}; "
                        "convert the model with model.astype(np.float64)")
    out = model.forward(x)
    if loss is None:
        dout = np.random.default_rng(seed).standard_normal(np.shape(out))

        def scalar(_):
            return float(np.sum(model.forward(x) * dout))
    else:
        _, dout = loss(out, y)

        def scalar(_):
            return loss(model.forward(x), y)[0]

    dx = model.backward(dout)
    analytic = {name: np.array(g, dtype=np.float64) for name, g in model.grads.items()}
    errors = {}
    for name, param in model.params.items():
        errors[name] = relative_error(analytic[name], numerical_gradient(scalar, param, h))
    if input_grad:
        errors["x"] = relative_error(dx, numerical_gradient(scalar, x, h))
    return errors
