"""Feature maps: what a bank of kernels, or every layer of a model, makes of one input.

:func:`feature_maps` applies several kernels to one gray image and stacks the maps,
the figure "several kernels, several maps". :func:`activations` runs a model layer by
layer and keeps every layer's output, to look inside a trained network.
:func:`receptive_field` and :func:`top_patches` live in :mod:`cnnlib.receptive` and are
re-exported here, so that everything about what a unit sees is reachable from one module.
"""

import numpy as np

from ._checks import float_array
from .conv import correlate2d
from .receptive import receptive_field, top_patches

__all__ = ["feature_maps", "activations", "kernel_bank", "receptive_field", "top_patches"]


def kernel_bank(kernels):
    """Kernels given by name or as arrays, as a list of names and a list of arrays.

    Parameters
    ----------
    kernels : str, ndarray, shape (KH, KW) or (K, KH, KW), or sequence of str / ndarray
        Names from ``cnnlib.filters.KERNELS`` or weights.

    Returns
    -------
    names : list of str
        The name of each kernel, or ``"kernel i"`` for an array.
    arrays : list of ndarray, shape (KH, KW), float64
    """
    from .filters import kernel as named_kernel

    if isinstance(kernels, str):
        kernels = [kernels]
    elif isinstance(kernels, np.ndarray):
        if kernels.ndim == 2:
            kernels = [kernels]
        elif kernels.ndim == 3:
            kernels = list(kernels)
        else:
            raise ValueError(f"kernels array must have shape (KH, KW) or (K, KH, KW), "
                             f"got {kernels.shape}")
    elif not isinstance(kernels, (list, tuple)):
        raise TypeError(f"kernels must be a name, an array or a list of them, "
                        f"got {type(kernels).__name__}")
    if len(kernels) == 0:
        raise ValueError("kernels is empty: expected at least one kernel name or array")
    names, arrays = [], []
    for i, k in enumerate(kernels):
        if isinstance(k, str):
            names.append(k)
            arrays.append(named_kernel(k))
            continue
        names.append(f"kernel {i}")
        arrays.append(float_array(k, f"kernels[{i}]", 2, dtype=np.float64))
    return names, arrays


def feature_maps(image, kernels, stride=1, padding=0):
    """Apply a bank of kernels to one gray image: one feature map per kernel.

    Parameters
    ----------
    image : ndarray, shape (H, W)
        One channel (use ``cnnlib.images.to_gray`` on a colour image).
    kernels : str, ndarray, shape (KH, KW) or (K, KH, KW), or sequence of str / ndarray
        Kernel names from ``cnnlib.filters.KERNELS`` and/or weight arrays.
    stride : int or (int, int)
    padding : int, (int, int), "valid" or "same"
        As in :func:`cnnlib.conv.correlate2d`; with "same" kernels of different sizes
        can be mixed.

    Returns
    -------
    ndarray, shape (K, H', W')
        ``maps[i] = correlate2d(image, kernels[i], stride, padding)``, with
        ``H' = floor((H + 2P - KH) / S) + 1``.
    """
    if np.ndim(image) == 3 and np.shape(image)[-1] in (3, 4):
        raise ValueError(f"image must be one gray channel (H, W), got a colour image {np.shape(image)}; "
                         f"convert it with cnnlib.images.to_gray")
    img = float_array(image, "image (H, W)", 2)
    names, arrays = kernel_bank(kernels)
    maps = [correlate2d(img, k, stride=stride, padding=padding) for k in arrays]
    shapes = {m.shape for m in maps}
    if len(shapes) > 1:
        sizes = ", ".join(f"{n}: {k.shape[0]}x{k.shape[1]}" for n, k in zip(names, arrays))
        raise ValueError(f"kernels of different sizes ({sizes}) give maps of different shapes "
                         f"{sorted(shapes)}; use padding='same' or kernels of one size")
    return np.stack(maps)


def activations(model, x):
    """Every layer's output for one input, layer by layer.

    Parameters
    ----------
    model : Sequential, or any sequence of layers with ``forward(x)``
    x : ndarray, shape (C, H, W), (1, C, H, W) or (H, W)
        One example; an (H, W) image is taken as one channel.

    Returns
    -------
    list of (str, ndarray)
        For each layer, its ``repr`` prefixed by its index (``"0: Conv2D(1, 8, ...)"``) and
        its output for this example without the batch axis: shape (C', H', W') after a
        convolution or pooling, (D,) after Flatten or Dense.
    """
    layers = getattr(model, "layers", model)
    if not hasattr(layers, "__iter__"):
        raise TypeError(f"model must be a Sequential or a list of layers, "
                        f"got {type(model).__name__}")
    layers = list(layers)
    if not layers:
        raise ValueError("model has no layers")
    for i, layer in enumerate(layers):
        if not callable(getattr(layer, "forward", None)):
            raise TypeError(f"layer {i} ({type(layer).__name__}) has no forward(x) method")
    arr = float_array(x, "x", (2, 3, 4))
    if arr.ndim == 2:
        arr = arr[None, None]
    elif arr.ndim == 3:
        arr = arr[None]
    elif not (arr.ndim == 4 and arr.shape[0] == 1):
        raise ValueError(f"x must be one example, shape (C, H, W), (1, C, H, W) or (H, W), "
                         f"got {arr.shape}")
    outputs = []
    out = arr
    for i, layer in enumerate(layers):
        out = layer.forward(out)
        outputs.append((f"{i}: {layer!r}", np.asarray(out)[0]))
    return outputs
