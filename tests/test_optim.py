import numpy as np
import pytest

from cnnlib.layers import Conv2D, Dense, Flatten, ReLU, Sequential
from cnnlib.optim import SGD, Adam


class Params:
    """A stand-in model: named params and grads, nothing else."""

    def __init__(self, p, g):
        self.params = {"p": np.array(p, dtype=np.float64)}
        self.grads = {"p": np.array(g, dtype=np.float64)}


def test_sgd_step_is_p_minus_lr_times_grad():
    model = Params([1.0, -2.0], [0.5, 1.0])
    SGD(lr=0.1).step(model)
    np.testing.assert_allclose(model.params["p"], [0.95, -2.1])


def test_sgd_momentum_accumulates_velocity_by_hand():
    model = Params([1.0], [1.0])
    opt = SGD(lr=0.1, momentum=0.9)
    opt.step(model)  # v = 1, p = 1 - 0.1
    model.grads["p"][:] = 2.0
    opt.step(model)  # v = 0.9 * 1 + 2 = 2.9, p = 0.9 - 0.29
    np.testing.assert_allclose(model.params["p"], [0.61])


def test_sgd_weight_decay_adds_the_l2_gradient():
    model = Params([2.0], [0.0])
    SGD(lr=0.5, weight_decay=0.1).step(model)  # g = 0 + 0.1 * 2
    np.testing.assert_allclose(model.params["p"], [1.9])


def test_adam_two_steps_by_hand():
    model = Params([1.0], [0.5])
    opt = Adam(lr=0.1, betas=(0.9, 0.99), eps=1e-8)
    opt.step(model)
    # step 1: m = 0.05, v = 0.0025; m_hat = 0.5, v_hat = 0.25 -> p = 1 - 0.1 * 0.5 / 0.5
    p1 = 1 - 0.1 * 0.5 / (0.5 + 1e-8)
    np.testing.assert_allclose(model.params["p"], [p1], rtol=1e-12)
    model.grads["p"][:] = -1.0
    opt.step(model)
    m = 0.9 * 0.05 + 0.1 * -1.0
    v = 0.99 * 0.0025 + 0.01 * 1.0
    expected = p1 - 0.1 * (m / (1 - 0.9 ** 2)) / (np.sqrt(v / (1 - 0.99 ** 2)) + 1e-8)
    np.testing.assert_allclose(model.params["p"], [expected], rtol=1e-12)


@pytest.mark.parametrize("make", [lambda: SGD(0.1), lambda: SGD(0.1, momentum=0.9), lambda: Adam(0.01)])
def test_step_updates_the_layer_arrays_in_place(make):
    model = Sequential(Dense(3, 2, rng=0), ReLU(), Dense(2, 2, rng=1))
    weight = model[0].params["weight"]
    before = weight.copy()
    for layer in (model[0], model[2]):
        for name, p in layer.params.items():
            layer.grads[name] = np.ones_like(p)
    make().step(model)
    assert model[0].params["weight"] is weight
    assert not np.allclose(weight, before)
    assert weight.dtype == np.float32


def test_optimizer_works_on_a_single_layer():
    layer = Conv2D(1, 1, 3, bias=False, rng=0)
    layer.grads["weight"] = np.ones_like(layer.params["weight"])
    before = layer.params["weight"].copy()
    SGD(0.25).step(layer)
    np.testing.assert_allclose(layer.params["weight"], before - 0.25)


@pytest.mark.parametrize("kind, kwargs", [
    ("sgd", dict(lr=0.1)),
    ("sgd", dict(lr=0.05, momentum=0.9)),
    ("sgd", dict(lr=0.05, momentum=0.5, weight_decay=0.01)),
    ("adam", dict(lr=0.01)),
    ("adam", dict(lr=0.02, betas=(0.8, 0.9), weight_decay=0.1)),
])
def test_optimizers_match_torch_over_three_steps(kind, kwargs):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    p0 = rng.standard_normal(5)
    grads = [rng.standard_normal(5) for _ in range(3)]
    model = Params(p0, grads[0])
    ours = SGD(**kwargs) if kind == "sgd" else Adam(**kwargs)
    tp = torch.tensor(p0, requires_grad=True)
    theirs = (torch.optim.SGD if kind == "sgd" else torch.optim.Adam)([tp], **kwargs)
    for g in grads:
        model.grads["p"][:] = g
        ours.step(model)
        tp.grad = torch.tensor(g)
        theirs.step()
    np.testing.assert_allclose(model.params["p"], tp.detach().numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("make, error, match", [
    (lambda: SGD(0), ValueError, "learning rate lr must be > 0, got 0"),
    (lambda: SGD(-0.1), ValueError, "learning rate lr must be > 0"),
    (lambda: SGD("0.1"), TypeError, "learning rate lr must be a number"),
    (lambda: SGD(float("nan")), ValueError, "learning rate lr"),
    (lambda: SGD(0.1, momentum=1.0), ValueError, "momentum must be >= 0"),
    (lambda: SGD(0.1, weight_decay=-1), ValueError, "weight_decay must be >= 0"),
    (lambda: Adam(lr=0), ValueError, "learning rate lr must be > 0"),
    (lambda: Adam(betas=(0.9,)), ValueError, "betas must be a pair"),
    (lambda: Adam(betas=(0.9, 1.0)), ValueError, "beta2 must be"),
    (lambda: Adam(eps=0), ValueError, "eps must be > 0"),
])
def test_bad_hyperparameters_are_rejected(make, error, match):
    with pytest.raises(error, match=match):
        make()


def test_step_rejects_gradients_of_the_wrong_shape():
    model = Params([1.0, 2.0], [1.0])
    with pytest.raises(ValueError, match=r"gradient of 'p' has shape \(1,\), expected \(2,\)"):
        SGD(0.1).step(model)


def test_optimizer_reprs():
    assert repr(SGD(0.1, momentum=0.9)) == "SGD(lr=0.1, momentum=0.9, weight_decay=0)"
    assert repr(Adam()) == "Adam(lr=0.001, betas=(0.9, 0.999), eps=1e-08, weight_decay=0)"


def test_flatten_only_model_has_nothing_to_update():
    model = Sequential(Flatten())
    SGD(0.1).step(model)
    assert model.params == {}


@pytest.mark.parametrize("make", [lambda: SGD(0.1), lambda: Adam(0.1)])
@pytest.mark.parametrize("model, what", [(None, "None"), ("model", "str"), (np.zeros(3), "ndarray")])
def test_step_rejects_something_that_is_not_a_model(make, model, what):
    with pytest.raises(TypeError, match=f"step expects a model with params and grads dicts, got {what}"):
        make().step(model)


@pytest.mark.parametrize("make", [lambda: SGD(0.1, momentum=0.9), lambda: Adam(0.1)])
def test_state_dict_round_trip_undoes_steps(make):
    model = Params([1.0, -2.0], [0.5, 1.0])
    opt = make()
    opt.step(model)
    state = opt.state_dict()
    params = model.params["p"].copy()
    opt.step(model)
    after_two = model.params["p"].copy()
    opt.load_state_dict(state)  # back to the state after one step
    model.params["p"][:] = params
    opt.step(model)
    np.testing.assert_array_equal(model.params["p"], after_two)


def test_state_dict_is_a_copy_the_optimizer_does_not_change():
    model = Params([1.0], [0.5])
    opt = Adam(0.1)
    opt.step(model)
    state = opt.state_dict()
    m = state["m"]["p"].copy()
    opt.step(model)
    assert state["t"] == 1 and opt.t == 2
    np.testing.assert_array_equal(state["m"]["p"], m)
