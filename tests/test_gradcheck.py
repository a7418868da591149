import numpy as np
import pytest

from cnnlib.gradcheck import check_gradients, numerical_gradient, relative_error
from cnnlib.layers import Dense, ReLU, Sequential
from cnnlib.losses import mse, softmax_cross_entropy


def test_numerical_gradient_of_a_cubic_is_three_x_squared():
    x = np.array([[-1.5, 0.0], [0.5, 2.0]])
    grad = numerical_gradient(lambda z: np.sum(z ** 3), x)
    np.testing.assert_allclose(grad, 3 * x ** 2, rtol=1e-8, atol=1e-9)


def test_numerical_gradient_restores_x():
    x = np.linspace(-1, 1, 6).reshape(2, 3)
    before = x.copy()
    numerical_gradient(lambda z: np.sum(np.sin(z)), x)
    np.testing.assert_array_equal(x, before)


def test_numerical_gradient_sees_x_through_another_reference():
    weight = np.array([1.0, 2.0, 3.0])
    data = np.array([4.0, 5.0, 6.0])
    grad = numerical_gradient(lambda _: float(weight @ data), weight)  # f reads `weight`, not its argument
    np.testing.assert_allclose(grad, data, rtol=1e-9)


def test_numerical_gradient_refuses_float32():
    with pytest.raises(TypeError, match="float64.*got float32.*astype"):
        numerical_gradient(np.sum, np.ones(3, dtype=np.float32))


def test_numerical_gradient_rejects_a_non_positive_step():
    with pytest.raises(ValueError, match="step h must be > 0, got 0"):
        numerical_gradient(np.sum, np.ones(3), h=0)


def test_relative_error_is_scaled_by_the_largest_gradient():
    assert relative_error([1.0, 0.0], [1.0, 0.0]) == 0.0
    assert relative_error([2.0, 0.0], [2.0, 0.002]) == pytest.approx(1e-3)
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0


def test_relative_error_rejects_different_shapes():
    with pytest.raises(ValueError, match=r"same shape, got \(2,\) and \(3,\)"):
        relative_error(np.zeros(2), np.zeros(3))


def test_check_gradients_passes_a_correct_model_with_and_without_a_loss():
    rng = np.random.default_rng(0)
    model = Sequential(Dense(4, 5, rng=1), ReLU(), Dense(5, 3, rng=2)).astype(np.float64)
    x = rng.standard_normal((6, 4))
    errors = check_gradients(model, x)
    assert set(errors) == {"0.weight", "0.bias", "2.weight", "2.bias", "x"}
    assert max(errors.values()) < 1e-6
    errors = check_gradients(model, x, rng.integers(0, 3, 6), softmax_cross_entropy)
    assert max(errors.values()) < 1e-6
    errors = check_gradients(model, x, rng.standard_normal((6, 3)), mse, input_grad=False)
    assert "x" not in errors and max(errors.values()) < 1e-6


class _WrongDense(Dense):
    """A Dense layer whose weight gradient is off by a factor of two."""

    def backward(self, dout, input_grad=True):
        dx = super().backward(dout, input_grad)
        self.grads["weight"] = 2 * self.grads["weight"]
        return dx


def test_check_gradients_catches_a_wrong_backward():
    layer = _WrongDense(3, 2, rng=0).astype(np.float64)
    errors = check_gradients(layer, np.random.default_rng(1).standard_normal((4, 3)))
    assert errors["weight"] == pytest.approx(0.5, rel=1e-6)
    assert errors["bias"] < 1e-8 and errors["x"] < 1e-8


def test_check_gradients_refuses_a_float32_model():
    with pytest.raises(TypeError, match="float64 parameters.*astype"):
        check_gradients(Dense(2, 2, rng=0), np.ones((1, 2)))


def test_check_gradients_needs_loss_and_targets_together():
    with pytest.raises(ValueError, match="both loss and y"):
        check_gradients(Dense(2, 2, rng=0).astype(np.float64), np.ones((1, 2)), loss=mse)


@pytest.mark.parametrize("seed, error, match", [("abc", TypeError, "seed must be an int, got 'abc'"),
                                                (-1, ValueError, "seed must be at least 0, got -1"),
                                                (1.5, TypeError, "seed must be an int, got 1.5")])
def test_check_gradients_rejects_bad_seeds(seed, error, match):
    layer = Dense(3, 2, rng=0).astype(np.float64)
    with pytest.raises(error, match=match):
        check_gradients(layer, np.ones((2, 3)), seed=seed)
