"""Receptive fields checked by hand and by a gradient probe; top_patches against planted patterns."""
import numpy as np
import pytest

import cnnlib as cl
from cnnlib.datasets import cats_vs_dogs
from cnnlib.receptive import ReceptiveField, receptive_field, top_patches


def reference_cnn(seed=0):
    """The book's small CNN for 32x32 colour images: two conv-ReLU-pool blocks, then a classifier."""
    rng = np.random.default_rng(seed)
    return cl.Sequential(
        cl.Conv2D(3, 8, 3, padding=1, rng=rng), cl.ReLU(), cl.MaxPool2D(2),
        cl.Conv2D(8, 16, 3, padding=1, rng=rng), cl.ReLU(), cl.MaxPool2D(2),
        cl.Flatten(), cl.Dense(16 * 8 * 8, 2, rng=rng),
    )


# Worked out by hand with size' = size + (k-1) jump, jump' = jump s, start' = start - p jump:
#   conv 3x3 p1: size 1+2*1 = 3, jump 1, start 0-1 = -1;   ReLU keeps it
#   pool 2:      size 3+1*1 = 4, jump 2, start -1
#   conv 3x3 p1: size 4+2*2 = 8, jump 2, start -1-1*2 = -3; ReLU keeps it
#   pool 2:      size 8+1*2 = 10, jump 4, start -3
REFERENCE_BY_HAND = [(0, 3, 1, -1), (1, 3, 1, -1), (2, 4, 2, -1), (3, 8, 2, -3), (4, 8, 2, -3), (5, 10, 4, -3)]


@pytest.mark.parametrize("layer, size, jump, start", REFERENCE_BY_HAND)
def test_reference_cnn_matches_hand_arithmetic(layer, size, jump, start):
    rf = receptive_field(reference_cnn(), layer)
    assert rf.size == (size, size)
    assert rf.jump == (jump, jump)
    assert rf.start == (start, start)
    assert rf.layer == layer


def test_negative_layer_index_counts_from_the_end():
    net = cl.Sequential(*reference_cnn().layers[:6])
    assert receptive_field(net, -1) == receptive_field(net, 5)


@pytest.mark.parametrize("layers, expected", [
    # stride-2 convolutions, no padding: 3 -> 3+2*2 = 7, jump 4
    ([cl.Conv2D(1, 2, 3, stride=2), cl.Conv2D(2, 2, 3, stride=2)], ((7, 7), (4, 4), (0, 0))),
    # a 1x5 then 3x1 kernel: rows 1 -> 3, columns 5 -> 5
    ([cl.Conv2D(1, 2, (1, 5), padding=(0, 2)), cl.Conv2D(2, 2, (3, 1), padding=(1, 0))],
     ((3, 5), (1, 1), (-1, -2))),
    # "same" with an even kernel pads 1 before and 2 after: start -1
    ([cl.Conv2D(1, 2, 4, padding="same")], ((4, 4), (1, 1), (-1, -1))),
    # pooling 3 with stride 2 after a 5x5: 5 -> 5+2 = 7, jump 2
    ([cl.Conv2D(1, 2, 5), cl.MaxPool2D(3, stride=2)], ((7, 7), (2, 2), (0, 0))),
    # three 3x3 convolutions see 7x7, like one 7x7
    ([cl.Conv2D(1, 1, 3), cl.ReLU(), cl.Conv2D(1, 1, 3), cl.ReLU(), cl.Conv2D(1, 1, 3)],
     ((7, 7), (1, 1), (0, 0))),
])
def test_other_architectures_match_hand_arithmetic(layers, expected):
    rf = receptive_field(cl.Sequential(*layers), len(layers) - 1)
    assert (rf.size, rf.jump, rf.start) == expected


def test_a_list_of_layers_works_like_a_sequential():
    net = reference_cnn()
    assert receptive_field(list(net.layers), 3) == receptive_field(net, 3)


# --------------------------------------------------------------------------- gradient probe
def positive_model(layers, seed=0):
    """float64 copy of the layers' architecture with positive weights and biases: no dead ReLU."""
    rng = np.random.default_rng(seed)
    for layer in layers:
        for name, p in layer.params.items():
            layer.params[name] = np.abs(p).astype(np.float64) + (0.1 if name == "bias" else 0.01)
            layer.grads[name] = np.zeros_like(layer.params[name])
    return cl.Sequential(*layers), rng


def probe(model, layer, unit, positions, x):
    """Where the input gradient of each output unit (i, j) is nonzero, for any image of the batch x.

    One forward pass, then one backward pass per position: for a fixed forward pass the
    input gradient is linear in dout, and max pooling routes it by that forward's maxima.
    """
    head = cl.Sequential(*model.layers[:layer + 1])
    out = head.forward(x)
    seen = []
    for i, j in positions:
        dout = np.zeros_like(out)
        dout[:, unit, i, j] = 1.0
        seen.append((head.backward(dout) != 0).any(axis=(0, 1)))  # (H, W)
    return seen


