import re

import numpy as np
import pytest

from cnnlib.gradcheck import check_gradients
from cnnlib.layers import Conv2D, Dense, Flatten, MaxPool2D, ReLU, Sequential
from cnnlib.losses import softmax_cross_entropy


def _x(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


def reference_cnn(rng=0):
    return Sequential(
        Conv2D(3, 16, 3, padding=1, rng=rng), ReLU(), MaxPool2D(2),
        Conv2D(16, 32, 3, padding=1, rng=rng + 1), ReLU(), MaxPool2D(2),
        Flatten(), Dense(32 * 16 * 16, 2, rng=rng + 2),
    )


# --------------------------------------------------------------------------- gradients
@pytest.mark.parametrize("kwargs, shape", [
    (dict(kernel_size=3), (2, 2, 5, 5)),
    (dict(kernel_size=3, padding=1), (2, 2, 5, 6)),
    (dict(kernel_size=3, stride=2, padding=1), (1, 2, 7, 7)),
    (dict(kernel_size=(2, 3), padding="same"), (2, 2, 4, 5)),
    (dict(kernel_size=1), (2, 2, 3, 3)),
    (dict(kernel_size=3, bias=False), (2, 2, 4, 4)),
])
def test_conv2d_gradients_match_central_differences(kwargs, shape):
    layer = Conv2D(shape[1], 3, rng=1, **kwargs).astype(np.float64)
    errors = check_gradients(layer, _x(shape))
    assert max(errors.values()) < 1e-6, errors


@pytest.mark.parametrize("layer, shape", [
    (ReLU(), (2, 3, 4, 4)),
    (MaxPool2D(2), (2, 2, 4, 4)),
    (MaxPool2D(2), (1, 2, 5, 7)),
    (MaxPool2D(3, stride=2), (1, 2, 7, 7)),
    (Flatten(), (2, 3, 2, 2)),
    (Dense(6, 4, rng=0), (5, 6)),
    (Dense(6, 4, bias=False, rng=0), (5, 6)),
])
def test_layer_gradients_match_central_differences(layer, shape):
    errors = check_gradients(layer.astype(np.float64), _x(shape, seed=3))
    assert max(errors.values()) < 1e-6, errors


@pytest.mark.parametrize("fuse", [True, False])
def test_sequential_gradients_match_central_differences(fuse):
    model = Sequential(
        Conv2D(2, 3, 3, padding=1, rng=0), ReLU(), MaxPool2D(2),
        Conv2D(3, 4, 3, rng=1), ReLU(), Flatten(), Dense(16, 3, rng=2), fuse=fuse,
    ).astype(np.float64)
    x = _x((3, 2, 8, 8), seed=5)
    errors = check_gradients(model, x, np.array([0, 2, 1]), softmax_cross_entropy)
    assert max(errors.values()) < 1e-6, errors
    errors = check_gradients(model, x)
    assert max(errors.values()) < 1e-6, errors


# --------------------------------------------------------------------------- plain path by default
def _spy(model, calls):
    """Record, on each layer of ``model``, every call of its forward and backward."""
    for i, layer in enumerate(model.layers):
        for method in ("forward", "backward"):
            def spy(*args, _real=getattr(layer, method), _key=(i, method), **kwargs):
                calls[_key] = calls.get(_key, 0) + 1
                return _real(*args, **kwargs)
            setattr(layer, method, spy)


def _bars(n=16, seed=0):
    """Images of one bar, vertical (label 0) or horizontal (label 1)."""
    rng = np.random.default_rng(seed)
    X = 0.1 * rng.standard_normal((n, 3, 12, 12)).astype(np.float32)
    y = np.arange(n) % 2
    for k in range(n):
        at = rng.integers(2, 10)
        if y[k]:
            X[k, :, at, :] += 1
        else:
            X[k, :, :, at] += 1
    return X, y


def _small_cnn(**kwargs):
    return Sequential(
        Conv2D(3, 4, 3, padding=1, rng=0), ReLU(), MaxPool2D(2),
        Conv2D(4, 4, 3, padding=1, rng=1), ReLU(), MaxPool2D(2),
        Flatten(), Dense(4 * 3 * 3, 2, rng=2), **kwargs)


def test_fit_with_default_settings_calls_every_layers_own_forward_and_backward():
    from cnnlib.optim import SGD
    from cnnlib.train import fit
    model, calls = _small_cnn(), {}
    assert model.fuse is False
    _spy(model, calls)
    X, y = _bars()
    fit(model, X, y, num_epochs=2, batch_size=8, optimizer=SGD(lr=0.05), progress=False)
    missing = [(i, m) for i in range(len(model)) for m in ("forward", "backward") if calls.get((i, m), 0) < 4]
    assert not missing, f"not called once per step: {missing}, calls {calls}"


def test_fuse_true_bypasses_the_conv_layers_own_methods():
    model, calls = _small_cnn(fuse=True), {}
    _spy(model, calls)
    out = model.forward(_bars()[0])
    model.backward(np.ones_like(out))
    assert (0, "forward") not in calls and (3, "backward") not in calls
    assert calls[(7, "forward")] == 1 and calls[(7, "backward")] == 1


def test_training_with_fuse_true_ends_with_the_weights_of_the_plain_path():
    from cnnlib.optim import Adam
    from cnnlib.train import fit
    X, y = _bars(24, seed=3)
    models = {fuse: _small_cnn(fuse=fuse).astype(np.float64) for fuse in (False, True)}
    histories = {fuse: fit(model, X, y, num_epochs=3, batch_size=8, optimizer=Adam(lr=0.01),
                           progress=False) for fuse, model in models.items()}
    np.testing.assert_allclose(histories[True].loss, histories[False].loss, rtol=1e-10)
    for name, value in models[False].params.items():
        np.testing.assert_allclose(models[True].params[name], value, rtol=1e-9, atol=1e-12, err_msg=name)


# --------------------------------------------------------------------------- fast path
FUSE_CASES = [
    # (conv kwargs, input shape, layers after the conv)
    (dict(padding=1), (2, 3, 8, 8), "relu pool"),
    (dict(padding=0), (2, 3, 9, 7), "relu pool"),
    (dict(padding=1, stride=2), (2, 3, 11, 11), "relu pool"),
    (dict(padding="same", bias=False), (1, 3, 6, 6), "relu pool"),
    (dict(padding=1), (2, 3, 6, 6), "relu"),
    (dict(padding=1), (2, 3, 6, 6), ""),
    (dict(padding=1), (2, 3, 8, 8), "relu pool3"),
]


def _fuse_model(kwargs, tail, fuse):
    layers = [Conv2D(3, 4, 3, rng=0, **kwargs)]
    layers += {"relu pool": [ReLU(), MaxPool2D(2)], "relu": [ReLU()], "": [],
               "relu pool3": [ReLU(), MaxPool2D(3, stride=2)]}[tail]
    layers += [Conv2D(4, 2, 1, rng=1), ReLU(), Flatten()]
    return Sequential(*layers, fuse=fuse)


@pytest.mark.parametrize("kwargs, shape, tail", FUSE_CASES)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_fast_path_gives_the_numbers_of_the_layers_one_by_one(kwargs, shape, tail, dtype):
    x = _x(shape, seed=2).astype(dtype)
    plain = _fuse_model(kwargs, tail, fuse=False).astype(dtype)
    fast = _fuse_model(kwargs, tail, fuse=True).astype(dtype)
    out_plain, out_fast = plain.forward(x), fast.forward(x)
    assert out_fast.dtype == dtype and out_fast.shape == out_plain.shape
    tol = dict(rtol=1e-5, atol=1e-5) if dtype == np.float32 else dict(rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(out_fast, out_plain, **tol)
    dout = _x(out_plain.shape, seed=4).astype(dtype)
    np.testing.assert_allclose(fast.backward(dout), plain.backward(dout), **tol)
    for name, grad in plain.grads.items():
        np.testing.assert_allclose(fast.grads[name], grad, **tol, err_msg=name)


def test_fast_path_routes_ties_to_the_first_maximum_like_the_layers():
    x = np.ones((2, 3, 6, 6))  # a flat image: every pooling window is a tie
    x[0, :, 2:4, 2:4] = 2.0
    plain = _fuse_model(dict(padding=1), "relu pool", fuse=False).astype(np.float64)
    fast = _fuse_model(dict(padding=1), "relu pool", fuse=True).astype(np.float64)
    for model in (plain, fast):
        model[0].params["bias"][:] = [0.5, -0.5, 0.1, 0.0]
    dout = _x(plain.forward(x).shape, seed=1)
    fast.forward(x)
    np.testing.assert_allclose(fast.backward(dout), plain.backward(dout), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(fast.grads["0.weight"], plain.grads["0.weight"], rtol=1e-12, atol=1e-12)


def test_backward_without_input_grad_skips_it_and_keeps_the_parameter_grads():
    model = reference_cnn()
    x = _x((2, 3, 64, 64)).astype(np.float32)
    dout = _x((2, 2), seed=1).astype(np.float32)
    model.forward(x)
    assert model.backward(dout).shape == x.shape
    grads = {k: v.copy() for k, v in model.grads.items()}
    model.forward(x)
    assert model.backward(dout, input_grad=False) is None
    for name, grad in grads.items():
        np.testing.assert_array_equal(model.grads[name], grad)


# --------------------------------------------------------------------------- torch
def test_reference_cnn_matches_torch_forward_and_gradients():
    torch = pytest.importorskip("torch")
    model = reference_cnn().astype(np.float64)
    x = _x((2, 3, 64, 64), seed=7)
    y = np.array([1, 0])
    net = torch.nn.Sequential(
        torch.nn.Conv2d(3, 16, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(16, 32, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Flatten(), torch.nn.Linear(32 * 16 * 16, 2),
    ).double()
    with torch.no_grad():
        for i in (0, 3, 7):
            net[i].weight.copy_(torch.tensor(model[i].params["weight"]))
            net[i].bias.copy_(torch.tensor(model[i].params["bias"] + 0.01 * (i + 1)))
            model[i].params["bias"] += 0.01 * (i + 1)
    tx = torch.tensor(x, requires_grad=True)
    expected = net(tx)
    torch.nn.functional.cross_entropy(expected, torch.tensor(y)).backward()
    out = model.forward(x)
    np.testing.assert_allclose(out, expected.detach().numpy(), rtol=1e-10, atol=1e-12)
    dx = model.backward(softmax_cross_entropy(out, y)[1])
    np.testing.assert_allclose(dx, tx.grad.numpy(), rtol=1e-8, atol=1e-14)
    for i in (0, 3, 7):
        np.testing.assert_allclose(model.grads[f"{i}.weight"], net[i].weight.grad.numpy(), rtol=1e-8, atol=1e-14)
        np.testing.assert_allclose(model.grads[f"{i}.bias"], net[i].bias.grad.numpy(), rtol=1e-8, atol=1e-14)


def test_strided_conv_and_overlapping_pool_match_torch():
    torch = pytest.importorskip("torch")
    conv = Conv2D(2, 3, (3, 2), stride=2, padding=(1, 0), rng=0).astype(np.float64)
    pool = MaxPool2D(3, stride=2)
    x = _x((2, 2, 11, 10), seed=8)
    tx = torch.tensor(x, requires_grad=True)
    tw = torch.tensor(conv.params["weight"], requires_grad=True)
    expected = torch.nn.functional.max_pool2d(
        torch.nn.functional.conv2d(tx, tw, stride=2, padding=(1, 0)), 3, stride=2)
    out = pool.forward(conv.forward(x))
    np.testing.assert_allclose(out, expected.detach().numpy(), rtol=1e-12, atol=1e-12)
    dout = _x(out.shape, seed=9)
    expected.backward(torch.tensor(dout))
    dx = conv.backward(pool.backward(dout))
    np.testing.assert_allclose(dx, tx.grad.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(conv.grads["weight"], tw.grad.numpy(), rtol=1e-10, atol=1e-12)


# --------------------------------------------------------------------------- params, init, dtype
def test_sequential_params_are_the_layers_own_arrays_with_unique_names():
    model = reference_cnn()
    assert list(model.params) == ["0.weight", "0.bias", "3.weight", "3.bias", "7.weight", "7.bias"]
    assert model.params["3.weight"] is model[3].params["weight"]
    model.forward(_x((1, 3, 64, 64)))
    model.backward(np.ones((1, 2), dtype=np.float32))
    assert model.grads["7.bias"] is model[7].grads["bias"]
    assert model.num_params == 448 + 4640 + 16386


@pytest.mark.parametrize("layer, fan_in", [
    (Conv2D(16, 64, 3, rng=0), 16 * 9),
    (Conv2D(4, 32, (5, 3), rng=1), 4 * 15),
    (Dense(400, 100, rng=2), 400),
])
def test_weights_are_he_initialised(layer, fan_in):
    weight = layer.params["weight"]
    assert weight.dtype == np.float32
    assert weight.std() == pytest.approx(np.sqrt(2 / fan_in), rel=0.05)
    assert abs(weight.mean()) < 0.1 * np.sqrt(2 / fan_in)
    assert not layer.params["bias"].any()


def test_same_rng_seed_gives_the_same_weights():
    a, b, c = Conv2D(3, 8, 3, rng=5), Conv2D(3, 8, 3, rng=np.random.default_rng(5)), Conv2D(3, 8, 3, rng=6)
    np.testing.assert_array_equal(a.params["weight"], b.params["weight"])
    assert not np.array_equal(a.params["weight"], c.params["weight"])


def test_layers_compute_in_the_dtype_of_their_params():
    model = Sequential(Conv2D(1, 2, 3, rng=0), ReLU(), Flatten(), Dense(18, 2, rng=1))
    x64 = _x((2, 1, 5, 5))
    assert model.forward(x64).dtype == np.float32
    model.astype(np.float64)
    assert model.params["0.weight"].dtype == np.float64 and model.grads["3.weight"].dtype == np.float64
    assert model.forward(x64.astype(np.float32)).dtype == np.float64
    assert Dense(2, 2, dtype=np.float64).params["weight"].dtype == np.float64


def test_layers_are_callable():
    dense = Dense(3, 2, rng=0)
    x = _x((4, 3)).astype(np.float32)
    np.testing.assert_array_equal(dense(x), dense.forward(x))


# --------------------------------------------------------------------------- repr and summary
@pytest.mark.parametrize("layer, text", [
    (Conv2D(3, 16, 3, padding=1), "Conv2D(3, 16, kernel_size=3, padding=1)"),
    (Conv2D(1, 1, 3, bias=False), "Conv2D(1, 1, kernel_size=3, bias=False)"),
    (Conv2D(3, 8, (3, 5), stride=2, padding=(1, 2)), "Conv2D(3, 8, kernel_size=(3, 5), stride=2, padding=(1, 2))"),
    (Conv2D(3, 8, 3, padding="same"), "Conv2D(3, 8, kernel_size=3, padding='same')"),
    (ReLU(), "ReLU()"),
    (MaxPool2D(2), "MaxPool2D(2)"),
    (MaxPool2D(3, stride=2), "MaxPool2D(3, stride=2)"),
    (Flatten(), "Flatten()"),
    (Dense(8192, 2), "Dense(8192, 2)"),
])
def test_repr_is_one_readable_line(layer, text):
    assert repr(layer) == text


def test_sequential_repr_lists_the_layers():
    text = repr(Sequential(Conv2D(1, 2, 3), ReLU()))
    assert text == "Sequential(\n  (0): Conv2D(1, 2, kernel_size=3)\n  (1): ReLU()\n)"


def test_summary_lists_output_shapes_and_parameter_counts():
    summary = reference_cnn().summary((3, 64, 64))
    shapes = [row[1] for row in summary.rows]
    assert shapes[0] == (None, 16, 64, 64)
    assert shapes[2] == (None, 16, 32, 32)
    assert shapes[5] == (None, 32, 16, 16)
    assert shapes[-1] == (None, 2)
    assert [row[2] for row in summary.rows] == [448, 0, 0, 4640, 0, 0, 0, 16386]
    assert summary.total_params == 21474
    text = str(summary)
    assert re.search(r"Conv2D\(3, 16, kernel_size=3, padding=1\) +\(N, 16, 64, 64\) +448\n", text)
    assert "total parameters: 21,474" in text
    assert repr(summary) == text


def test_summary_names_the_layer_that_does_not_fit():
    with pytest.raises(ValueError, match=r"layer 7: Dense\(8192, 2\) expects input of shape "
                                         r"\(N, 8192\), got \(N, 1568\)"):
        reference_cnn().summary((3, 28, 28))


# --------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("layer, x, match", [
    (Conv2D(3, 16, 3, padding=1), np.zeros((2, 1, 8, 8)),
     r"Conv2D\(3, 16, kernel_size=3, padding=1\) expects input of shape \(N, 3, H, W\), got \(2, 1, 8, 8\)"),
    (Conv2D(3, 16, 3), np.zeros((3, 8, 8)), r"expects input of shape \(N, 3, H, W\), got \(3, 8, 8\)"),
    (Conv2D(1, 1, 5), np.zeros((1, 1, 3, 4)), r"kernel 5x5 is larger than the padded input 3x4"),
    (MaxPool2D(2), np.zeros((1, 4, 4)), r"MaxPool2D\(2\) expects input of shape \(N, C, H, W\), got \(1, 4, 4\)"),
    (MaxPool2D(4), np.zeros((1, 1, 3, 8)), r"window 4x4 is larger than the input 3x8"),
    (Dense(10, 2), np.zeros((4, 2, 5)),
     r"Dense\(10, 2\) expects input of shape \(N, 10\), got \(4, 2, 5\); put a Flatten"),
    (Dense(10, 2), np.zeros((4, 9)), r"expects input of shape \(N, 10\), got \(4, 9\)"),
    (Flatten(), np.zeros(5), r"Flatten\(\) expects input of shape \(N, ...\)"),
])
def test_wrong_input_shape_names_the_layer_and_both_shapes(layer, x, match):
    with pytest.raises(ValueError, match=match):
        layer.forward(x)


def test_sequential_shape_error_names_the_layer_index():
    with pytest.raises(ValueError, match=r"layer 7: Dense\(8192, 2\) expects .* got \(1, 1568\)"):
        reference_cnn().forward(np.zeros((1, 3, 28, 28), dtype=np.float32))


@pytest.mark.parametrize("layer", [Conv2D(1, 1, 3), ReLU(), Dense(2, 2), Sequential(Dense(2, 2))])
def test_non_numeric_input_is_a_type_error(layer):
    with pytest.raises(TypeError, match="real numeric array"):
        layer.forward(np.array([["a", "b"]]))


@pytest.mark.parametrize("layer, shape", [
    (Conv2D(1, 1, 3), (0, 1, 4, 4)), (ReLU(), (0, 3)), (Dense(2, 2), (0, 2)), (Flatten(), (2, 0)),
    (Sequential(Conv2D(1, 1, 3), ReLU(), MaxPool2D(2)), (0, 1, 6, 6)),
])
def test_empty_input_is_rejected(layer, shape):
    with pytest.raises(ValueError, match=r"input is empty: shape \(\d, \d"):
        layer.forward(np.zeros(shape))


@pytest.mark.parametrize("layer", [Conv2D(1, 1, 3), ReLU(), MaxPool2D(), Flatten(), Dense(2, 2),
                                   Sequential(ReLU())])
def test_backward_before_forward_says_so(layer):
    with pytest.raises(RuntimeError, match="call forward before backward"):
        layer.backward(np.zeros((1, 1, 2, 2)))


@pytest.mark.parametrize("make, error, match", [
    (lambda: Conv2D(0, 4, 3), ValueError, "in_channels must be a positive int, got 0"),
    (lambda: Conv2D(3, 4.0, 3), TypeError, "out_channels must be a positive int"),
    (lambda: Conv2D(3, 4, "3"), TypeError, "kernel_size must be an int or a pair"),
    (lambda: Conv2D(3, 4, (3, 3, 3)), ValueError, "kernel_size must be an int or a pair"),
    (lambda: Conv2D(3, 4, 3, padding="full"), ValueError, "padding must be an int, a pair, 'valid' or 'same'"),
    (lambda: Conv2D(3, 4, 3, padding=-1), ValueError, "padding must be at least 0"),
    (lambda: Conv2D(3, 4, 3, stride=2, padding="same"), ValueError, "padding='same' needs stride 1"),
    (lambda: MaxPool2D(0), ValueError, "size must be at least 1"),
    (lambda: Dense(3, -2), ValueError, "out_features must be a positive int"),
    (lambda: Sequential(ReLU(), "relu"), TypeError, "layer 1 must have forward, backward"),
])
def test_bad_layer_arguments_are_rejected(make, error, match):
    with pytest.raises(error, match=match):
        make()


def test_backward_rejects_dout_of_the_wrong_shape():
    dense = Dense(3, 2)
    dense.forward(np.zeros((4, 3)))
    with pytest.raises(ValueError, match=r"dout must have shape \(4, 2\), got \(4, 3\)"):
        dense.backward(np.zeros((4, 3)))


# --------------------------------------------------------------------------- bad input on both paths
def _trained_step(fuse):
    model = _small_cnn(fuse=fuse)
    out = model.forward(_bars(4)[0])
    return model, out


@pytest.mark.parametrize("fuse", [False, True])
@pytest.mark.parametrize("dout, error, match", [
    (np.ones((3, 2)), ValueError, r"dout must have the shape of the last forward's output \(4, 2\), got \(3, 2\)"),
    (np.ones((1, 2)), ValueError, r"output \(4, 2\), got \(1, 2\)"),
    (np.ones((4, 3)), ValueError, r"output \(4, 2\), got \(4, 3\)"),
    (np.float32(1.0), ValueError, r"output \(4, 2\), got \(\)"),
    (np.ones((4, 2)) * 1j, TypeError, "dout must be real, got complex"),
    ("abc", TypeError, "dout must be a real numeric array"),
])
def test_sequential_backward_refuses_a_dout_that_is_not_the_output_shape(fuse, dout, error, match):
    model, _ = _trained_step(fuse)
    with pytest.raises(error, match=match):
        model.backward(dout)


@pytest.mark.parametrize("fuse", [False, True])
@pytest.mark.parametrize("x, error, match", [
    (None, TypeError, r"Sequential: input must be a real numeric array, got dtype object \(None\)"),
    ("cat.jpg", TypeError, r"Sequential: input must be a real numeric array, got dtype <U7"),
    (np.ones((2, 3, 12, 12)) + 1j, TypeError, "Sequential: input must be real, got complex dtype complex128"),
])
def test_sequential_forward_refuses_what_is_not_a_real_array(fuse, x, error, match):
    with pytest.raises(error, match=match):
        _small_cnn(fuse=fuse).forward(x)


def test_dense_backward_refuses_a_complex_dout():
    dense = Dense(3, 2, rng=0)
    dense.forward(np.ones((4, 3)))
    with pytest.raises(TypeError, match=r"Dense\(3, 2\): dout must be real, got complex"):
        dense.backward(np.ones((4, 2)) * (1 + 1j))


@pytest.mark.parametrize("layer", [Conv2D(1, 1, 3), ReLU(), Dense(2, 2)])
def test_layers_refuse_complex_input(layer):
    with pytest.raises(TypeError, match="input must be real, got complex"):
        layer.forward(np.ones((1, 1, 4, 4) if isinstance(layer, Conv2D) else (2, 2)) * 1j)


@pytest.mark.parametrize("make", [
    lambda dtype: Conv2D(1, 2, 3, dtype=dtype),
    lambda dtype: Dense(3, 2, dtype=dtype),
    lambda dtype: Conv2D(1, 2, 3).astype(dtype),
    lambda dtype: Sequential(Flatten(), Dense(3, 2)).astype(dtype),
])
@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.uint8, bool, np.float16, np.complex128])
def test_parameters_must_be_float32_or_float64(make, dtype):
    with pytest.raises(TypeError, match=r"dtype must be np.float32 or np.float64 for trainable parameters"):
        make(dtype)


@pytest.mark.parametrize("dout, match", [
    (np.ones((2, 5)), r"Flatten\(\): dout must have shape \(2, 12\) \(the output of forward\), got \(2, 5\)"),
    (np.ones(24), r"got \(24,\)"),
    (np.ones((2, 3, 2, 2)), r"got \(2, 3, 2, 2\)"),
])
def test_flatten_backward_refuses_a_dout_of_another_shape(dout, match):
    flatten = Flatten()
    flatten.forward(np.ones((2, 3, 2, 2)))
    with pytest.raises(ValueError, match=match):
        flatten.backward(dout)
