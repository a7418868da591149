"""The kernel editor: type a 3x3 kernel, see its feature map on an image at once."""

import numpy as np
import traitlets

from ...filters import KERNELS
from ._base import Explorable, encode_array, kernel_list

DEFAULT_PRESETS = ("vertical_line", "vertical_line_zero_sum", "horizontal_line",
                   "horizontal_line_zero_sum", "sobel_x", "sobel_y", "laplacian", "box_blur",
                   "gaussian_blur", "sharpen", "emboss", "identity")


class KernelEditor(Explorable):
    """Edit a 3x3 kernel and see ``correlate2d(image, kernel)`` (valid) redrawn.

    Parameters
    ----------
    image : ndarray, shape (H, W)
        One gray channel, values in [0, 1] (``cl.river()`` for example), at least 3x3.
    kernel : str or ndarray, shape (3, 3)
        The starting kernel, or the name of one in ``cnnlib.filters.KERNELS``.
    relu, absolute, eight_bit : bool
        Start with ReLU, ``|z|`` or the 8-bit display (clipping to 0..255) switched on.

    The reader's current kernel is ``editor.kernel`` (updated live in Jupyter).
    """

    _name = "kernel_editor"
    image = traitlets.Dict().tag(sync=True)
    kernel = traitlets.List(traitlets.Float()).tag(sync=True)
    presets = traitlets.Dict().tag(sync=True)
    preset = traitlets.Unicode("").tag(sync=True)
    relu = traitlets.Bool(False).tag(sync=True)
    absolute = traitlets.Bool(False).tag(sync=True)
    eight_bit = traitlets.Bool(False).tag(sync=True)

    def __init__(self, image, kernel="vertical_line_zero_sum", *, relu=False, absolute=False,
                 eight_bit=False):
        img = np.asarray(image)
        if img.ndim == 3:
            raise ValueError(f"image must be one gray channel (H, W), got shape {img.shape}; "
                             f"convert it with cnnlib.images.to_gray")
        encoded = encode_array(img, "image")
        if min(img.shape) < 3:
            raise ValueError(f"image must be at least 3x3 pixels, got {img.shape}")
        preset = ""
        if isinstance(kernel, str):
            if kernel not in KERNELS:
                raise ValueError(f"unknown kernel {kernel!r}; choose one of {sorted(KERNELS)}")
            preset, kernel = kernel, KERNELS[kernel]
        presets = {n: kernel_list(KERNELS[n], n) for n in DEFAULT_PRESETS}
        super().__init__(image=encoded, kernel=kernel_list(kernel), presets=presets,
                         preset=preset, relu=bool(relu), absolute=bool(absolute),
                         eight_bit=bool(eight_bit))
