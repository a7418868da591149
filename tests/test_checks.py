"""The shared argument checks: one helper per rule, each error naming the value."""

import numpy as np
import pytest

from cnnlib._checks import float_array, float_dtype, integer, output_hw, pads, param_dtype


@pytest.mark.parametrize("dtype, expected", [
    (np.float32, np.float32), (np.float64, np.float64), (np.float16, np.float32),
    (np.uint8, np.float64), (np.int64, np.float64), (bool, np.float64),
])
def test_float_dtype_keeps_float32_and_float64_and_widens_the_rest(dtype, expected):
    assert float_dtype(dtype) == expected


def test_float_array_keeps_a_float_array_without_copying():
    x = np.zeros((2, 3), dtype=np.float32)
    assert float_array(x, "x", 2) is x
    assert float_array(np.ones((2, 2), dtype=np.uint8), "x").dtype == np.float64
    assert float_array([[1, 2]], "x", dtype=np.float32).dtype == np.float32


@pytest.mark.parametrize("value, ndim, error, match", [
    (np.ones(3) + 1j, None, TypeError, "x must be real, got complex dtype complex128"),
    (np.array(["a"]), None, TypeError, "x must be a real numeric array, got dtype <U1"),
    (None, None, TypeError, r"x must be a real numeric array, got dtype object \(None\)"),
    ("abc", None, TypeError, r"got dtype <U3 \('abc'\)"),
    ([[1, 2], [3]], None, TypeError, "x must be a numeric array, got list"),
    (np.ones((2, 2)), 3, ValueError, r"x must have 3 dimensions, got shape \(2, 2\)"),
    (np.ones((2, 2)), (3, 4), ValueError, r"x must have 3 or 4 dimensions"),
    (np.ones((0, 2)), None, ValueError, r"x is empty: shape \(0, 2\)"),
])
def test_float_array_refuses_what_is_not_a_real_array(value, ndim, error, match):
    with pytest.raises(error, match=match):
        float_array(value, "x", ndim)


@pytest.mark.parametrize("dtype, error", [(np.int32, TypeError), (np.float16, TypeError),
                                          (np.complex64, TypeError), ("nonsense", TypeError)])
def test_param_dtype_refuses_all_but_float32_and_float64(dtype, error):
    with pytest.raises(error, match="dtype must be"):
        param_dtype(dtype)
    assert param_dtype(np.float64) == np.float64


@pytest.mark.parametrize("value, error", [(1.5, TypeError), (True, TypeError), ("3", TypeError), (-1, ValueError)])
def test_integer_refuses_non_integers_and_values_below_the_minimum(value, error):
    with pytest.raises(error, match=r"n must be"):
        integer(value, "n", minimum=0)
    assert integer(np.int64(4), "n", 0) == 4


@pytest.mark.parametrize("padding, kernel_hw, expected", [
    (0, (3, 3), (0, 0, 0, 0)), ((1, 2), (3, 3), (1, 1, 2, 2)), ("valid", (5, 5), (0, 0, 0, 0)),
    ("same", (3, 3), (1, 1, 1, 1)), ("SAME", (2, 4), (0, 1, 1, 2)), ("same", (1, 5), (0, 0, 2, 2)),
])
def test_pads_puts_the_odd_same_zero_at_the_bottom_right(padding, kernel_hw, expected):
    assert pads(padding, kernel_hw, (1, 1)) == expected


@pytest.mark.parametrize("padding, stride, error, match", [
    ("full", (1, 1), ValueError, "padding must be an int, a pair, 'valid' or 'same', got 'full'"),
    ("same", (2, 1), ValueError, r"padding='same' needs stride 1, got stride \(2, 1\)"),
    (-1, (1, 1), ValueError, "padding must be at least 0"),
    (1.5, (1, 1), TypeError, "padding must be an int or a pair"),
])
def test_pads_refuses_unknown_padding(padding, stride, error, match):
    with pytest.raises(error, match=match):
        pads(padding, (3, 3), stride)


@pytest.mark.parametrize("image_hw, kernel_hw, stride, pad, expected", [
    ((5, 5), (3, 3), (1, 1), (0, 0, 0, 0), (3, 3)),
    ((5, 6), (3, 3), (2, 2), (1, 1, 1, 1), (3, 3)),
    ((7, 7), (2, 2), (2, 2), (0, 0, 0, 0), (3, 3)),
    ((4, 5), (2, 4), (1, 1), (0, 1, 1, 2), (4, 5)),
])
def test_output_hw_is_the_floor_formula(image_hw, kernel_hw, stride, pad, expected):
    assert output_hw(image_hw, kernel_hw, stride, pad) == expected
    hp, wp = image_hw[0] + pad[0] + pad[1], image_hw[1] + pad[2] + pad[3]
    assert expected == ((hp - kernel_hw[0]) // stride[0] + 1, (wp - kernel_hw[1]) // stride[1] + 1)


def test_output_hw_refuses_a_window_larger_than_the_image():
    with pytest.raises(ValueError, match="pooling window 4x4 is larger than the image 3x8"):
        output_hw((3, 8), (4, 4), (1, 1), window="pooling window", where="image")
