"""Optimizers: update a model's parameters in place from its gradients.

An optimizer works on anything with ``params`` and ``grads`` dicts of named arrays
(a single layer or a :class:`~cnnlib.layers.Sequential`); ``step(model)`` changes
the parameter arrays in place, so every reference to them sees the new values.
The update rules are PyTorch's (``torch.optim.SGD`` and ``torch.optim.Adam``).
``state_dict()`` and ``load_state_dict(state)`` copy out and put back what an
optimizer remembers between steps, so that a step cut in half can be undone.
"""

import copy
import numbers

import numpy as np

__all__ = ["SGD", "Adam"]


def _number(value, name, low, high=None, low_inclusive=False):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {value!r}")
    value = float(value)
    too_low = value < low if low_inclusive else value <= low
    if too_low or not np.isfinite(value) or (high is not None and value >= high):
        bounds = f"{'>=' if low_inclusive else '>'} {low}" + ("" if high is None else f" and < {high}")
        raise ValueError(f"{name} must be {bounds}, got {value!r}")
    return value


def _pairs(model):
    """(name, param, grad) for every parameter, checking that the grads match."""
    params, grads = getattr(model, "params", None), getattr(model, "grads", None)
    if not isinstance(params, dict) or not isinstance(grads, dict):
        raise TypeError(f"step expects a model with params and grads dicts, got {type(model).__name__}")
    for name, param in params.items():
        grad = grads.get(name)
        if grad is None or grad.shape != param.shape:
            got = None if grad is None else grad.shape
            raise ValueError(f"gradient of {name!r} has shape {got}, expected {param.shape}; run backward first")
        yield name, param, grad


class SGD:
    """Stochastic gradient descent, with optional momentum and weight decay.

    For each parameter ``p`` with gradient ``g``::

        g = g + weight_decay * p
        v = momentum * v + g          (v starts as g; skipped when momentum is 0)
        p = p - lr * v

    Parameters
    ----------
    lr : float
        Learning rate, > 0.
    momentum : float
        In [0, 1).
    weight_decay : float
        L2 penalty, >= 0.
    """

    def __init__(self, lr, momentum=0.0, weight_decay=0.0):
        self.lr = _number(lr, "learning rate lr", 0)
        self.momentum = _number(momentum, "momentum", 0, 1, low_inclusive=True)
        self.weight_decay = _number(weight_decay, "weight_decay", 0, low_inclusive=True)
        self.velocity = {}

    def __repr__(self):
        return f"SGD(lr={self.lr:g}, momentum={self.momentum:g}, weight_decay={self.weight_decay:g})"

    def state_dict(self):
        """A copy of what the optimizer remembers between steps: ``{"velocity": {name: array}}``."""
        return {"velocity": copy.deepcopy(self.velocity)}

    def load_state_dict(self, state):
        """Put back a state from :meth:`state_dict` (e.g. to undo an interrupted step)."""
        self.velocity = copy.deepcopy(state["velocity"])

    def step(self, model):
        """Update ``model.params`` in place from ``model.grads``."""
        for name, param, grad in _pairs(model):
            if self.weight_decay:
                grad = grad + self.weight_decay * param
            if self.momentum:
                v = self.velocity.get(name)
                if v is None or v.shape != param.shape:
                    v = self.velocity[name] = grad.astype(param.dtype, copy=True)
                else:
                    v *= self.momentum
                    v += grad
                grad = v
            param -= param.dtype.type(self.lr) * grad


class Adam:
    """Adam: steps scaled by running estimates of the gradient's mean and variance.

    For each parameter ``p`` with gradient ``g``, at step ``t = 1, 2, ...``::

        g = g + weight_decay * p
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
        p = p - lr * (m / (1 - beta1**t)) / (sqrt(v / (1 - beta2**t)) + eps)

    Parameters
    ----------
    lr : float
        Learning rate, > 0.
    betas : pair of float
        Decay rates (beta1, beta2) of the two running averages, each in [0, 1).
    eps : float
        Added to the denominator, > 0.
    weight_decay : float
        L2 penalty, >= 0.
    """

    def __init__(self, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        self.lr = _number(lr, "learning rate lr", 0)
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise ValueError(f"betas must be a pair (beta1, beta2), got {betas!r}")
        self.betas = (_number(betas[0], "beta1", 0, 1, low_inclusive=True),
                      _number(betas[1], "beta2", 0, 1, low_inclusive=True))
        self.eps = _number(eps, "eps", 0)
        self.weight_decay = _number(weight_decay, "weight_decay", 0, low_inclusive=True)
        self.t = 0
        self.m = {}
        self.v = {}

    def __repr__(self):
        return f"Adam(lr={self.lr:g}, betas={self.betas}, eps={self.eps:g}, weight_decay={self.weight_decay:g})"

    def state_dict(self):
        """A copy of what the optimizer remembers between steps: the step count ``t`` and the moments."""
        return {"t": self.t, "m": copy.deepcopy(self.m), "v": copy.deepcopy(self.v)}

    def load_state_dict(self, state):
        """Put back a state from :meth:`state_dict` (e.g. to undo an interrupted step)."""
        self.t, self.m, self.v = state["t"], copy.deepcopy(state["m"]), copy.deepcopy(state["v"])

    def step(self, model):
        """Update ``model.params`` in place from ``model.grads``."""
        self.t += 1
        beta1, beta2 = self.betas
        correction1 = 1 - beta1 ** self.t
        correction2 = 1 - beta2 ** self.t
        for name, param, grad in _pairs(model):
            if self.weight_decay:
                grad = grad + self.weight_decay * param
            m, v = self.m.get(name), self.v.get(name)
            if m is None or m.shape != param.shape:
                m = self.m[name] = np.zeros_like(param)
                v = self.v[name] = np.zeros_like(param)
            m *= beta1
            m += (1 - beta1) * grad
            v *= beta2
            v += (1 - beta2) * np.square(grad)
            denom = np.sqrt(v / correction2) + self.eps
            param -= (self.lr / correction1) * m / denom
