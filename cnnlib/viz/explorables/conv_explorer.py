"""The convolution explorer: one output cell at a time, with its products and sum."""

import numpy as np
import traitlets

from ...filters import KERNELS
from ._base import Explorable

PRESETS = ("vertical_line_zero_sum", "horizontal_line_zero_sum", "sobel_x", "sharpen",
           "box_blur", "identity")


def _rows(a, name, max_size):
    arr = np.asarray(a)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be real numbers, got dtype {arr.dtype}")
    if arr.ndim != 2 or arr.size == 0 or max(arr.shape) > max_size:
        raise ValueError(f"{name} must be a 2-D array of at most {max_size}x{max_size}, "
                         f"got shape {arr.shape}")
    with np.errstate(over="ignore", invalid="ignore"):
        arr = arr.astype(np.float32)
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} must be finite float32 numbers, got {arr.tolist()}")
    return arr.astype(float).tolist()


class ConvExplorer(Explorable):
    """Slide a kernel over a small grid; click an output cell to see its nine products.

    Parameters
    ----------
    image : ndarray, shape (H, W)
        At most 10x10. A click switches a cell off (0) and back on (its value, or 1).
    kernel : ndarray, shape (KH, KW)
        At most 5x5; the presets (3x3, from ``cnnlib.filters``) apply to 3x3 kernels.
    stride : int, 1-3
    padding : int, 0-2

    The page shows ``cl.correlate2d(image, kernel, stride=stride, padding=padding)``, the
    output-size formula with the current numbers and that line of code.
    """

    _name = "conv_explorer"
    image = traitlets.List().tag(sync=True)
    kernel = traitlets.List().tag(sync=True)
    presets = traitlets.Dict().tag(sync=True)
    stride = traitlets.Int(1).tag(sync=True)
    padding = traitlets.Int(0).tag(sync=True)
    selected = traitlets.List([0, 0]).tag(sync=True)

    def __init__(self, image, kernel, *, stride=1, padding=0):
        for name, value, top in (("stride", stride, 3), ("padding", padding, 2)):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
                raise TypeError(f"{name} must be an int, got {value!r}")
            if not (name == "padding" and value == 0) and not 1 <= value <= top:
                raise ValueError(f"{name} must be in {0 if name == 'padding' else 1}-{top}, "
                                 f"got {value}")
        image, kernel = _rows(image, "image", 10), _rows(kernel, "kernel", 5)
        presets = {n: np.asarray(KERNELS[n], dtype=float).tolist() for n in PRESETS}
        super().__init__(image=image, kernel=kernel, presets=presets, stride=int(stride),
                         padding=int(padding))
