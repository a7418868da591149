"""The live SGD explorer: a random 3x3 kernel learns a hand-made one in the page."""

import numpy as np
import traitlets

from ._base import Explorable, encode_array, kernel_list

RATES = (0.03, 0.1, 0.3, 1.0, 2.0, 5.0, 10.0)


class SGDExplorer(Explorable):
    """Train a 3x3 kernel on (patch, target map) pairs by SGD, in the browser.

    The targets are ``correlate2d(patch, target_kernel)`` (valid); the loss is ``cl.mse``
    and the update is ``cl.SGD(lr, momentum)``'s, on random batches of ``batch_size``.

    Parameters
    ----------
    patches : ndarray, shape (N, P, P) or (N, 1, P, P)
        At most 128 square inputs of 3 to 32 pixels.
    target_kernel, start_kernel : ndarray, shape (3, 3)
    rates : sequence of float
        The learning rates the slider offers (the diverging ones included).
    lr : float
        The starting rate, one of ``rates``.
    batch_size : int
    momentum : float, in [0, 1)
    seed : int
        Seeds the batch order in the page, so that reset replays the same run.
    """

    _name = "sgd_explorer"
    patches = traitlets.Dict().tag(sync=True)
    target_kernel = traitlets.List(traitlets.Float()).tag(sync=True)
    start_kernel = traitlets.List(traitlets.Float()).tag(sync=True)
    rates = traitlets.List(traitlets.Float()).tag(sync=True)
    rate = traitlets.Int(0).tag(sync=True)
    batch_size = traitlets.Int(16).tag(sync=True)
    momentum = traitlets.Float(0.9).tag(sync=True)
    seed = traitlets.Int(0).tag(sync=True)

    def __init__(self, patches, target_kernel, start_kernel, *, rates=RATES, lr=1.0,
                 batch_size=16, momentum=0.9, seed=0):
        x = np.asarray(patches)
        if x.ndim == 4 and x.shape[1] == 1:
            x = x[:, 0]
        if x.ndim != 3 or x.shape[1] != x.shape[2] or not 3 <= x.shape[1] <= 32 \
                or not 1 <= len(x) <= 128:
            raise ValueError(f"patches must be (N, P, P) with N <= 128 and 3 <= P <= 32, "
                             f"got shape {np.shape(patches)}")
        rates = [float(r) for r in rates]
        if not rates or not all(np.isfinite(r) and r > 0 for r in rates):
            raise ValueError(f"rates must be positive numbers, got {rates}")
        if lr not in rates:
            raise ValueError(f"lr must be one of rates {rates}, got {lr!r}")
        if not 0 <= momentum < 1:
            raise ValueError(f"momentum must be in [0, 1), got {momentum!r}")
        if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) \
                or batch_size < 1:
            raise ValueError(f"batch_size must be a positive int, got {batch_size!r}")
        super().__init__(patches=encode_array(x.reshape(-1, x.shape[2]), "patches"),
                         target_kernel=kernel_list(target_kernel, "target_kernel"),
                         start_kernel=kernel_list(start_kernel, "start_kernel"),
                         rates=rates, rate=rates.index(lr), batch_size=int(batch_size),
                         momentum=float(momentum), seed=int(seed))
