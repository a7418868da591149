"""Tests for cnnlib.conv: fast paths against the naive loop, scipy and torch; properties; gradients; bad input."""

import numpy as np
import pytest
import scipy.signal
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cnnlib import conv
from cnnlib.conv import (
    conv2d,
    conv2d_backward,
    conv2d_backward_naive,
    conv2d_naive,
    convolve2d,
    correlate2d,
    correlate2d_naive,
    max_pool2d,
    max_pool2d_backward,
    max_pool2d_backward_naive,
    output_size,
    relu,
    relu_backward,
)

PROPERTY = settings(max_examples=30, deadline=None)


def _rng(seed=0):
    return np.random.default_rng(seed)


def _conv2d_by_loops(x, weight, bias, stride, padding):
    """conv2d written with correlate2d_naive, one (sample, filter, channel) at a time."""
    out = []
    for sample in x:
        maps = []
        for f, filt in enumerate(weight):
            total = sum(correlate2d_naive(ch, k, stride, padding) for ch, k in zip(sample, filt))
            maps.append(total + (0 if bias is None else bias[f]))
        out.append(maps)
    return np.array(out)


def _numerical_gradient(f, a, eps=1e-6):
    """Central differences of the scalar function f() with respect to every entry of a (changed in place)."""
    grad = np.zeros_like(a)
    for idx in np.ndindex(a.shape):
        old = a[idx]
        a[idx] = old + eps
        plus = f()
        a[idx] = old - eps
        minus = f()
        a[idx] = old
        grad[idx] = (plus - minus) / (2 * eps)
    return grad


# ----------------------------------------------------------------- output_size
@pytest.mark.parametrize(
    "size, k, stride, padding, expected",
    [(5, 3, 1, 0, 3), (5, 3, 1, 1, 5), (7, 3, 2, 0, 3), (8, 3, 2, 1, 4), (6, 2, 1, "same", 6),
     (6, 4, 1, "valid", 3), (32, 5, 3, 2, 11)],
)
def test_output_size_follows_the_formula(size, k, stride, padding, expected):
    assert output_size(size, k, stride, padding) == expected


def test_output_size_takes_pairs():
    assert output_size((10, 7), (3, 2), (2, 1), (1, 0)) == (5, 6)