def window_mask(rf, i, j, shape):
    top, left, bottom, right = rf.box(i, j, shape)
    mask = np.zeros(shape, bool)
    mask[top:bottom, left:right] = True
    return mask


@pytest.mark.parametrize("layer", range(6))
def test_gradient_probe_fills_exactly_the_computed_window(layer):
    model, rng = positive_model(reference_cnn().layers)
    # Max pooling passes the gradient to one pixel per window, which depends on the image;
    # over many random images every pixel of the window gets its turn.
    x = rng.uniform(0.1, 1.0, (128, 3, 24, 24))
    h, w = cl.Sequential(*model.layers[:layer + 1]).output_shape(x.shape)[2:]
    positions = [(0, 0), (h // 2, w // 3), (h - 1, w - 1)]  # corner, interior, far corner
    rf = receptive_field(model, layer)
    for (i, j), seen in zip(positions, probe(model, layer, 1, positions, x)):
        window = window_mask(rf, i, j, (24, 24))
        assert not (seen & ~window).any(), f"gradient of unit {(i, j)} outside the computed window"
        assert (seen == window).all(), f"the computed window of unit {(i, j)} has pixels it does not see"


@pytest.mark.parametrize("layers", [
    [cl.Conv2D(1, 2, 3, stride=2), cl.ReLU(), cl.Conv2D(2, 2, 3, stride=2)],
    [cl.Conv2D(1, 2, (1, 5), padding=(0, 2)), cl.Conv2D(2, 2, (3, 1), padding=(1, 0))],
    [cl.Conv2D(1, 2, 4, padding="same"), cl.ReLU(), cl.Conv2D(2, 2, 2, stride=2)],
])
def test_gradient_probe_on_strided_and_rectangular_kernels(layers):
    model, rng = positive_model(layers, seed=1)
    x = rng.uniform(0.1, 1.0, (2, 1, 17, 19))
    out_h, out_w = model.output_shape(x.shape)[2:]
    rf = receptive_field(model, len(layers) - 1)
    positions = [(0, 0), (out_h // 2, out_w // 2), (out_h - 1, out_w - 1)]
    for (i, j), seen in zip(positions, probe(model, len(layers) - 1, 0, positions, x)):
        assert (seen == window_mask(rf, i, j, (17, 19))).all()


# --------------------------------------------------------------------------- box, crop
def test_box_is_clipped_only_when_given_the_image_shape():
    rf = receptive_field(reference_cnn(), 3)
    assert rf.box(0, 0) == (-3, -3, 5, 5)
    assert rf.box(0, 0, (32, 32)) == (0, 0, 5, 5)
    assert rf.box(2, 5) == (1, 7, 9, 15)
    assert rf.center(2, 5) == (4.5, 10.5)


def test_crop_cuts_the_window_and_pads_outside_with_fill():
    rf = receptive_field(reference_cnn(), 3)
    image = np.arange(3 * 32 * 32, dtype=np.float32).reshape(3, 32, 32)
    assert np.array_equal(rf.crop(image, 2, 5), image[:, 1:9, 7:15])
    corner = rf.crop(image, 0, 0, fill=-1.0)
    assert corner.shape == (3, 8, 8)
    assert (corner[:, :3, :] == -1).all() and (corner[:, :, :3] == -1).all()
    assert np.array_equal(corner[:, 3:, 3:], image[:, :5, :5])


# --------------------------------------------------------------------------- top_patches
def cross_detector():
    """One 5x5 convolution whose channel 0 responds to a bright plus sign."""
    conv = cl.Conv2D(1, 2, 5, padding=2, rng=0, dtype=np.float64)
    plus = -np.ones((5, 5)) / 16
    plus[2, :] = plus[:, 2] = 1 / 9
    conv.params["weight"][0, 0] = plus
    conv.params["bias"][:] = 0
    return cl.Sequential(conv, cl.ReLU())


def test_top_patches_finds_planted_patterns_strongest_first():
    rng = np.random.default_rng(3)
    X = rng.uniform(0, 0.2, (40, 1, 20, 20))
    planted = {17: (5, 12, 1.0), 3: (14, 6, 0.8), 30: (9, 9, 0.6)}  # index: (row, col, brightness)
    for n, (r, c, v) in planted.items():
        X[n, 0, r, c - 2:c + 3] = X[n, 0, r - 2:r + 3, c] = v
    found = top_patches(cross_detector(), 1, 0, X, 3)
    assert found.index.tolist() == [17, 3, 30]
    assert found.position.tolist() == [[5, 12], [14, 6], [9, 9]]
    assert np.all(np.diff(found.value) < 0)
    assert found.patches.shape == (3, 1, 5, 5)
    assert np.array_equal(found.patches[0], X[17, :, 3:8, 10:15])
    assert found.box[0].tolist() == [3, 10, 8, 15]
    assert len(found) == 3


def test_top_patches_does_not_depend_on_batch_size():
    X, _ = cats_vs_dogs(30, size=32, seed=1)
    net = reference_cnn()
    a = top_patches(net, 4, 5, X, 6, batch_size=7)
    b = top_patches(net, 4, 5, X, 6)
    assert np.array_equal(a.index, b.index) and np.array_equal(a.position, b.position)
    assert np.allclose(a.value, b.value)
    assert a.patches.shape == (6, 3, 8, 8)


def test_top_patch_values_are_the_layer_maxima():
    X, _ = cats_vs_dogs(12, size=32, seed=2)
    net = reference_cnn()
    found = top_patches(net, 5, 3, X, 12)
    maps = cl.Sequential(*net.layers[:6]).forward(X)[:, 3]
    assert np.allclose(np.sort(maps.reshape(12, -1).max(axis=1))[::-1], found.value, rtol=1e-5)
    n, (i, j) = found.index[0], found.position[0]
    assert np.isclose(maps[n, i, j], found.value[0], rtol=1e-5)


# --------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("layer", [8, 100, -9])
def test_layer_index_out_of_range_is_rejected(layer):
    with pytest.raises(ValueError, match=f"layer index {layer} is out of range for a model of 8 layers"):
        receptive_field(reference_cnn(), layer)


@pytest.mark.parametrize("layer", [1.0, "2", True, None])
def test_layer_index_must_be_an_int(layer):
    with pytest.raises(TypeError, match="layer must be an int"):
        receptive_field(reference_cnn(), layer)


@pytest.mark.parametrize("layer", [6, 7])
def test_flatten_and_dense_have_no_window(layer):
    with pytest.raises(ValueError, match="sees the whole input"):
        receptive_field(reference_cnn(), layer)


def test_unknown_layer_type_and_model_type_are_rejected():
    class Scale(cl.Layer):
        def forward(self, x):
            return 2 * x

        def backward(self, dout):
            return 2 * dout

    with pytest.raises(TypeError, match="cannot tell its receptive field"):
        receptive_field(cl.Sequential(cl.Conv2D(1, 1, 3), Scale()), 1)
    with pytest.raises(TypeError, match="model must be a Sequential"):
        receptive_field(cl.Conv2D(1, 1, 3), 0)
    with pytest.raises(ValueError, match="model has no layers"):
        receptive_field(cl.Sequential(), 0)


def test_box_and_crop_reject_bad_arguments():
    rf = ReceptiveField((3, 3), (1, 1), (-1, -1))
    with pytest.raises(TypeError, match="i must be an int"):
        rf.box(1.5, 0)
    with pytest.raises(ValueError, match=r"shape must be \(H, W\)"):
        rf.box(0, 0, (3, 32, 32))
    with pytest.raises(ValueError, match=r"image must have shape \(\.\.\., H, W\)"):
        rf.crop(np.zeros(5), 0, 0)


@pytest.mark.parametrize("X, message", [
    (np.zeros((4, 3, 32)), r"X must have 4 dimensions, got shape \(4, 3, 32\)"),
    (np.zeros((4, 1, 32, 32)), r"expects input of shape \(N, 3, H, W\)"),
    (np.zeros((0, 3, 32, 32)), "X is empty"),
    (np.full((2, 3, 32, 32), np.nan), "X contains NaN"),
    (np.zeros((4, 3, 1, 1)), "larger than"),
])
def test_top_patches_rejects_bad_images(X, message):
    with pytest.raises(ValueError, match=message):
        top_patches(reference_cnn(), 3, 0, X, 1)


def test_top_patches_rejects_text_images():
    with pytest.raises(TypeError, match="X must be a real numeric array"):
        top_patches(reference_cnn(), 3, 0, np.array([["a"]]), 1)


@pytest.mark.parametrize("unit, k, message", [
    (16, 2, r"unit 16 is out of range: layer 3 Conv2D\(8, 16, kernel_size=3, padding=1\) has 16 channels"),
    (-1, 2, "unit -1 is out of range"),
    (0, 0, "k must be between 1 and the number of images 5, got 0"),
    (0, 6, "k must be between 1 and the number of images 5, got 6"),
])
def test_top_patches_rejects_bad_unit_and_k(unit, k, message):
    X = np.zeros((5, 3, 32, 32), np.float32)
    with pytest.raises(ValueError, match=message):
        top_patches(reference_cnn(), 3, unit, X, k)
