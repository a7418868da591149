"""The backprop explorer: where one cell of the upstream gradient sends its gradient."""

import numpy as np
import traitlets

from ._base import Explorable
from .conv_explorer import _rows


class BackpropExplorer(Explorable):
    """Click a cell of the upstream gradient ``g`` of ``y = correlate2d(x, w)``: the input
    window it saw is outlined, and its shares of both gradients are drawn, ``g[r, c] * w``
    added to ``dx`` on that window and ``g[r, c] * x[window]`` added to ``dw``. The full
    gradients (the sums of all shares) stay beside them.

    Parameters
    ----------
    image : ndarray, shape (H, W)
        The layer's input, at most 10x10.
    kernel : ndarray, shape (KH, KW)
        At most 5x5, no larger than the image.
    upstream : ndarray, shape (H - KH + 1, W - KW + 1)
        The upstream gradient dL/dy, one number per output ("valid" correlation, stride 1).
    selected : (int, int)
        The upstream cell shown first.
    """

    _name = "backprop_explorer"
    image = traitlets.List().tag(sync=True)
    kernel = traitlets.List().tag(sync=True)
    upstream = traitlets.List().tag(sync=True)
    selected = traitlets.List().tag(sync=True)

    def __init__(self, image, kernel, upstream, *, selected=(0, 0)):
        image, kernel = _rows(image, "image", 10), _rows(kernel, "kernel", 5)
        out_shape = (len(image) - len(kernel) + 1, len(image[0]) - len(kernel[0]) + 1)
        if min(out_shape) < 1:
            raise ValueError(f"kernel {len(kernel)}x{len(kernel[0])} is larger than the image "
                             f"{len(image)}x{len(image[0])}")
        upstream = _rows(upstream, "upstream", 10)
        if (len(upstream), len(upstream[0])) != out_shape:
            raise ValueError(f"upstream must have the output's shape {out_shape} (valid "
                             f"correlation, stride 1), got {len(upstream)}x{len(upstream[0])}")
        try:
            r, c = (int(v) for v in np.asarray(selected).ravel())
        except (TypeError, ValueError):
            raise ValueError(f"selected must be a (row, column) pair, got {selected!r}") from None
        if not (0 <= r < out_shape[0] and 0 <= c < out_shape[1]):
            raise ValueError(f"selected {(r, c)} is outside the upstream gradient {out_shape}")
        super().__init__(image=image, kernel=kernel, upstream=upstream, selected=[r, c])
