import numpy as np
import pytest

from cnnlib.gradcheck import check_gradients
from cnnlib.layers import Conv2D, Dense, Flatten, ReLU, Sequential
from cnnlib.losses import softmax_cross_entropy
from cnnlib.pooling import (
    AvgPool2D, GlobalAvgPool2D, avg_pool2d, avg_pool2d_backward,
    global_avg_pool2d, global_avg_pool2d_backward,
)


def _x(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


def _avg_pool_loop(x, size, stride):
    """The definition, one window at a time."""
    n, c, h, w = x.shape
    oh, ow = (h - size) // stride + 1, (w - size) // stride + 1
    out = np.zeros((n, c, oh, ow))
    for r in range(oh):
        for s in range(ow):
            window = x[:, :, r * stride:r * stride + size,
                       s * stride:s * stride + size]
            out[:, :, r, s] = window.mean(axis=(2, 3))
    return out


# --------------------------------------------------------------------------- values
@pytest.mark.parametrize("shape, size, stride", [
    ((2, 3, 4, 4), 2, None), ((1, 2, 5, 7), 2, None),
    ((2, 1, 7, 7), 3, 2), ((1, 2, 6, 6), 3, 1), ((1, 1, 4, 4), 4, None),
])
def test_avg_pool_is_the_mean_of_each_window(shape, size, stride):
    x = _x(shape)
    got = avg_pool2d(x, size, stride)
    assert np.allclose(got, _avg_pool_loop(x, size, stride or size))


def test_avg_pool_works_on_one_channel_and_keeps_float32():
    x = np.arange(16, dtype=np.float32).reshape(4, 4)
    out = avg_pool2d(x)
    assert out.dtype == np.float32
    assert np.array_equal(out, [[2.5, 4.5], [10.5, 12.5]])


def test_global_avg_pool_is_the_mean_of_each_channel():
    x = _x((3, 4, 5, 6))
    assert np.allclose(global_avg_pool2d(x), x.mean(axis=(2, 3)))
    assert global_avg_pool2d(x).shape == (3, 4)


def test_global_avg_pool_equals_avg_pool_over_the_whole_map():
    x = _x((2, 3, 5, 5))
    assert np.allclose(global_avg_pool2d(x), avg_pool2d(x, 5)[:, :, 0, 0])


def test_global_avg_pool_ignores_a_circular_shift():
    x = _x((2, 3, 6, 6))
    moved = np.roll(x, (2, -1), axis=(2, 3))
    assert np.allclose(global_avg_pool2d(moved), global_avg_pool2d(x))


# --------------------------------------------------------------------------- gradients
@pytest.mark.parametrize("layer, shape", [
    (AvgPool2D(2), (2, 2, 4, 4)),
    (AvgPool2D(2), (1, 2, 5, 7)),
    (AvgPool2D(3, stride=2), (1, 2, 7, 7)),
    (AvgPool2D(3, stride=1), (1, 1, 5, 5)),
    (GlobalAvgPool2D(), (2, 3, 4, 5)),
])
def test_pool_gradients_match_central_differences(layer, shape):
    errors = check_gradients(layer, _x(shape, seed=3))
    assert errors["x"] < 1e-7, errors


def test_avg_pool_backward_shares_each_window_gradient_equally():
    dx = avg_pool2d_backward(np.array([[4.0]]), np.zeros((2, 2)))
    assert np.array_equal(dx, np.ones((2, 2)))


def test_overlapping_windows_add_their_shares():
    dx = avg_pool2d_backward(np.ones((1, 2)), np.zeros((2, 3)), 2, 1)
    assert np.allclose(dx, [[0.25, 0.5, 0.25], [0.25, 0.5, 0.25]])


@pytest.mark.parametrize("fuse", [True, False])
def test_layers_train_inside_sequential(fuse):
    model = Sequential(
        Conv2D(2, 3, 3, padding=1, rng=0), ReLU(), AvgPool2D(2),
        Conv2D(3, 4, 3, stride=2, padding=1, rng=1), ReLU(),
        GlobalAvgPool2D(), Dense(4, 3, rng=2), fuse=fuse,
    ).astype(np.float64)
    x = _x((3, 2, 8, 8), seed=5)
    errors = check_gradients(model, x, np.array([0, 2, 1]),
                             softmax_cross_entropy)
    assert max(errors.values()) < 1e-6, errors


def test_global_pool_makes_the_classifier_size_free():
    model = Sequential(Conv2D(1, 4, 3, rng=0), GlobalAvgPool2D(),
                       Dense(4, 2, rng=1))
    assert model.forward(np.zeros((1, 1, 8, 8))).shape == (1, 2)
    assert model.forward(np.zeros((1, 1, 13, 20))).shape == (1, 2)


def test_summary_and_repr():
    model = Sequential(Conv2D(3, 8, 3, rng=0), AvgPool2D(2),
                       AvgPool2D(3, stride=1), GlobalAvgPool2D(),
                       Flatten())
    assert repr(model[1]) == "AvgPool2D(2)"
    assert repr(model[2]) == "AvgPool2D(3, stride=1)"
    assert repr(model[3]) == "GlobalAvgPool2D()"
    rows = model.summary((3, 12, 12)).rows
    assert [row[1] for row in rows] == [
        (None, 8, 10, 10), (None, 8, 5, 5), (None, 8, 3, 3), (None, 8),
        (None, 8)]
    assert [row[2] for row in rows] == [224, 0, 0, 0, 0]


def test_layers_have_no_params_and_keep_float32():
    x = _x((1, 2, 4, 4)).astype(np.float32)
    for layer in (AvgPool2D(2), GlobalAvgPool2D()):
        assert layer.params == {} and layer.grads == {}
        assert layer.forward(x).dtype == np.float32
        assert layer.backward(np.ones_like(layer.forward(x))).dtype \
            == np.float32


# --------------------------------------------------------------------------- torch
def test_avg_pool_matches_torch():
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    x = _x((2, 3, 9, 8))
    for size, stride in [(2, 2), (3, 2), (3, 1)]:
        xt = torch.tensor(x, requires_grad=True)
        out = F.avg_pool2d(xt, size, stride)
        dout = _x(out.shape, seed=1)
        out.backward(torch.tensor(dout))
        assert np.allclose(avg_pool2d(x, size, stride), out.detach().numpy())
        dx = avg_pool2d_backward(dout, x, size, stride)
        assert np.allclose(dx, xt.grad.numpy())


def test_global_avg_pool_matches_torch_adaptive_avg_pool():
    torch = pytest.importorskip("torch")
    x = _x((2, 3, 5, 7))
    xt = torch.tensor(x, requires_grad=True)
    out = torch.nn.functional.adaptive_avg_pool2d(xt, 1).flatten(1)
    dout = _x((2, 3), seed=1)
    out.backward(torch.tensor(dout))
    assert np.allclose(global_avg_pool2d(x), out.detach().numpy())
    assert np.allclose(global_avg_pool2d_backward(dout, x), xt.grad.numpy())


# --------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("call, error, match", [
    (lambda: avg_pool2d(np.zeros((3, 3)), 4), ValueError, "4x4 is larger"),
    (lambda: avg_pool2d(np.zeros(5)), ValueError, r"shape \(5,\)"),
    (lambda: avg_pool2d(np.zeros((4, 4)), 0), ValueError, "size.*0"),
    (lambda: avg_pool2d(np.zeros((4, 4)), 2.5), TypeError, "2.5"),
    (lambda: avg_pool2d(np.zeros((4, 4)), 2, -1), ValueError, "stride.*-1"),
    (lambda: avg_pool2d(np.array([["a"]])), TypeError, "dtype"),
    (lambda: avg_pool2d(np.zeros((0, 4))), ValueError, "empty"),
    (lambda: avg_pool2d_backward(np.ones((3, 3)), np.zeros((4, 4))),
     ValueError, r"\(2, 2\), got \(3, 3\)"),
    (lambda: global_avg_pool2d(np.zeros((4, 4))), ValueError,
     r"4 dimensions, got shape \(4, 4\)"),
    (lambda: global_avg_pool2d_backward(np.ones((2, 2)),
                                        np.zeros((2, 3, 4, 4))),
     ValueError, r"\(2, 3\), got \(2, 2\)"),
    (lambda: AvgPool2D(0), ValueError, "size.*0"),
    (lambda: AvgPool2D(2, stride="1"), TypeError, "'1'"),
    (lambda: AvgPool2D(3).forward(np.zeros((1, 1, 2, 2))), ValueError,
     r"AvgPool2D\(3\): window 3x3 is larger than the input 2x2"),
    (lambda: AvgPool2D(2).forward(np.zeros((2, 2))), ValueError,
     r"\(N, C, H, W\), got \(2, 2\)"),
    (lambda: GlobalAvgPool2D().forward(np.zeros((2, 3))), ValueError,
     r"GlobalAvgPool2D\(\) expects input of shape \(N, C, H, W\)"),
    (lambda: GlobalAvgPool2D().forward(np.array([[["x"]]])), TypeError,
     "dtype"),
    (lambda: GlobalAvgPool2D().backward(np.ones((1, 1))), RuntimeError,
     "forward before backward"),
    (lambda: AvgPool2D().backward(np.ones((1, 1, 1, 1))), RuntimeError,
     "forward before backward"),
])
def test_bad_input_is_rejected_with_a_clear_message(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_nan_propagates_to_its_window_only():
    x = np.zeros((4, 4))
    x[0, 0] = np.nan
    out = avg_pool2d(x)
    assert np.isnan(out[0, 0]) and not np.isnan(out[1:, :]).any()
