"""Layers: thin stateful wrappers around the forward/backward pairs of :mod:`cnnlib.conv`.

Every layer has

* ``forward(x)``, which remembers what the backward pass needs, and returns the output;
* ``backward(dout)``, which takes the gradient of the loss with respect to the output,
  stores the parameter gradients in ``grads`` and returns the gradient ``dx`` with
  respect to the input (``backward(dout, input_grad=False)`` may skip ``dx``, which
  training never needs for the first layer, and return None);
* ``params`` and ``grads``, dicts of named arrays (``{"weight": ..., "bias": ...}``);
* a one-line ``repr`` and ``output_shape(input_shape)``.

Arrays are NCHW, convolution weights (F, C, KH, KW), dense weights
(out_features, in_features) as in PyTorch. Layers compute in the dtype of their
parameters (float32 by default; ``astype(np.float64)`` for gradient checks).

:class:`Sequential` chains layers. By default it calls each layer's own ``forward`` and
``backward``, one after the other: the code you read is the code that runs. With
``fuse=True`` it takes a faster path (:mod:`cnnlib._fastconv`): activations kept as
(C, N, H, W) so each convolution is one large matrix product, and ``Conv2D, ReLU,
MaxPool2D(2)`` done as one step. The tests check that both paths give the same numbers.
"""

import inspect

import numpy as np

from ._checks import float_array, int_pair, output_hw, pads, param_dtype, positive_int as _positive_int
from ._fastconv import FastConv
from .conv import conv2d, conv2d_backward, max_pool2d, max_pool2d_backward, relu, relu_backward

__all__ = ["Layer", "Conv2D", "ReLU", "MaxPool2D", "Flatten", "Dense", "Sequential"]


# --------------------------------------------------------------------------- helpers
def _fmt(shape):
    """A shape for messages; a batch axis of None prints as N."""
    return "(" + ", ".join("N" if s is None else str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"


def _short(pair):
    return pair[0] if pair[0] == pair[1] else pair


def _rng(rng):
    return rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)


def _as_input(x, layer, dtype=None):
    """``x`` as a real float array (in ``dtype`` if given); errors name the layer."""
    return float_array(x, f"{layer!r}: input", dtype=dtype)


class Layer:
    """Base class: empty ``params``/``grads``, ``astype``, ``num_params``, ``__call__``."""

    def __init__(self):
        self.params = {}
        self.grads = {}

    def __call__(self, x):
        return self.forward(x)

    @property
    def num_params(self):
        """Number of trainable numbers."""
        return int(sum(p.size for p in self.params.values()))

    @property
    def dtype(self):
        """dtype of the parameters (None for a layer without any)."""
        return next(iter(self.params.values())).dtype if self.params else None

    def astype(self, dtype):
        """Convert the parameters (and gradients) to ``dtype`` in place; return ``self``.

        ``dtype`` is float32 or float64: integer weights could not learn.
        """
        if self.params:
            dtype = param_dtype(dtype)
        for store in (self.params, self.grads):
            for name in store:
                store[name] = store[name].astype(dtype)
        return self

    def output_shape(self, input_shape):
        """Shape of the output for an input of ``input_shape`` (batch axis first, may be None)."""
        return tuple(input_shape)

    def _check(self, x):
        x = _as_input(x, self, self.dtype)
        self.output_shape(x.shape)
        return x

    def _cached(self, name):
        value = getattr(self, name, None)
        if value is None:
            raise RuntimeError(f"{self!r}: call forward before backward")
        return value


