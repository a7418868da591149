import numpy as np
import pytest

from cnnlib.gradcheck import numerical_gradient, relative_error
from cnnlib.losses import mse, softmax_cross_entropy


def _reference_cross_entropy(logits, y):
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    return -np.mean(np.log(p[np.arange(len(y)), y]))


@pytest.mark.parametrize("n, k", [(1, 2), (5, 3), (8, 10)])
def test_cross_entropy_matches_the_formula(n, k):
    rng = np.random.default_rng(n * k)
    logits = rng.standard_normal((n, k))
    y = rng.integers(0, k, n)
    loss, _ = softmax_cross_entropy(logits, y)
    assert loss == pytest.approx(_reference_cross_entropy(logits, y), rel=1e-12)


@pytest.mark.parametrize("n, k", [(1, 2), (4, 3), (6, 5)])
def test_cross_entropy_gradient_matches_central_differences(n, k):
    rng = np.random.default_rng(7 + n)
    logits = rng.standard_normal((n, k))
    y = rng.integers(0, k, n)
    _, dlogits = softmax_cross_entropy(logits, y)
    numeric = numerical_gradient(lambda z: softmax_cross_entropy(z, y)[0], logits)
    assert relative_error(dlogits, numeric) < 1e-6


def test_cross_entropy_is_stable_for_huge_logits():
    logits = np.array([[1e4, 0.0, -1e4], [-5e3, 5e3, 0.0]])
    loss, dlogits = softmax_cross_entropy(logits, np.array([1, 1]))
    assert np.isfinite(loss) and np.isfinite(dlogits).all()
    assert loss == pytest.approx(1e4 / 2)  # first row costs 1e4, second 0
    shifted, _ = softmax_cross_entropy(logits - 1e4, np.array([1, 1]))
    assert shifted == pytest.approx(loss)


def test_cross_entropy_gradient_rows_sum_to_zero_and_keep_dtype():
    rng = np.random.default_rng(0)
    logits = rng.standard_normal((6, 4)).astype(np.float32)
    loss, dlogits = softmax_cross_entropy(logits, rng.integers(0, 4, 6))
    assert isinstance(loss, float)
    assert dlogits.dtype == np.float32
    np.testing.assert_allclose(dlogits.sum(axis=1), 0, atol=1e-7)


def test_cross_entropy_of_a_confident_right_answer_is_near_zero():
    loss, _ = softmax_cross_entropy(np.array([[20.0, 0.0], [0.0, 20.0]]), np.array([0, 1]))
    assert loss < 1e-8


def test_cross_entropy_matches_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(3)
    logits = rng.standard_normal((7, 4))
    y = rng.integers(0, 4, 7)
    t = torch.tensor(logits, requires_grad=True)
    expected = torch.nn.functional.cross_entropy(t, torch.tensor(y))
    expected.backward()
    loss, dlogits = softmax_cross_entropy(logits, y)
    assert loss == pytest.approx(expected.item(), rel=1e-12)
    np.testing.assert_allclose(dlogits, t.grad.numpy(), rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("bad", [[0, 2], [-1, 0]])
def test_cross_entropy_rejects_labels_outside_the_class_range(bad):
    with pytest.raises(ValueError, match=r"label -?\d at index \d is outside the class range 0..1"):
        softmax_cross_entropy(np.zeros((2, 2)), np.array(bad))


def test_cross_entropy_rejects_float_labels_and_points_to_mse():
    with pytest.raises(TypeError, match="integer class indices.*mse"):
        softmax_cross_entropy(np.zeros((2, 2)), np.array([0.0, 1.0]))


@pytest.mark.parametrize("logits, y, match", [
    (np.zeros(3), np.array([0]), r"shape \(N, K\)"),
    (np.zeros((3, 2)), np.array([0, 1]), r"shape \(3,\)"),
    (np.zeros((0, 2)), np.array([], dtype=int), "empty"),
    (np.array([["a", "b"]]), np.array([0]), "numeric"),
])
def test_cross_entropy_rejects_bad_shapes(logits, y, match):
    with pytest.raises((ValueError, TypeError), match=match):
        softmax_cross_entropy(logits, y)


def test_mse_matches_the_formula():
    pred = np.array([[1.0, 2.0], [3.0, 4.0]])
    target = np.array([[1.0, 0.0], [0.0, 4.0]])
    loss, dpred = mse(pred, target)
    assert loss == pytest.approx((4 + 9) / 4)
    np.testing.assert_allclose(dpred, 2 * (pred - target) / 4)


@pytest.mark.parametrize("shape", [(3,), (2, 3), (2, 1, 4, 4)])
def test_mse_gradient_matches_central_differences(shape):
    rng = np.random.default_rng(len(shape))
    pred, target = rng.standard_normal(shape), rng.standard_normal(shape)
    _, dpred = mse(pred, target)
    numeric = numerical_gradient(lambda p: mse(p, target)[0], pred)
    assert relative_error(dpred, numeric) < 1e-6


def test_mse_keeps_the_dtype_of_pred():
    _, dpred = mse(np.ones((2, 2), dtype=np.float32), np.zeros((2, 2)))
    assert dpred.dtype == np.float32


def test_mse_matches_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(5)
    pred, target = rng.standard_normal((4, 1, 3, 3)), rng.standard_normal((4, 1, 3, 3))
    t = torch.tensor(pred, requires_grad=True)
    expected = torch.nn.functional.mse_loss(t, torch.tensor(target))
    expected.backward()
    loss, dpred = mse(pred, target)
    assert loss == pytest.approx(expected.item(), rel=1e-12)
    np.testing.assert_allclose(dpred, t.grad.numpy(), rtol=1e-10)


def test_mse_rejects_a_shape_mismatch_instead_of_broadcasting():
    with pytest.raises(ValueError, match=r"shape of pred \(2, 3\), got \(3,\)"):
        mse(np.zeros((2, 3)), np.zeros(3))


def test_mse_rejects_non_numeric_targets():
    with pytest.raises(TypeError, match="target must be a real numeric array"):
        mse(np.zeros(2), np.array(["a", "b"]))
