"""Hand-made 3x3 kernels by name, each with a one-line description.

``KERNELS`` maps a name to a float64 array of shape (3, 3): a read-only table
that hands out a fresh read-only copy at each look-up, so no caller can change the
kernels for the rest of the session; ``kernel(name)`` returns a writable copy; ``DESCRIPTIONS`` and ``describe(name)``
give the one-line description used by the book's tables and the kernel editor.

The two line detectors of the seed (``vertical_line`` is ``[[0, 1, 0]] * 3``) sum
to 3, so they brighten everything; their zero-sum versions answer only where the
image has a line, and give 0 on flat regions.
"""

from collections.abc import Mapping

import numpy as np

__all__ = ["KERNELS", "DESCRIPTIONS", "kernel", "describe"]

_TABLE = {
    "identity": (
        [[0, 0, 0], [0, 1, 0], [0, 0, 0]],
        "returns the image unchanged: only the centre pixel counts",
    ),
    "vertical_line": (
        [[0, 1, 0], [0, 1, 0], [0, 1, 0]],
        "sums a pixel with the ones above and below: bright vertical lines add up (sums to 3)",
    ),
    "horizontal_line": (
        [[0, 0, 0], [1, 1, 1], [0, 0, 0]],
        "sums a pixel with its left and right neighbours: bright horizontal lines add up (sums to 3)",
    ),
    "vertical_line_zero_sum": (
        [[-1, 2, -1], [-1, 2, -1], [-1, 2, -1]],
        "zero-sum vertical line detector: centre column minus its neighbours, 0 on flat regions",
    ),
    "horizontal_line_zero_sum": (
        [[-1, -1, -1], [2, 2, 2], [-1, -1, -1]],
        "zero-sum horizontal line detector: centre row minus the rows around it, 0 on flat regions",
    ),
    "sobel_x": (
        [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]],
        "Sobel derivative along x: responds to vertical edges, positive where it gets brighter to the right",
    ),
    "sobel_y": (
        [[-1, -2, -1], [0, 0, 0], [1, 2, 1]],
        "Sobel derivative along y: responds to horizontal edges, positive where it gets brighter downwards",
    ),
    "laplacian": (
        [[0, 1, 0], [1, -4, 1], [0, 1, 0]],
        "second derivative in all directions: responds to spots, lines and edges, 0 on flat and linear ramps",
    ),
    "box_blur": (
        [[1 / 9] * 3] * 3,
        "average of the 3x3 neighbourhood: a blur that sums to 1",
    ),
    "gaussian_blur": (
        [[1 / 16, 2 / 16, 1 / 16], [2 / 16, 4 / 16, 2 / 16], [1 / 16, 2 / 16, 1 / 16]],
        "weighted average favouring the centre (binomial approximation of a Gaussian): a softer blur",
    ),
    "sharpen": (
        [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
        "the image plus its negative Laplacian: boosts edges, keeps flat regions (sums to 1)",
    ),
    "emboss": (
        [[-2, -1, 0], [-1, 1, 1], [0, 1, 2]],
        "diagonal derivative plus the image: relief lit from the top left (sums to 1)",
    ),
    "outline": (
        [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]],
        "centre minus all eight neighbours: outlines every edge, 0 on flat regions",
    ),
}


class _KernelTable(Mapping):
    """A read-only mapping of name to kernel that hands out copies.

    The arrays it returns are read-only too, so that writing into one fails loudly
    instead of changing only a copy; a caller who makes a copy writable changes that
    copy alone.
    """

    def __init__(self, table):
        self._values = {name: np.array(values, dtype=np.float64) for name, (values, _) in table.items()}

    def __getitem__(self, name):
        arr = self._values[name].copy()
        arr.setflags(write=False)
        return arr

    def __iter__(self):
        return iter(self._values)

    def __len__(self):
        return len(self._values)

    def __repr__(self):
        return f"KERNELS({', '.join(self._values)})"


KERNELS = _KernelTable(_TABLE)
"""Mapping of str to ndarray, shape (3, 3): the named kernels, float64, read-only copies."""

DESCRIPTIONS = {name: text for name, (_, text) in _TABLE.items()}
"""dict of str to str: a one-line description of each kernel in ``KERNELS``."""


def _check_name(name):
    if not isinstance(name, str):
        raise TypeError(f"kernel name must be a string, got {type(name).__name__}: {name!r}")
    if name not in KERNELS:
        raise ValueError(f"unknown kernel {name!r}; known kernels: {', '.join(sorted(KERNELS))}")


def kernel(name):
    """The named kernel as a new, writable array.

    Parameters
    ----------
    name : str
        One of ``KERNELS`` (e.g. "sobel_x", "vertical_line").

    Returns
    -------
    ndarray, shape (3, 3), float64
    """
    _check_name(name)
    return np.array(KERNELS[name])  # a writable copy


def describe(name):
    """One-line description of the named kernel.

    Parameters
    ----------
    name : str
        One of ``KERNELS``.

    Returns
    -------
    str
    """
    _check_name(name)
    return DESCRIPTIONS[name]
