"""Argument checks shared by the modules: clear errors that name the value and what was expected."""

import numbers

import numpy as np


def positive_int(value, name):
    """``value`` as a Python int >= 1; TypeError for a non-integer, ValueError below 1."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a positive int, got {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be a positive int, got {value!r}")
    return int(value)


def int_pair(value, name, minimum):
    """An int or a pair of ints, each >= ``minimum``, as a tuple of two Python ints."""
    items = value if isinstance(value, (tuple, list)) else (value, value)
    if len(items) != 2:
        raise ValueError(f"{name} must be an int or a pair of ints, got {value!r}")
    for v in items:
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, numbers.Integral):
            raise TypeError(f"{name} must be an int or a pair of ints, got {value!r}")
        if v < minimum:
            raise ValueError(f"{name} must be at least {minimum}, got {value!r}")
    return int(items[0]), int(items[1])
