"""The flip explorer: cross-correlation and convolution side by side, one toggle apart."""

import traitlets

from ._base import Explorable
from .conv_explorer import _rows


class FlipExplorer(Explorable):
    """Toggle between ``correlate2d`` and ``convolve2d``; the kernel as applied flips.

    Both outputs use "same" padding (``padding = K // 2``) and stay on screen.

    Parameters
    ----------
    image : ndarray, shape (H, W)
        At most 10x10 (an impulse shows the kernel itself). Cells switch on and off.
    kernel : ndarray, shape (KH, KW)
        At most 5x5, odd sizes (so that "same" padding is symmetric).
    convolution : bool
        Start on convolution rather than cross-correlation.
    """

    _name = "flip_explorer"
    image = traitlets.List().tag(sync=True)
    kernel = traitlets.List().tag(sync=True)
    convolution = traitlets.Bool(False).tag(sync=True)

    def __init__(self, image, kernel, *, convolution=False):
        image, kernel = _rows(image, "image", 10), _rows(kernel, "kernel", 5)
        if len(kernel) % 2 == 0 or len(kernel[0]) % 2 == 0:
            raise ValueError(f"kernel must have odd sizes for 'same' padding, got "
                             f"{len(kernel)}x{len(kernel[0])}")
        super().__init__(image=image, kernel=kernel, convolution=bool(convolution))