# --------------------------------------------------------------------------- layers
class Conv2D(Layer):
    """2-D convolution (cross-correlation) layer with F filters of size KH x KW.

    Parameters
    ----------
    in_channels, out_channels : int
        C and F.
    kernel_size : int or pair of int
    stride : int or pair of int
    padding : int, pair of int, "valid" or "same"
    bias : bool
        Learn one bias per filter.
    rng : np.random.Generator or int, optional
        Source of the He-initialised weights, ``N(0, 2 / (C * KH * KW))``.
    dtype : dtype
        float32 (default) for training, float64 for gradient checks.

    Attributes
    ----------
    params : dict
        ``weight`` (F, C, KH, KW) and ``bias`` (F,).
    """

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, bias=True,
                 rng=None, dtype=np.float32):
        super().__init__()
        self.in_channels = _positive_int(in_channels, "in_channels")
        self.out_channels = _positive_int(out_channels, "out_channels")
        self.kernel_size = int_pair(kernel_size, "kernel_size", 1)
        self.stride = int_pair(stride, "stride", 1)
        pads(padding, self.kernel_size, self.stride)  # the padding rule checks the argument
        self.padding = padding.lower() if isinstance(padding, str) else int_pair(padding, "padding", 0)
        dtype = param_dtype(dtype)
        kh, kw = self.kernel_size
        fan_in = self.in_channels * kh * kw
        weight = _rng(rng).standard_normal((self.out_channels, self.in_channels, kh, kw)) * np.sqrt(2.0 / fan_in)
        self.params["weight"] = weight.astype(dtype)
        self.grads["weight"] = np.zeros_like(self.params["weight"])
        if bias:
            self.params["bias"] = np.zeros(self.out_channels, dtype=dtype)
            self.grads["bias"] = np.zeros_like(self.params["bias"])
        self.x = None

    def __repr__(self):
        extra = "" if self.stride == (1, 1) else f", stride={_short(self.stride)}"
        if isinstance(self.padding, str):
            extra += f", padding={self.padding!r}"
        elif self.padding != (0, 0):
            extra += f", padding={_short(self.padding)}"
        if "bias" not in self.params:
            extra += ", bias=False"
        return f"Conv2D({self.in_channels}, {self.out_channels}, kernel_size={_short(self.kernel_size)}{extra})"

    @property
    def pads(self):
        """Zeros added (top, bottom, left, right); "same" puts an odd extra one bottom/right."""
        return pads(self.padding, self.kernel_size, self.stride)

    def output_shape(self, input_shape):
        shape = tuple(input_shape)
        if len(shape) != 4 or shape[1] != self.in_channels:
            raise ValueError(f"{self!r} expects input of shape (N, {self.in_channels}, H, W), got {_fmt(shape)}")
        try:
            out_hw = output_hw(shape[2:], self.kernel_size, self.stride, self.pads, where="padded input")
        except ValueError as err:
            raise ValueError(f"{self!r}: {err} (input shape {_fmt(shape)})") from None
        return (shape[0], self.out_channels) + out_hw

    def forward(self, x):
        """x (N, C, H, W) -> (N, F, H', W'), H' = floor((H + 2P - KH) / S) + 1."""
        self.x = self._check(x)
        return conv2d(self.x, self.params["weight"], self.params.get("bias"),
                      stride=self.stride, padding=self.padding)

    def backward(self, dout, input_grad=True):
        """dout (N, F, H', W') -> dx (N, C, H, W); fills ``grads``."""
        dx, dweight, dbias = conv2d_backward(dout, self._cached("x"), self.params["weight"],
                                             stride=self.stride, padding=self.padding)
        self.grads["weight"] = dweight
        if "bias" in self.params:
            self.grads["bias"] = dbias
        return dx if input_grad else None


class ReLU(Layer):
    """Rectified linear unit, ``max(x, 0)`` elementwise, any shape."""

    def __init__(self):
        super().__init__()
        self.x = None

    def __repr__(self):
        return "ReLU()"

    def forward(self, x):
        self.x = _as_input(x, self)
        return relu(self.x)

    def backward(self, dout, input_grad=True):
        return relu_backward(dout, self._cached("x"))


