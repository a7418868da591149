"""feature_maps applies a bank of kernels; activations keeps every layer's output."""

import numpy as np
import pytest

from cnnlib import featuremaps
from cnnlib.conv import conv2d, correlate2d
from cnnlib.filters import KERNELS
from cnnlib.layers import Conv2D, Dense, Flatten, MaxPool2D, ReLU, Sequential


@pytest.mark.parametrize("shape", [(8, 8), (9, 13)])
@pytest.mark.parametrize("stride, padding", [(1, 0), (1, "same"), (2, 1)])
def test_feature_maps_stacks_one_correlation_per_named_kernel(shape, stride, padding):
    image = np.random.default_rng(0).random(shape)
    names = ["sobel_x", "sobel_y", "laplacian"]
    maps = featuremaps.feature_maps(image, names, stride=stride, padding=padding)
    expected = [correlate2d(image, KERNELS[n], stride=stride, padding=padding) for n in names]
    assert maps.shape == (3,) + expected[0].shape
    for got, want in zip(maps, expected):
        np.testing.assert_allclose(got, want)


def test_feature_maps_takes_arrays_names_and_a_stack():
    rng = np.random.default_rng(1)
    image = rng.random((6, 7))
    bank = rng.normal(size=(2, 3, 3))
    maps = featuremaps.feature_maps(image, bank)
    np.testing.assert_allclose(maps[1], correlate2d(image, bank[1]))
    mixed = featuremaps.feature_maps(image, ["identity", bank[0]])
    np.testing.assert_allclose(mixed[0], image[1:-1, 1:-1])
    single = featuremaps.feature_maps(image, "box_blur")
    assert single.shape == (1, 4, 5)


def test_feature_maps_mixes_kernel_sizes_with_same_padding():
    image = np.random.default_rng(2).random((7, 7))
    maps = featuremaps.feature_maps(image, [np.ones((3, 3)), np.ones((5, 5))], padding="same")
    assert maps.shape == (2, 7, 7)


def test_kernel_bank_names_arrays():
    names, arrays = featuremaps.kernel_bank(["sharpen", np.eye(2)])
    assert names == ["sharpen", "kernel 1"]
    assert arrays[1].shape == (2, 2)


@pytest.mark.parametrize("image, kernels, error, match", [
    (np.zeros((5, 5)), [np.ones((3, 3)), np.ones((5, 5))], ValueError, "different"),
    (np.zeros((5, 5, 3)), ["sobel_x"], ValueError, "to_gray"),
    (np.zeros(5), ["sobel_x"], ValueError, r"\(H, W\)"),
    (np.zeros((5, 5)), [], ValueError, "empty"),
    (np.zeros((5, 5)), ["no_such_kernel"], ValueError, "no_such_kernel"),
    (np.zeros((5, 5)), 3, TypeError, "kernels"),
    (np.zeros((5, 5)), [np.array([["a"]])], TypeError, "kernels\\[0\\]"),
    (np.zeros((5, 5)), [np.ones(3)], ValueError, "kernels\\[0\\]"),
    (np.zeros((5, 5)) * 1j, ["sobel_x"], TypeError, r"image \(H, W\) must be real, got complex"),
    (np.zeros((5, 5)), [np.ones((3, 3)) * 1j], TypeError, r"kernels\[0\] must be real, got complex"),
    (np.zeros((5, 5)), np.ones((2, 3, 3)) * 1j, TypeError, r"kernels\[0\] must be real, got complex"),
])
def test_feature_maps_refuses_bad_input(image, kernels, error, match):
    with pytest.raises(error, match=match):
        featuremaps.feature_maps(image, kernels)


def _model():
    return Sequential(Conv2D(1, 4, 3, padding=1, rng=0), ReLU(), MaxPool2D(2), Flatten(),
                      Dense(4 * 4 * 4, 3, rng=1))


@pytest.mark.parametrize("shape", [(8, 8), (1, 8, 8), (1, 1, 8, 8)])
def test_activations_returns_every_layer_output_for_one_input(shape):
    model = _model()
    x = np.random.default_rng(3).random((8, 8)).astype(np.float32)
    acts = featuremaps.activations(model, x.reshape(shape))
    assert [name.split(":")[0] for name, _ in acts] == ["0", "1", "2", "3", "4"]
    assert "Conv2D" in acts[0][0] and "Dense" in acts[4][0]
    assert [a.shape for _, a in acts] == [(4, 8, 8), (4, 8, 8), (4, 4, 4), (64,), (3,)]
    weight, bias = model.layers[0].params["weight"], model.layers[0].params.get("bias")
    np.testing.assert_allclose(acts[0][1], conv2d(x[None, None], weight, bias, padding=1)[0],
                               rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(acts[1][1], np.maximum(acts[0][1], 0))
    np.testing.assert_allclose(acts[-1][1], model.forward(x[None, None])[0], rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("x, error", [
    (np.zeros((2, 1, 8, 8)), ValueError),
    (np.zeros(8), ValueError),
    (np.zeros((1, 0, 8, 8)), ValueError),
    (np.array([["a"]]), TypeError),
    (np.ones((1, 8, 8)) * 1j, TypeError),
])
def test_activations_refuses_anything_but_one_example(x, error):
    with pytest.raises(error):
        featuremaps.activations(_model(), x)


def test_activations_refuses_a_model_without_layers():
    with pytest.raises(ValueError, match="no layers"):
        featuremaps.activations([], np.zeros((4, 4)))
    with pytest.raises(TypeError, match="forward"):
        featuremaps.activations([object()], np.zeros((4, 4)))