# ------------------------------------------------------- one channel: correctness
SHAPES = [(7, 7), (9, 13), (16, 5)]
KERNEL_SHAPES = [(1, 1), (3, 3), (2, 4), (5, 3)]
STRIDES = [1, 2, (1, 3)]
PADDINGS = [0, 1, (2, 0), "valid"]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("kshape", KERNEL_SHAPES)
@pytest.mark.parametrize("stride", STRIDES)
@pytest.mark.parametrize("padding", PADDINGS)
def test_correlate2d_equals_naive_loop(shape, kshape, stride, padding):
    rng = _rng(1)
    image, kernel = rng.standard_normal(shape), rng.standard_normal(kshape)
    expected = correlate2d_naive(image, kernel, stride, padding)
    np.testing.assert_allclose(correlate2d(image, kernel, stride, padding), expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("kshape", KERNEL_SHAPES)
def test_correlate2d_matches_scipy_valid_and_full(shape, kshape):
    rng = _rng(2)
    image, kernel = rng.standard_normal(shape), rng.standard_normal(kshape)
    np.testing.assert_allclose(correlate2d(image, kernel), scipy.signal.correlate2d(image, kernel, "valid"), atol=1e-12)
    full = (kshape[0] - 1, kshape[1] - 1)
    np.testing.assert_allclose(correlate2d(image, kernel, padding=full),
                               scipy.signal.correlate2d(image, kernel, "full"), atol=1e-12)


@pytest.mark.parametrize("kshape", KERNEL_SHAPES)
def test_correlate2d_same_matches_scipy_same(kshape):
    rng = _rng(3)
    image, kernel = rng.standard_normal((9, 11)), rng.standard_normal(kshape)
    np.testing.assert_allclose(correlate2d(image, kernel, padding="same"),
                               scipy.signal.correlate2d(image, kernel, "same"), atol=1e-12)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("kshape", KERNEL_SHAPES)
def test_convolve2d_matches_scipy_valid_and_full(shape, kshape):
    rng = _rng(4)
    image, kernel = rng.standard_normal(shape), rng.standard_normal(kshape)
    np.testing.assert_allclose(convolve2d(image, kernel), scipy.signal.convolve2d(image, kernel, "valid"), atol=1e-12)
    full = (kshape[0] - 1, kshape[1] - 1)
    np.testing.assert_allclose(convolve2d(image, kernel, padding=full),
                               scipy.signal.convolve2d(image, kernel, "full"), atol=1e-12)


@pytest.mark.parametrize("kshape", [(1, 1), (3, 3), (5, 3)])
def test_convolve2d_same_matches_scipy_same_for_odd_kernels(kshape):
    rng = _rng(5)
    image, kernel = rng.standard_normal((10, 8)), rng.standard_normal(kshape)
    np.testing.assert_allclose(convolve2d(image, kernel, padding="same"),
                               scipy.signal.convolve2d(image, kernel, "same"), atol=1e-12)


def test_same_padding_with_even_kernel_puts_extra_zeros_bottom_right():
    image = np.arange(20.0).reshape(4, 5)
    kernel = np.array([[0.0, 0.0], [0.0, 1.0]])  # picks the pixel one down and one right
    out = correlate2d(image, kernel, padding="same")
    expected = np.zeros_like(image)
    expected[:-1, :-1] = image[1:, 1:]
    np.testing.assert_array_equal(out, expected)


@pytest.mark.parametrize("padding", [0, 1, "same", "valid"])
def test_same_padding_keeps_shape(padding):
    image = _rng(6).standard_normal((12, 9))
    out = correlate2d(image, np.ones((3, 3)), padding=padding)
    if padding in (1, "same"):
        assert out.shape == image.shape
    else:
        assert out.shape == (10, 7)


def test_correlate2d_small_example_by_hand():
    image = np.array([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    kernel = np.array([[1, 0], [0, -1]])
    np.testing.assert_array_equal(correlate2d(image, kernel), [[1 - 5, 2 - 6], [4 - 8, 5 - 9]])
    np.testing.assert_array_equal(convolve2d(image, kernel), [[5 - 1, 6 - 2], [8 - 4, 9 - 5]])


def test_stride_two_keeps_every_other_output():
    rng = _rng(7)
    image, kernel = rng.standard_normal((11, 10)), rng.standard_normal((3, 3))
    np.testing.assert_allclose(correlate2d(image, kernel, stride=2), correlate2d(image, kernel)[::2, ::2])


# ----------------------------------------------------------------- properties
@st.composite
def image_and_kernel(draw, min_side=1):
    h, w = draw(st.integers(3, 12)), draw(st.integers(3, 12))
    kh, kw = draw(st.integers(min_side, min(h, 4))), draw(st.integers(min_side, min(w, 4)))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    return rng.standard_normal((h, w)), rng.standard_normal((kh, kw)), rng


paddings = st.one_of(st.integers(0, 2), st.tuples(st.integers(0, 2), st.integers(0, 2)), st.sampled_from(["valid", "same"]))
strides = st.one_of(st.integers(1, 3), st.tuples(st.integers(1, 3), st.integers(1, 3)))


@PROPERTY
@given(image_and_kernel(), st.floats(-3, 3), st.floats(-3, 3), st.integers(0, 2))
def test_correlate2d_is_linear_in_the_image(data, a, b, padding):
    image, kernel, rng = data
    other = rng.standard_normal(image.shape)
    left = correlate2d(a * image + b * other, kernel, padding=padding)
    right = a * correlate2d(image, kernel, padding=padding) + b * correlate2d(other, kernel, padding=padding)
    np.testing.assert_allclose(left, right, rtol=1e-9, atol=1e-9)


@PROPERTY
@given(image_and_kernel(), st.floats(-3, 3), st.floats(-3, 3), strides)
def test_correlate2d_is_linear_in_the_kernel(data, a, b, stride):
    image, kernel, rng = data
    other = rng.standard_normal(kernel.shape)
    left = correlate2d(image, a * kernel + b * other, stride=stride)
    right = a * correlate2d(image, kernel, stride=stride) + b * correlate2d(image, other, stride=stride)
    np.testing.assert_allclose(left, right, rtol=1e-9, atol=1e-9)


@PROPERTY
@given(image_and_kernel(), st.integers(0, 3), st.integers(0, 3), st.integers(0, 2))
def test_shifting_the_image_shifts_the_map_away_from_borders(data, dy, dx, pad):
    image, kernel, _ = data
    (h, w), (kh, kw) = image.shape, kernel.shape
    assume(h - kh + 1 > dy and w - kw + 1 > dx)  # some outputs are far enough from the borders
    shifted = np.roll(image, (dy, dx), axis=(0, 1))
    out = correlate2d(image, kernel, padding=pad)
    out_shifted = correlate2d(shifted, kernel, padding=pad)
    # Outputs whose window sees neither padding nor wrapped-around pixels in either image.
    rows, cols = slice(pad + dy, h - kh + pad + 1), slice(pad + dx, w - kw + pad + 1)
    rows0, cols0 = slice(pad, h - kh + pad + 1 - dy), slice(pad, w - kw + pad + 1 - dx)
    np.testing.assert_allclose(out_shifted[rows, cols], out[rows0, cols0], rtol=1e-12, atol=1e-12)


@PROPERTY
@given(image_and_kernel(), strides, paddings)
def test_convolution_is_correlation_with_flipped_kernel(data, stride, padding):
    image, kernel, _ = data
    if padding == "same":
        stride = 1
    np.testing.assert_array_equal(convolve2d(image, kernel, stride, padding),
                                  correlate2d(image, kernel[::-1, ::-1], stride, padding))


@PROPERTY
@given(image_and_kernel(), strides, paddings)
def test_output_size_equals_actual_shape(data, stride, padding):
    image, kernel, _ = data
    if padding == "same":
        stride = 1
    out = correlate2d(image, kernel, stride, padding)
    assert out.shape == output_size(image.shape, kernel.shape, stride, padding)
    assert out.shape[0] == output_size(image.shape[0], kernel.shape[0],
                                       stride if isinstance(stride, int) else stride[0],
                                       padding if not isinstance(padding, tuple) else padding[0])


# ----------------------------------------------------------------- batched conv2d
CONV_CASES = [  # (x shape, weight shape, stride, padding)
    ((2, 3, 8, 7), (4, 3, 3, 3), 1, 0),
    ((2, 3, 8, 7), (4, 3, 3, 3), 1, 1),
    ((1, 2, 9, 10), (3, 2, 2, 4), 2, (1, 2)),
    ((3, 1, 6, 6), (2, 1, 1, 1), (2, 1), 0),
    ((2, 4, 7, 9), (5, 4, 3, 2), 1, "same"),
    ((2, 2, 5, 5), (1, 2, 5, 5), 1, "valid"),
]


@pytest.mark.parametrize("xshape, wshape, stride, padding", CONV_CASES)
def test_conv2d_equals_per_channel_naive_loop(xshape, wshape, stride, padding):
    rng = _rng(10)
    x, weight, bias = rng.standard_normal(xshape), rng.standard_normal(wshape), rng.standard_normal(wshape[0])
    np.testing.assert_allclose(conv2d(x, weight, bias, stride, padding),
                               _conv2d_by_loops(x, weight, bias, stride, padding), rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("xshape, wshape, stride, padding", CONV_CASES)
def test_conv2d_naive_equals_the_per_channel_correlate2d_naive_and_the_fast_conv2d(xshape, wshape, stride, padding):
    rng = _rng(20)
    x, weight, bias = rng.standard_normal(xshape), rng.standard_normal(wshape), rng.standard_normal(wshape[0])
    naive = conv2d_naive(x, weight, bias, stride, padding)
    np.testing.assert_allclose(naive, _conv2d_by_loops(x, weight, bias, stride, padding), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(conv2d(x, weight, bias, stride, padding), naive, rtol=1e-10, atol=1e-10)
    np.testing.assert_array_equal(conv2d_naive(x, weight, None, stride, padding) + bias[:, None, None], naive)


@pytest.mark.parametrize("xshape, wshape, stride, padding", CONV_CASES)
def test_conv2d_backward_naive_gives_the_numbers_of_the_fast_backward(xshape, wshape, stride, padding):
    rng = _rng(21)
    x, weight = rng.standard_normal(xshape), rng.standard_normal(wshape)
    dout = rng.standard_normal(conv2d(x, weight, None, stride, padding).shape)
    naive = conv2d_backward_naive(dout, x, weight, stride, padding)
    fast = conv2d_backward(dout, x, weight, stride, padding)
    for name, a, b in zip(("dx", "dweight", "dbias"), naive, fast):
        assert a.shape == b.shape and a.dtype == b.dtype, name
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-10, err_msg=name)


@pytest.mark.parametrize("xshape, wshape, stride, padding", CONV_CASES[1:4])
def test_conv2d_backward_naive_matches_numerical_gradients(xshape, wshape, stride, padding):
    rng = _rng(22)
    x, weight = rng.standard_normal(xshape), rng.standard_normal(wshape)
    dout = rng.standard_normal(conv2d_naive(x, weight, None, stride, padding).shape)

    def loss():
        return np.sum(conv2d_naive(x, weight, None, stride, padding) * dout)

    dx, dweight, _ = conv2d_backward_naive(dout, x, weight, stride, padding)
    for analytic, param in [(dx, x), (dweight, weight)]:
        numeric = _numerical_gradient(loss, param)
        assert np.linalg.norm(analytic - numeric) / np.linalg.norm(analytic + numeric) < 1e-8


@st.composite
def conv_problem(draw):
    n, c, f = draw(st.integers(1, 2)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    kh, kw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    padding = (draw(st.integers(0, 2)), draw(st.integers(0, 2)))
    h = draw(st.integers(max(1, kh - 2 * padding[0]), 9))
    w = draw(st.integers(max(1, kw - 2 * padding[1]), 9))
    seed = draw(st.integers(0, 2**16))
    return (n, c, h, w), (f, c, kh, kw), stride, padding, seed


@PROPERTY
@given(conv_problem())
def test_naive_and_fast_conv2d_agree_forward_and_backward_on_random_problems(problem):
    xshape, wshape, stride, padding, seed = problem
    rng = _rng(seed)
    x, weight, bias = rng.standard_normal(xshape), rng.standard_normal(wshape), rng.standard_normal(wshape[0])
    out = conv2d_naive(x, weight, bias, stride, padding)
    np.testing.assert_allclose(conv2d(x, weight, bias, stride, padding), out, rtol=1e-10, atol=1e-10)
    dout = rng.standard_normal(out.shape)
    for a, b in zip(conv2d_backward_naive(dout, x, weight, stride, padding),
                    conv2d_backward(dout, x, weight, stride, padding)):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-10)


def test_conv2d_without_bias_equals_zero_bias():
    rng = _rng(11)
    x, weight = rng.standard_normal((2, 3, 6, 6)), rng.standard_normal((2, 3, 3, 3))
    np.testing.assert_array_equal(conv2d(x, weight), conv2d(x, weight, np.zeros(2)))


@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel")
@pytest.mark.parametrize("xshape, wshape, stride, padding", CONV_CASES)
@pytest.mark.parametrize("dtype, tol", [(np.float64, 1e-10), (np.float32, 1e-4)])
def test_conv2d_and_backward_match_torch(xshape, wshape, stride, padding, dtype, tol):
    torch = pytest.importorskip("torch")
    rng = _rng(12)
    x = rng.standard_normal(xshape).astype(dtype)
    weight = rng.standard_normal(wshape).astype(dtype)
    bias = rng.standard_normal(wshape[0]).astype(dtype)
    tx, tw, tb = (torch.tensor(a, requires_grad=True) for a in (x, weight, bias))
    tout = torch.nn.functional.conv2d(tx, tw, tb, stride=stride, padding=padding)
    out = conv2d(x, weight, bias, stride, padding)
    assert out.dtype == dtype
    np.testing.assert_allclose(out, tout.detach().numpy(), rtol=tol, atol=tol)
    dout = rng.standard_normal(out.shape).astype(dtype)
    tout.backward(torch.tensor(dout))
    dx, dweight, dbias = conv2d_backward(dout, x, weight, stride, padding)
    for ours, theirs in [(dx, tx.grad), (dweight, tw.grad), (dbias, tb.grad)]:
        assert ours.dtype == dtype
        np.testing.assert_allclose(ours, theirs.numpy(), rtol=tol, atol=tol)


@pytest.mark.parametrize("xshape, wshape, stride, padding", CONV_CASES[:5])
def test_conv2d_backward_matches_numerical_gradients(xshape, wshape, stride, padding):
    rng = _rng(13)
    x, weight, bias = rng.standard_normal(xshape), rng.standard_normal(wshape), rng.standard_normal(wshape[0])
    dout = rng.standard_normal(conv2d(x, weight, bias, stride, padding).shape)

    def loss():
        return np.sum(conv2d(x, weight, bias, stride, padding) * dout)

    dx, dweight, dbias = conv2d_backward(dout, x, weight, stride, padding)
    for analytic, param in [(dx, x), (dweight, weight), (dbias, bias)]:
        numeric = _numerical_gradient(loss, param)
        error = np.linalg.norm(analytic - numeric) / np.linalg.norm(analytic + numeric)
        assert error < 1e-8, error


@pytest.mark.parametrize("chunk_bytes", [1, 3000, 20000, 10**9])
@pytest.mark.parametrize("stride, padding", [(1, 1), (2, 1), ((1, 2), 0)])
def test_conv2d_gives_the_same_answer_however_the_batch_is_chunked(monkeypatch, chunk_bytes, stride, padding):
    rng = _rng(15)
    x, weight, bias = rng.standard_normal((7, 2, 6, 5)), rng.standard_normal((3, 2, 3, 3)), rng.standard_normal(3)
    dout = rng.standard_normal(conv2d(x, weight, bias, stride, padding).shape)
    expected_out = _conv2d_by_loops(x, weight, bias, stride, padding)
    expected_grads = conv2d_backward(dout, x, weight, stride, padding)
    monkeypatch.setattr(conv, "_CHUNK_BYTES", chunk_bytes)  # 1: an image per chunk; 3000, 20000: uneven
    np.testing.assert_allclose(conv2d(x, weight, bias, stride, padding), expected_out, rtol=1e-10, atol=1e-10)
    for ours, expected in zip(conv2d_backward(dout, x, weight, stride, padding), expected_grads):
        np.testing.assert_allclose(ours, expected, rtol=1e-10, atol=1e-10)


def test_conv2d_backward_shapes_follow_inputs():
    rng = _rng(14)
    x, weight = rng.standard_normal((2, 3, 9, 8)), rng.standard_normal((5, 3, 3, 2))
    dout = rng.standard_normal(conv2d(x, weight, stride=2, padding=1).shape)
    dx, dweight, dbias = conv2d_backward(dout, x, weight, stride=2, padding=1)
    assert dx.shape == x.shape and dweight.shape == weight.shape and dbias.shape == (5,)


# ----------------------------------------------------------------- pooling, relu
POOL_CASES = [(2, None), (3, 2), ((2, 3), (1, 2)), (3, 1), (2, 1)]


@pytest.mark.parametrize("size, stride", POOL_CASES)
def test_max_pool2d_and_backward_match_torch(size, stride):
    torch = pytest.importorskip("torch")
    rng = _rng(20)
    x = rng.standard_normal((2, 3, 9, 8))
    x[0, 0, :3, :3] = 5.0  # a plateau: ties go to the first maximum, as in torch
    x[1, 2] = np.round(x[1, 2])  # many more ties
    tx = torch.tensor(x, requires_grad=True)
    tout = torch.nn.functional.max_pool2d(tx, size, stride)
    np.testing.assert_array_equal(max_pool2d(x, size, stride), tout.detach().numpy())
    dout = rng.standard_normal(tout.shape)
    tout.backward(torch.tensor(dout))
    np.testing.assert_allclose(max_pool2d_backward(dout, x, size, stride), tx.grad.numpy(), atol=1e-12)


@PROPERTY
@given(st.integers(1, 4), st.integers(1, 3), st.integers(1, 3), st.integers(4, 9), st.integers(4, 9),
       st.booleans(), st.integers(0, 2**16))
def test_max_pool2d_backward_naive_gives_the_numbers_of_the_fast_one(kh, kw, s, h, w, ties, seed):
    rng = _rng(seed)
    x = rng.standard_normal((2, 2, h, w))
    if ties:  # few distinct values: many windows hold their maximum twice
        x = np.round(x)
    dout = rng.standard_normal(max_pool2d(x, (kh, kw), s).shape)
    np.testing.assert_allclose(max_pool2d_backward_naive(dout, x, (kh, kw), s),
                               max_pool2d_backward(dout, x, (kh, kw), s), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("shape", [(5, 6), (3, 5, 6)])
def test_max_pool2d_backward_naive_routes_ties_and_nan_like_the_fast_one(shape):
    x = np.zeros(shape)
    x[..., 0, 1] = np.nan  # a NaN is the window's maximum
    dout = np.arange(1.0, 1 + max_pool2d(x).size).reshape(max_pool2d(x).shape)
    naive = max_pool2d_backward_naive(dout, x)
    np.testing.assert_array_equal(naive, max_pool2d_backward(dout, x))
    np.testing.assert_array_equal(naive[..., 0, 1], dout[..., 0, 0])  # the NaN took it
    np.testing.assert_array_equal(naive[..., 2, 0], dout[..., 1, 0])  # a tie of zeros: the first


def test_naive_functions_check_their_arguments_like_the_fast_ones():
    with pytest.raises(ValueError, match="weight expects 4 input channels .* but x has 3"):
        conv2d_naive(np.ones((1, 3, 5, 5)), np.ones((2, 4, 3, 3)))
    with pytest.raises(ValueError, match=r"dout must have shape \(1, 2, 3, 3\)"):
        conv2d_backward_naive(np.ones((1, 2, 4, 4)), np.ones((1, 1, 5, 5)), np.ones((2, 1, 3, 3)))
    with pytest.raises(ValueError, match=r"dout must have shape \(2, 2\), got \(3, 3\)"):
        max_pool2d_backward_naive(np.ones((3, 3)), np.ones((4, 4)))


def test_max_pool2d_by_hand_on_one_channel():
    x = np.array([[1, 2, 0, 0], [3, 4, 0, 9], [5, 0, 1, 1], [0, 0, 1, 2]])
    np.testing.assert_array_equal(max_pool2d(x), [[4, 9], [5, 2]])
    dx = max_pool2d_backward(np.array([[1.0, 2.0], [3.0, 4.0]]), x)
    np.testing.assert_array_equal(dx, [[0, 0, 0, 0], [0, 1, 0, 2], [3, 0, 0, 0], [0, 0, 0, 4]])


@pytest.mark.parametrize("shape", [(8, 6), (3, 8, 6), (2, 3, 8, 6)])
def test_max_pool2d_acts_on_the_last_two_axes(shape):
    x = _rng(21).standard_normal(shape)
    out = max_pool2d(x, 2)
    assert out.shape == shape[:-2] + (4, 3)
    np.testing.assert_array_equal(out, x.reshape(shape[:-2] + (4, 2, 3, 2)).max(axis=(-3, -1)))


def test_max_pool2d_drops_incomplete_windows():
    assert max_pool2d(np.ones((7, 5)), 2).shape == (3, 2)


def test_relu_and_backward():
    x = np.array([[-2.0, 0.0, 3.0]])
    np.testing.assert_array_equal(relu(x), [[0, 0, 3]])
    np.testing.assert_array_equal(relu_backward(np.array([[5.0, 6.0, 7.0]]), x), [[0, 0, 7]])


# ----------------------------------------------------------------- dtypes and NaN
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_float_dtype_is_preserved(dtype):
    rng = _rng(30)
    image = rng.standard_normal((6, 6)).astype(dtype)
    kernel = rng.standard_normal((3, 3))  # float64 kernel: the image's dtype wins
    x = rng.standard_normal((1, 2, 6, 6)).astype(dtype)
    assert correlate2d(image, kernel).dtype == dtype
    assert convolve2d(image, kernel).dtype == dtype
    assert correlate2d_naive(image, kernel).dtype == dtype
    assert conv2d(x, rng.standard_normal((3, 2, 3, 3))).dtype == dtype
    assert max_pool2d(x).dtype == dtype
    assert relu(x).dtype == dtype
    assert max_pool2d_backward(np.ones((1, 2, 3, 3)), x).dtype == dtype


@pytest.mark.parametrize("dtype", [np.uint8, np.int32, np.int64, bool])
def test_integer_images_become_float64_without_clipping(dtype):
    image = np.full((5, 5), 255 if dtype is not bool else 1).astype(dtype)
    vertical = np.array([[0, 1, 0]] * 3, dtype=dtype)
    out = correlate2d(image, vertical)
    assert out.dtype == np.float64
    expected = 3.0 * (255 if dtype is not bool else 1)
    np.testing.assert_array_equal(out, np.full((3, 3), expected))
    assert conv2d(image[None, None], vertical[None, None]).dtype == np.float64
    assert relu(image).dtype == np.float64


def test_negative_results_survive_for_uint8_images():
    image = np.zeros((5, 5), dtype=np.uint8)
    image[:, 2] = 200
    out = correlate2d(image, [[-1, 2, -1]] * 3)
    assert out.min() < 0 and out.max() == 3 * 400


def test_nan_propagates_only_to_the_outputs_that_see_it():
    image = np.ones((7, 7))
    image[3, 3] = np.nan
    for out in (correlate2d(image, np.ones((3, 3))), correlate2d_naive(image, np.ones((3, 3)))):
        nan = np.isnan(out)
        assert nan[1:4, 1:4].all() and nan.sum() == 9
    out = conv2d(image[None, None], np.zeros((1, 1, 3, 3)))  # even a zero weight: NaN * 0 is NaN
    assert np.isnan(out).sum() == 9
    pooled = max_pool2d(image)
    assert np.isnan(pooled[1, 1]) and np.isnan(pooled).sum() == 1
    assert np.isnan(relu(image)[3, 3])
    dx = max_pool2d_backward(np.ones((3, 3)), image)
    assert dx[3, 3] == 1 and dx.sum() == 9


# ----------------------------------------------------------------- bad input
@pytest.mark.parametrize("func", [correlate2d, convolve2d, correlate2d_naive])
@pytest.mark.parametrize(
    "image, kernel, kwargs, error, match",
    [
        (np.ones((2, 5, 5)), np.ones((3, 3)), {}, ValueError, r"image must have 2 dimensions, got shape \(2, 5, 5\)"),
        (np.ones(5), np.ones((3, 3)), {}, ValueError, "image must have 2 dimensions"),
        (np.ones((5, 5)), np.ones(3), {}, ValueError, r"kernel must have 2 dimensions, got shape \(3,\)"),
        (np.ones((3, 4)), np.ones((5, 5)), {}, ValueError, "kernel 5x5 is larger than the padded image 3x4"),
        (np.ones((3, 4)), np.ones((6, 3)), {"padding": 1}, ValueError, "kernel 6x3 is larger than the padded image 5x6"),
        (np.ones((5, 5)), np.ones((3, 3)), {"stride": 0}, ValueError, "stride must be at least 1, got 0"),
        (np.ones((5, 5)), np.ones((3, 3)), {"stride": (1, -1)}, ValueError, r"stride must be at least 1, got \(1, -1\)"),
        (np.ones((5, 5)), np.ones((3, 3)), {"stride": 1.5}, TypeError, "stride must be an int or a pair of ints, got 1.5"),
        (np.ones((5, 5)), np.ones((3, 3)), {"stride": "2"}, TypeError, "stride must be an int"),
        (np.ones((5, 5)), np.ones((3, 3)), {"stride": (1, 2, 3)}, ValueError, "stride must be an int or a pair"),
        (np.ones((5, 5)), np.ones((3, 3)), {"padding": -1}, ValueError, "padding must be at least 0, got -1"),
        (np.ones((5, 5)), np.ones((3, 3)), {"padding": "full"}, ValueError, "padding must be an int, a pair, 'valid' or 'same', got 'full'"),
        (np.ones((5, 5)), np.ones((3, 3)), {"padding": 0.5}, TypeError, "padding must be an int"),
        (np.ones((5, 5)), np.ones((3, 3)), {"padding": "same", "stride": 2}, ValueError, "padding='same' needs stride 1"),
        (np.array([["a", "b"], ["c", "d"]]), np.ones((1, 1)), {}, TypeError, "image must be a real numeric array, got dtype <U1"),
        (np.ones((5, 5)), np.array([[None]]), {}, TypeError, "kernel must be a real numeric array, got dtype object"),
        (np.ones((5, 5), dtype=complex), np.ones((3, 3)), {}, TypeError, "image must be real, got complex dtype complex128"),
        (np.ones((0, 5)), np.ones((1, 1)), {}, ValueError, r"image is empty: shape \(0, 5\)"),
        ([[1, 2], [3]], np.ones((1, 1)), {}, TypeError, "image must be a numeric array"),
    ],
)
def test_one_channel_bad_input_is_named(func, image, kernel, kwargs, error, match):
    with pytest.raises(error, match=match):
        func(image, kernel, **kwargs)


@pytest.mark.parametrize(
    "x, weight, kwargs, error, match",
    [
        (np.ones((3, 5, 5)), np.ones((1, 3, 3, 3)), {}, ValueError, r"x must have 4 dimensions, got shape \(3, 5, 5\)"),
        (np.ones((1, 3, 5, 5)), np.ones((3, 3, 3)), {}, ValueError, "weight must have 4 dimensions"),
        (np.ones((1, 3, 5, 5)), np.ones((2, 4, 3, 3)), {}, ValueError, "weight expects 4 input channels .* but x has 3"),
        (np.ones((1, 1, 2, 2)), np.ones((1, 1, 3, 3)), {}, ValueError, "kernel 3x3 is larger than the padded image 2x2"),
        (np.ones((1, 1, 5, 5)), np.ones((1, 1, 3, 3)), {"stride": 0}, ValueError, "stride must be at least 1"),
        (np.ones((1, 1, 5, 5)), np.ones((1, 1, 3, 3)), {"padding": (0, -2)}, ValueError, "padding must be at least 0"),
        (np.ones((1, 1, 5, 5)), np.ones((1, 1, 3, 3)), {"padding": "half"}, ValueError, "'valid' or 'same', got 'half'"),
        (np.ones((1, 1, 5, 5)), np.ones((1, 1, 3, 3)), {"bias": np.ones(2)}, ValueError, r"bias must have shape \(1,\)"),
        (np.full((1, 1, 5, 5), "x"), np.ones((1, 1, 3, 3)), {}, TypeError, "x must be a real numeric array"),
    ],
)
def test_conv2d_bad_input_is_named(x, weight, kwargs, error, match):
    with pytest.raises(error, match=match):
        conv2d(x, weight, **kwargs)
    if "bias" not in kwargs:  # conv2d_backward checks x, weight, stride and padding the same way
        with pytest.raises(error, match=match):
            conv2d_backward(np.ones((1, 1, 3, 3)), x, weight, **kwargs)


def test_conv2d_backward_rejects_wrong_dout_shape():
    with pytest.raises(ValueError, match=r"dout must have shape \(1, 2, 3, 3\) .* got \(1, 2, 4, 4\)"):
        conv2d_backward(np.ones((1, 2, 4, 4)), np.ones((1, 1, 5, 5)), np.ones((2, 1, 3, 3)))


@pytest.mark.parametrize(
    "x, kwargs, error, match",
    [
        (np.ones(5), {}, ValueError, r"x must have 2 or 3 or 4 dimensions, got shape \(5,\)"),
        (np.ones((1, 1, 1, 3, 3)), {}, ValueError, "x must have 2 or 3 or 4 dimensions"),
        (np.ones((3, 3)), {"size": 4}, ValueError, "pooling window 4x4 is larger than the image 3x3"),
        (np.ones((4, 4)), {"size": 0}, ValueError, "size must be at least 1, got 0"),
        (np.ones((4, 4)), {"stride": 0}, ValueError, "stride must be at least 1, got 0"),
        (np.ones((4, 4)), {"size": 2.0}, TypeError, "size must be an int or a pair of ints, got 2.0"),
        (np.array([[object()]]), {}, TypeError, "x must be a real numeric array"),
    ],
)
def test_max_pool2d_bad_input_is_named(x, kwargs, error, match):
    with pytest.raises(error, match=match):
        max_pool2d(x, **kwargs)


def test_max_pool2d_backward_rejects_wrong_dout_shape():
    with pytest.raises(ValueError, match=r"dout must have shape \(2, 2\), got \(3, 3\)"):
        max_pool2d_backward(np.ones((3, 3)), np.ones((4, 4)))


def test_relu_rejects_non_numeric_and_mismatched_dout():
    with pytest.raises(TypeError, match="x must be a real numeric array"):
        relu(np.array(["a"]))
    with pytest.raises(ValueError, match=r"dout must have the shape of x \(3,\), got \(2,\)"):
        relu_backward(np.ones(2), np.ones(3))


@pytest.mark.parametrize(
    "args, error, match",
    [
        ((5, 7), ValueError, "kernel 7x7 is larger than the padded image 5x5"),
        ((5, 3, 0), ValueError, "stride must be at least 1"),
        ((5, 3, 1, -1), ValueError, "padding must be at least 0"),
        ((5.5, 3), TypeError, "input_size must be an int or a pair of ints, got 5.5"),
        ((0, 3), ValueError, "input_size must be at least 1, got 0"),
    ],
)
def test_output_size_bad_input_is_named(args, error, match):
    with pytest.raises(error, match=match):
        output_size(*args)


def test_module_lists_its_public_names():
    for name in ["output_size", "correlate2d", "convolve2d", "correlate2d_naive", "conv2d",
                 "conv2d_backward", "max_pool2d", "relu", "conv2d_naive", "conv2d_backward_naive",
                 "max_pool2d_backward_naive"]:
        assert name in conv.__all__ and callable(getattr(conv, name))