class MaxPool2D(Layer):
    """Max pooling over ``size`` windows moved by ``stride`` (default: ``size``).

    x (N, C, H, W) -> (N, C, H', W'), H' = floor((H - KH) / S) + 1.
    """

    def __init__(self, size=2, stride=None):
        super().__init__()
        self.size = int_pair(size, "size", 1)
        self.stride = self.size if stride is None else int_pair(stride, "stride", 1)
        self.x = None

    def __repr__(self):
        extra = "" if self.stride == self.size else f", stride={_short(self.stride)}"
        return f"MaxPool2D({_short(self.size)}{extra})"

    def output_shape(self, input_shape):
        shape = tuple(input_shape)
        if len(shape) != 4:
            raise ValueError(f"{self!r} expects input of shape (N, C, H, W), got {_fmt(shape)}")
        try:
            return shape[:2] + output_hw(shape[2:], self.size, self.stride, window="window", where="input")
        except ValueError as err:
            raise ValueError(f"{self!r}: {err} (input shape {_fmt(shape)})") from None

    def forward(self, x):
        self.x = self._check(x)
        return max_pool2d(self.x, self.size, self.stride)

    def backward(self, dout, input_grad=True):
        return max_pool2d_backward(dout, self._cached("x"), self.size, self.stride)


class Flatten(Layer):
    """Flatten every axis but the first: (N, C, H, W) -> (N, C*H*W)."""

    def __init__(self):
        super().__init__()
        self.shape = None

    def __repr__(self):
        return "Flatten()"

    def output_shape(self, input_shape):
        shape = tuple(input_shape)
        if len(shape) < 2:
            raise ValueError(f"{self!r} expects input of shape (N, ...) with at least 2 axes, got {_fmt(shape)}")
        return (shape[0], int(np.prod(shape[1:])))

    def forward(self, x):
        x = _as_input(x, self)
        self.output_shape(x.shape)
        self.shape = x.shape
        return x.reshape(x.shape[0], -1)

    def backward(self, dout, input_grad=True):
        """dout (N, C*H*W) -> dx (N, C, H, W)."""
        shape = self._cached("shape")
        dout = float_array(dout, f"{self!r}: dout")
        if dout.shape != self.output_shape(shape):
            raise ValueError(f"{self!r}: dout must have shape {self.output_shape(shape)} "
                             f"(the output of forward), got {dout.shape}")
        return dout.reshape(shape)


class Dense(Layer):
    """Fully connected layer, ``out = x @ weight.T + bias``.

    Parameters
    ----------
    in_features, out_features : int
    bias : bool
    rng : np.random.Generator or int, optional
        Source of the He-initialised weights, ``N(0, 2 / in_features)``.
    dtype : dtype

    Attributes
    ----------
    params : dict
        ``weight`` (out_features, in_features) and ``bias`` (out_features,).
    """

    def __init__(self, in_features, out_features, bias=True, rng=None, dtype=np.float32):
        super().__init__()
        self.in_features = _positive_int(in_features, "in_features")
        self.out_features = _positive_int(out_features, "out_features")
        dtype = param_dtype(dtype)
        weight = _rng(rng).standard_normal((self.out_features, self.in_features)) * np.sqrt(2.0 / self.in_features)
        self.params["weight"] = weight.astype(dtype)
        self.grads["weight"] = np.zeros_like(self.params["weight"])
        if bias:
            self.params["bias"] = np.zeros(self.out_features, dtype=dtype)
            self.grads["bias"] = np.zeros_like(self.params["bias"])
        self.x = None

    def __repr__(self):
        extra = "" if "bias" in self.params else ", bias=False"
        return f"Dense({self.in_features}, {self.out_features}{extra})"

    def output_shape(self, input_shape):
        shape = tuple(input_shape)
        if len(shape) != 2 or shape[1] != self.in_features:
            hint = "; put a Flatten() before it" if len(shape) > 2 else ""
            raise ValueError(f"{self!r} expects input of shape (N, {self.in_features}), got {_fmt(shape)}{hint}")
        return (shape[0], self.out_features)

    def forward(self, x):
        """x (N, in_features) -> (N, out_features)."""
        self.x = self._check(x)
        out = self.x @ self.params["weight"].T
        if "bias" in self.params:
            out += self.params["bias"]
        return out

    def backward(self, dout, input_grad=True):
        """dout (N, out_features) -> dx (N, in_features); fills ``grads``."""
        x = self._cached("x")
        dout = float_array(dout, f"{self!r}: dout", dtype=x.dtype)
        if dout.shape != (x.shape[0], self.out_features):
            raise ValueError(f"{self!r}: dout must have shape {(x.shape[0], self.out_features)}, got {dout.shape}")
        self.grads["weight"] = dout.T @ x
        if "bias" in self.params:
            self.grads["bias"] = dout.sum(axis=0)
        return dout @ self.params["weight"] if input_grad else None


