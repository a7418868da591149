"""Tests for cnnlib.filters: the named kernels, their descriptions and what they respond to."""

import numpy as np
import pytest

from cnnlib.conv import correlate2d
from cnnlib.filters import DESCRIPTIONS, KERNELS, describe, kernel

REQUIRED = [
    "identity", "vertical_line", "horizontal_line", "vertical_line_zero_sum", "horizontal_line_zero_sum",
    "sobel_x", "sobel_y", "laplacian", "box_blur", "gaussian_blur", "sharpen", "emboss",
]


def _vertical_line_image():
    image = np.zeros((9, 9))
    image[:, 4] = 1.0
    return image


@pytest.mark.parametrize("name", REQUIRED)
def test_required_kernels_exist_as_3x3_float64(name):
    k = kernel(name)
    assert k.shape == (3, 3) and k.dtype == np.float64
    np.testing.assert_array_equal(k, KERNELS[name])


def test_every_kernel_has_a_one_line_description():
    assert set(DESCRIPTIONS) == set(KERNELS)
    for name in KERNELS:
        text = describe(name)
        assert text == DESCRIPTIONS[name]
        assert 10 < len(text) < 120 and "\n" not in text


def test_seed_line_detectors_are_the_seed_kernels():
    np.testing.assert_array_equal(kernel("vertical_line"), [[0, 1, 0]] * 3)
    np.testing.assert_array_equal(kernel("horizontal_line"), np.array([[0, 1, 0]] * 3).T)


@pytest.mark.parametrize("name", ["vertical_line_zero_sum", "horizontal_line_zero_sum", "sobel_x", "sobel_y",
                                  "laplacian", "outline"])
def test_detectors_sum_to_zero_and_ignore_flat_regions(name):
    assert kernel(name).sum() == 0
    np.testing.assert_allclose(correlate2d(np.full((6, 6), 0.7), kernel(name)), np.zeros((4, 4)), atol=1e-12)


@pytest.mark.parametrize("name", ["identity", "box_blur", "gaussian_blur", "sharpen", "emboss"])
def test_brightness_preserving_kernels_sum_to_one(name):
    assert kernel(name).sum() == pytest.approx(1.0)


def test_identity_returns_the_image():
    image = np.random.default_rng(0).standard_normal((6, 5))
    np.testing.assert_array_equal(correlate2d(image, kernel("identity"), padding="same"), image)


def test_zero_sum_vertical_detector_sees_vertical_not_horizontal_lines():
    vertical = _vertical_line_image()
    on_vertical = correlate2d(vertical, kernel("vertical_line_zero_sum"))
    on_horizontal = correlate2d(vertical.T, kernel("vertical_line_zero_sum"))
    assert on_vertical.max() == 6 and np.argmax(on_vertical[0]) == 3
    np.testing.assert_array_equal(on_horizontal, np.zeros_like(on_horizontal))
    np.testing.assert_array_equal(correlate2d(vertical.T, kernel("horizontal_line_zero_sum")), on_vertical.T)


def test_sobel_x_is_positive_where_it_gets_brighter_to_the_right():
    step = np.zeros((5, 6))
    step[:, 3:] = 1.0
    out = correlate2d(step, kernel("sobel_x"))
    assert out.min() == 0 and out.max() == 4
    np.testing.assert_array_equal(correlate2d(step.T, kernel("sobel_y")), out.T)


def test_kernel_returns_a_copy_and_table_is_read_only():
    k = kernel("sobel_x")
    k[0, 0] = 100.0
    assert KERNELS["sobel_x"][0, 0] == -1
    with pytest.raises(ValueError):
        KERNELS["sobel_x"][0, 0] = 5.0


@pytest.mark.parametrize("func", [kernel, describe])
def test_unknown_kernel_name_lists_the_known_names(func):
    with pytest.raises(ValueError, match="unknown kernel 'sobel_z'; known kernels: .*box_blur.*vertical_line"):
        func("sobel_z")


@pytest.mark.parametrize("func", [kernel, describe])
@pytest.mark.parametrize("bad", [3, None, np.ones((3, 3))])
def test_kernel_name_must_be_a_string(func, bad):
    with pytest.raises(TypeError, match="kernel name must be a string"):
        func(bad)


def test_kernels_table_cannot_be_corrupted_by_making_an_array_writable():
    original = kernel("sobel_x")
    handed_out = KERNELS["sobel_x"]
    handed_out.setflags(write=True)
    handed_out[0, 0] = 99.0
    np.testing.assert_array_equal(KERNELS["sobel_x"], original)
    np.testing.assert_array_equal(kernel("sobel_x"), original)
    for _, k in KERNELS.items():
        k.setflags(write=True)
        k[:] = 0
    np.testing.assert_array_equal(kernel("sobel_x"), original)


def test_kernels_table_cannot_be_changed():
    with pytest.raises(TypeError):
        KERNELS["sobel_x"] = np.zeros((3, 3))
    with pytest.raises(TypeError):
        del KERNELS["sobel_x"]
    assert "sobel_x" in KERNELS and len(KERNELS) == len(list(KERNELS)) == len(DESCRIPTIONS)
    assert list(KERNELS) == list(DESCRIPTIONS)
    assert not KERNELS["identity"].flags.writeable
