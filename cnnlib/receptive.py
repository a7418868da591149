"""Receptive fields: which input pixels one unit of a layer sees, and which patches excite it.

A unit of a convolutional network looks at a rectangular window of the input. Walking the
layers from the input, three numbers per axis describe that window:

* ``size``: the window's height (width), in input pixels;
* ``jump``: how far the window moves when the unit moves one step in its own map
  (the product of the strides so far);
* ``start``: the input coordinate of the top (left) edge of the window of unit 0; it
  is negative when padding lets the window hang over the image's edge.

A layer with kernel ``k``, stride ``s`` and padding ``p`` (top/left) turns them into

    size' = size + (k - 1) * jump,   jump' = jump * s,   start' = start - p * jump,

starting from ``size = jump = 1``, ``start = 0`` at the input. ReLU keeps the window;
max pooling is a layer with kernel ``size`` and no padding. A Dense unit sees the whole
input, so receptive fields are defined for the convolution/pooling part of a model.
"""

from dataclasses import dataclass

import numpy as np

from ._checks import float_array, integer as _int, positive_int

__all__ = ["ReceptiveField", "TopPatches", "receptive_field", "top_patches"]


@dataclass(frozen=True)
class ReceptiveField:
    """The input window seen by one unit of a layer; the same for every unit, shifted.

    Attributes
    ----------
    size : (int, int)
        Height and width of the window, in input pixels.
    jump : (int, int)
        Input pixels the window moves per step of the unit in its map (stride product).
    start : (int, int)
        Input row and column of the top-left pixel of the window of unit (0, 0);
        negative where padding puts part of the window outside the image.
    layer : int
        Index of the layer in the model.
    name : str
        ``repr`` of that layer.
    """

    size: tuple
    jump: tuple
    start: tuple
    layer: int = -1
    name: str = ""

    def __repr__(self):
        return (f"ReceptiveField(layer {self.layer} {self.name}: size {self.size[0]}x{self.size[1]}, "
                f"jump {_short(self.jump)}, start {_short(self.start)})")

    def box(self, i, j, shape=None):
        """Input pixels seen by the unit at row ``i``, column ``j`` of the layer's map.

        Parameters
        ----------
        i, j : int
            Position of the unit in its feature map.
        shape : (int, int), optional
            (H, W) of the input; if given, the box is clipped to the image.

        Returns
        -------
        (top, left, bottom, right) : tuple of int
            Rows ``top:bottom`` and columns ``left:right`` (end exclusive), so the
            window is ``image[top:bottom, left:right]``.
        """
        i = _int(i, "i")
        j = _int(j, "j")
        top, left = self.start[0] + i * self.jump[0], self.start[1] + j * self.jump[1]
        bottom, right = top + self.size[0], left + self.size[1]
        if shape is not None:
            h, w = _hw(shape)
            top, left = min(max(top, 0), h), min(max(left, 0), w)
            bottom, right = min(max(bottom, 0), h), min(max(right, 0), w)
        return top, left, bottom, right

    def center(self, i, j):
        """Input coordinates (row, column) of the centre of unit (i, j)'s window (may be x.5)."""
        top, left, bottom, right = self.box(i, j)
        return (top + bottom - 1) / 2, (left + right - 1) / 2

    def crop(self, image, i, j, fill=0.0):
        """The window of unit (i, j) cut out of ``image``, padded with ``fill`` outside it.

        Parameters
        ----------
        image : ndarray, shape (..., H, W)
            One image (H, W), (C, H, W), or a batch.
        i, j : int
        fill : float
            Value of the pixels outside the image (0 is what zero padding shows the net).

        Returns
        -------
        ndarray, shape (..., size[0], size[1])
        """
        image = np.asarray(image)
        if image.ndim < 2:
            raise ValueError(f"image must have shape (..., H, W), got {image.shape}")
        h, w = image.shape[-2:]
        top, left, bottom, right = self.box(i, j)
        out = np.full(image.shape[:-2] + tuple(self.size), fill, dtype=np.result_type(image.dtype, np.float32))
        t, l_, b, r = self.box(i, j, (h, w))
        if b > t and r > l_:
            out[..., t - top:b - top, l_ - left:r - left] = image[..., t:b, l_:r]
        return out