# --------------------------------------------------------------------------- Sequential
class Summary:
    """Table of a :class:`Sequential`: each layer's output shape and parameter count."""

    def __init__(self, rows, input_shape):
        self.rows = rows  # [(layer repr, output shape, parameter count)]
        self.input_shape = input_shape
        self.total_params = sum(row[2] for row in rows)

    def __str__(self):
        table = [("layer", "output shape", "params")]
        table += [(name, _fmt(shape), f"{count:,}") for name, shape, count in self.rows]
        widths = [max(len(row[k]) for row in table) for k in range(3)]
        line = "-" * (sum(widths) + 4)
        text = [f"input {_fmt(self.input_shape)}", line]
        for k, (name, shape, count) in enumerate(table):
            text.append(f"{name:<{widths[0]}}  {shape:<{widths[1]}}  {count:>{widths[2]}}")
            if k == 0:
                text.append(line)
        text += [line, f"total parameters: {self.total_params:,}"]
        return "\n".join(text)

    __repr__ = __str__


class Sequential(Layer):
    """Layers applied one after the other; itself a layer.

    ``params`` and ``grads`` hold every layer's arrays, named ``"<index>.<name>"``
    (``"0.weight"``), so an optimizer updates a whole model as it updates one layer.

    Parameters
    ----------
    *layers : Layer
    fuse : bool
        ``False`` (default) runs each layer's own ``forward`` and ``backward``.
        ``True`` opts in to the fast path (see :mod:`cnnlib._fastconv`), which gives
        the same numbers up to rounding, in less time.
    """

    def __init__(self, *layers, fuse=False):
        if len(layers) == 1 and isinstance(layers[0], (list, tuple)):
            layers = tuple(layers[0])
        for i, layer in enumerate(layers):
            if not all(hasattr(layer, a) for a in ("forward", "backward", "params", "grads")):
                raise TypeError(f"layer {i} must have forward, backward, params and grads, "
                                f"got {type(layer).__name__}")
        self.layers = list(layers)
        self.fuse = fuse
        self._steps = None

    def __repr__(self):
        lines = [f"  ({i}): {layer!r}" for i, layer in enumerate(self.layers)]
        return "Sequential(\n" + "\n".join(lines) + "\n)" if lines else "Sequential()"

    def __len__(self):
        return len(self.layers)

    def __getitem__(self, index):
        return self.layers[index]

    def __iter__(self):
        return iter(self.layers)

    @property
    def params(self):
        return {f"{i}.{k}": v for i, layer in enumerate(self.layers) for k, v in layer.params.items()}

    @property
    def grads(self):
        return {f"{i}.{k}": v for i, layer in enumerate(self.layers) for k, v in layer.grads.items()}

    def astype(self, dtype):
        for layer in self.layers:
            layer.astype(dtype)
        return self

    def output_shape(self, input_shape):
        shape = tuple(input_shape)
        for i, layer in enumerate(self.layers):
            if not hasattr(layer, "output_shape"):
                return None
            try:
                shape = layer.output_shape(shape)
            except ValueError as err:
                raise ValueError(f"layer {i}: {err}") from None
        return shape

    def summary(self, input_shape):
        """Each layer's output shape and parameter count for one input of ``input_shape``.

        Parameters
        ----------
        input_shape : tuple of int
            Shape of one example, without the batch axis, e.g. ``(3, 32, 32)``.

        Returns
        -------
        Summary
            Prints as a table; ``.rows`` and ``.total_params`` hold the numbers.
        """
        shape = (None,) + tuple(input_shape)
        rows = []
        for i, layer in enumerate(self.layers):
            try:
                shape = layer.output_shape(shape)
            except ValueError as err:
                raise ValueError(f"layer {i}: {err}") from None
            rows.append((repr(layer), shape, int(sum(p.size for p in layer.params.values()))))
        return Summary(rows, (None,) + tuple(input_shape))

    def _plan(self):
        """Steps: a FastConv for each Conv2D [ReLU [MaxPool2D(2)]] run, else single layers.

        Kept while the layers stay the same, so that the steps' buffers are reused.
        """
        key = (self.fuse,) + tuple(map(id, self.layers)) + tuple(
            (layer.size, layer.stride) for layer in self.layers if type(layer) is MaxPool2D)
        if getattr(self, "_plan_key", None) == key:
            return self._steps
        self._plan_key = key
        steps, i, layers = [], 0, self.layers
        while i < len(layers):
            if self.fuse and type(layers[i]) is Conv2D:
                relu_ = i + 1 < len(layers) and type(layers[i + 1]) is ReLU
                pool = (relu_ and i + 2 < len(layers) and type(layers[i + 2]) is MaxPool2D
                        and layers[i + 2].size == (2, 2) and layers[i + 2].stride == (2, 2))
                steps.append(FastConv(layers[i], relu_, pool))
                i += 1 + relu_ + pool
            else:
                steps.append(layers[i])
                i += 1
        return steps

    def forward(self, x):
        """Run every layer; the output of the last one."""
        if self.layers:
            x = float_array(x, "Sequential: input")
            self.output_shape(x.shape)  # a shape error names the layer before any work
        self._steps = self._plan()
        cnhw = False  # is x laid out (C, N, H, W)?
        for step in self._steps:
            if isinstance(step, FastConv):
                x = step.forward(x, cnhw)
                cnhw = True
            else:
                if cnhw:
                    x, cnhw = np.ascontiguousarray(x.transpose(1, 0, 2, 3)), False
                x = step.forward(x)
        out = np.ascontiguousarray(x.transpose(1, 0, 2, 3)) if cnhw else x
        self._out_shape = np.shape(out)
        return out

    def backward(self, dout, input_grad=True):
        """Gradient with respect to the input; fills every layer's ``grads``.

        With ``input_grad=False`` the first layer skips computing it (returns None).
        """
        if self._steps is None:
            raise RuntimeError("Sequential: call forward before backward")
        if self.layers:
            dout = float_array(dout, "Sequential: dout")
            if dout.shape != self._out_shape:
                raise ValueError(f"Sequential: dout must have the shape of the last forward's output "
                                 f"{self._out_shape}, got {dout.shape}")
        d, cnhw = dout, False  # dout is (N, ...); FastConv steps work in (C, N, H, W)
        steps = self._steps
        for k in range(len(steps) - 1, -1, -1):
            step, need = steps[k], input_grad or k > 0
            if isinstance(step, FastConv):
                if not cnhw:
                    d = np.asarray(d).transpose(1, 0, 2, 3)
                d, cnhw = step.backward(d, need), True
                if d is not None and (k == 0 or not isinstance(steps[k - 1], FastConv)):
                    d, cnhw = d.transpose(1, 0, 2, 3), False
            elif need or "input_grad" not in inspect.signature(step.backward).parameters:
                d = step.backward(d)
            else:
                d = step.backward(d, input_grad=False)
        return d
