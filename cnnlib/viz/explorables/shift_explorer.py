"""The shift explorer: move the input and watch the feature map move with it."""

import numpy as np
import traitlets

from ._base import Explorable, encode_array, kernel_list


class ShiftExplorer(Explorable):
    """Shift an image by (dx, dy) and compare the map of the moved image with the moved map.

    Both maps use ``correlate2d(..., padding=1)`` (the size of the image); outside a band
    of ``|shift| + 1`` pixels they agree exactly, and the page marks that band.

    Parameters
    ----------
    image : ndarray, shape (H, W)
        At most 128x128 pixels.
    kernel : ndarray, shape (3, 3)
    max_shift : int
        The sliders run from ``-max_shift`` to ``max_shift`` (at most half the image).
    """

    _name = "shift_explorer"
    image = traitlets.Dict().tag(sync=True)
    kernel = traitlets.List(traitlets.Float()).tag(sync=True)
    max_shift = traitlets.Int(12).tag(sync=True)
    dx = traitlets.Int(0).tag(sync=True)
    dy = traitlets.Int(0).tag(sync=True)

    def __init__(self, image, kernel, *, max_shift=12):
        img = np.asarray(image)
        encoded = encode_array(img, "image")
        if max(img.shape) > 128 or min(img.shape) < 3:
            raise ValueError(f"image must be 3x3 to 128x128 pixels, got {img.shape}")
        if isinstance(max_shift, bool) or not isinstance(max_shift, (int, np.integer)):
            raise TypeError(f"max_shift must be an int, got {max_shift!r}")
        if not 1 <= max_shift <= min(img.shape) // 2:
            raise ValueError(f"max_shift must be 1 to {min(img.shape) // 2} for an image of "
                             f"{img.shape}, got {max_shift}")
        super().__init__(image=encoded, kernel=kernel_list(kernel), max_shift=int(max_shift))