@dataclass(frozen=True)
class TopPatches:
    """The k input windows that excite one channel of a layer most (see :func:`top_patches`).

    Attributes
    ----------
    patches : ndarray, shape (k, C, RH, RW)
        Each window cut out of its image, zeros where it hangs over the edge.
    index : ndarray, shape (k,), int
        Which example of X each patch comes from.
    position : ndarray, shape (k, 2), int
        (row, column) of the unit in the layer's map.
    box : ndarray, shape (k, 4), int
        (top, left, bottom, right) of the window in input pixels, not clipped.
    value : ndarray, shape (k,)
        The unit's activation there, largest first.
    field : ReceptiveField
    """

    patches: np.ndarray
    index: np.ndarray
    position: np.ndarray
    box: np.ndarray
    value: np.ndarray
    field: ReceptiveField

    def __len__(self):
        return len(self.value)


# --------------------------------------------------------------------------- helpers
def _short(pair):
    return pair[0] if pair[0] == pair[1] else tuple(pair)


def _hw(shape):
    if not isinstance(shape, (tuple, list)) or len(shape) != 2:
        raise ValueError(f"shape must be (H, W), got {shape!r}")
    return _int(shape[0], "H"), _int(shape[1], "W")


def _layers(model):
    layers = getattr(model, "layers", model)
    if not isinstance(layers, (list, tuple)):
        raise TypeError(f"model must be a Sequential or a list of layers, got {type(model).__name__}")
    return list(layers)


def _layer_index(layers, layer):
    index = _int(layer, "layer")
    n = len(layers)
    if not -n <= index < n:
        raise ValueError(f"layer index {index} is out of range for a model of {n} layers "
                         f"(expected 0..{n - 1}, or -{n}..-1 from the end)")
    return index % n


def _pair(value):
    return tuple(int(v) for v in value) if isinstance(value, (tuple, list)) else (int(value), int(value))


def _geometry(layer, index):
    """(kernel, stride, pad_before) per axis for one layer, or None if it keeps the window."""
    from .layers import ReLU, Sequential

    if isinstance(layer, ReLU):
        return None
    if isinstance(layer, Sequential):
        raise TypeError(f"layer {index} is a nested Sequential; pass its layers in one flat Sequential")
    if hasattr(layer, "kernel_size"):  # a convolution
        kernel, stride = _pair(layer.kernel_size), _pair(layer.stride)
        if hasattr(layer, "pads"):
            top, _, left, _ = layer.pads
        else:
            top, left = _pair(layer.padding)
        return kernel, stride, (top, left)
    if hasattr(layer, "size") and hasattr(layer, "stride"):  # a pooling window
        return _pair(layer.size), _pair(layer.stride), (0, 0)
    if hasattr(layer, "in_features") or type(layer).__name__ == "Flatten":
        raise ValueError(f"layer {index} is {layer!r}: each of its units sees the whole input, "
                         f"so it has no receptive-field window; ask for a convolution, ReLU or "
                         f"pooling layer before it")
    raise TypeError(f"layer {index} is {layer!r}: cannot tell its receptive field "
                    f"(expected Conv2D, ReLU or MaxPool2D)")


# --------------------------------------------------------------------------- API
def receptive_field(model, layer):
    """The input window one unit of layer ``layer`` sees.

    Parameters
    ----------
    model : Sequential or list of layers
        Conv2D, ReLU and MaxPool2D layers up to ``layer`` (Flatten and Dense may follow).
    layer : int
        Index of the layer in the model (negative counts from the end); the unit is
        one number of that layer's output.

    Returns
    -------
    ReceptiveField
        ``size``, ``jump`` and ``start`` per axis (rows, columns), from
        ``size' = size + (k - 1) * jump``, ``jump' = jump * s``,
        ``start' = start - p * jump`` applied layer by layer; ``box(i, j)`` gives the
        input pixels of the unit at (i, j).

    Examples
    --------
    >>> import cnnlib as cl
    >>> net = cl.Sequential(cl.Conv2D(3, 8, 3, padding=1), cl.ReLU(), cl.MaxPool2D(2),
    ...                     cl.Conv2D(8, 16, 3, padding=1))
    >>> cl.receptive_field(net, 3).size
    (8, 8)
    """
    layers = _layers(model)
    if not layers:
        raise ValueError("model has no layers")
    index = _layer_index(layers, layer)
    size, jump, start = [1, 1], [1, 1], [0, 0]
    for k in range(index + 1):
        geometry = _geometry(layers[k], k)
        if geometry is None:
            continue
        kernel, stride, pad = geometry
        for a in range(2):
            size[a] += (kernel[a] - 1) * jump[a]
            start[a] -= pad[a] * jump[a]
            jump[a] *= stride[a]
    return ReceptiveField(tuple(size), tuple(jump), tuple(start), index, repr(layers[index]))


def top_patches(model, layer, unit, X, k, batch_size=256):
    """The k input windows, one per image, that excite channel ``unit`` of a layer most.

    For every image of X, the largest value of the channel's map is found with its
    position; the k images with the largest of these win, and each gives the window
    (the receptive field) of that unit, cut out of the image.

    Parameters
    ----------
    model : Sequential
    layer : int
        Index of a Conv2D, ReLU or MaxPool2D layer (negative counts from the end).
    unit : int
        The channel of that layer's output, 0 <= unit < channels.
    X : ndarray, shape (N, C, H, W)
        The images to search.
    k : int
        How many patches, 1 <= k <= N.
    batch_size : int
        Images per forward pass.

    Returns
    -------
    TopPatches
        ``patches`` (k, C, RH, RW), ``index`` (k,), ``position`` (k, 2), ``box`` (k, 4)
        and ``value`` (k,), strongest first, and the ``field`` used.
    """
    from .layers import Sequential

    layers = _layers(model)
    field = receptive_field(layers, layer)
    index = field.layer
    X = float_array(X, "X", 4)
    if not np.isfinite(X).all():
        raise ValueError("X contains NaN or inf")
    k = _int(k, "k")
    if not 1 <= k <= len(X):
        raise ValueError(f"k must be between 1 and the number of images {len(X)}, got {k}")
    batch_size = positive_int(batch_size, "batch_size")
    head = Sequential(*layers[:index + 1])
    shape = head.output_shape((None,) + X.shape[1:])  # raises ValueError naming the layer
    channels = shape[1]
    unit = _int(unit, "unit")
    if not 0 <= unit < channels:
        raise ValueError(f"unit {unit} is out of range: layer {index} {field.name} has {channels} channels "
                         f"(expected 0..{channels - 1})")
    best = np.empty(len(X))
    where = np.empty((len(X), 2), dtype=np.int64)
    w_out = shape[3]
    for s in range(0, len(X), batch_size):
        maps = head.forward(X[s:s + batch_size])[:, unit]  # (B, H', W')
        flat = maps.reshape(len(maps), -1)
        arg = flat.argmax(axis=1)
        best[s:s + len(maps)] = flat[np.arange(len(maps)), arg]
        where[s:s + len(maps)] = np.column_stack([arg // w_out, arg % w_out])
    order = np.argsort(-best, kind="stable")[:k]
    patches = np.stack([field.crop(X[n], *where[n]) for n in order])
    boxes = np.array([field.box(*where[n]) for n in order], dtype=np.int64)
    return TopPatches(patches, order.astype(np.int64), where[order], boxes, best[order], field)
