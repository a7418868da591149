import numpy as np
import pytest

from cnnlib.augment import flip_horizontal, random_flip_shift, shift


def _batch(shape=(6, 2, 5, 7), seed=0, dtype=np.float32):
    rng = np.random.default_rng(seed)
    return rng.standard_normal(shape).astype(dtype)


def test_flip_mirrors_left_to_right_and_twice_is_identity():
    x = np.arange(6).reshape(2, 3)
    assert np.array_equal(flip_horizontal(x), [[2, 1, 0], [5, 4, 3]])
    batch = _batch()
    assert np.array_equal(flip_horizontal(flip_horizontal(batch)), batch)


@pytest.mark.parametrize("dy, dx", [(0, 0), (1, 0), (0, -2), (-1, 3), (2, 2)])
def test_shift_moves_pixels_and_fills_the_border(dy, dx):
    x = _batch((2, 1, 5, 7))
    out = shift(x, dy, dx, fill="zero")
    h, w = x.shape[-2:]
    for r in range(h):
        for c in range(w):
            inside = 0 <= r - dy < h and 0 <= c - dx < w
            want = x[..., r - dy, c - dx] if inside else 0
            assert np.all(out[..., r, c] == want)


def test_edge_fill_repeats_the_nearest_pixel():
    x = np.array([[1.0, 2.0, 3.0]])
    assert np.array_equal(shift(x, 0, 1), [[1.0, 1.0, 2.0]])
    assert np.array_equal(shift(x, 0, -2), [[3.0, 3.0, 3.0]])
    assert np.array_equal(shift(x, 0, 1, fill="zero"), [[0.0, 1.0, 2.0]])


def test_random_flip_shift_keeps_shape_and_dtype_and_changes_images():
    X = _batch()
    out = random_flip_shift(X, max_shift=2, rng=1)
    assert out.shape == X.shape and out.dtype == X.dtype
    assert not np.array_equal(out, X)
    assert np.array_equal(random_flip_shift(X, 0, flip=False, rng=1), X)


def test_same_seed_same_images_and_a_generator_is_accepted():
    X = _batch()
    a = random_flip_shift(X, rng=3)
    assert np.array_equal(a, random_flip_shift(X, rng=3))
    b = random_flip_shift(X, rng=np.random.default_rng(3))
    assert np.array_equal(a, b)
    assert not np.array_equal(a, random_flip_shift(X, rng=4))


def test_every_output_is_a_flip_and_shift_of_its_own_input():
    X = _batch((20, 1, 6, 6), seed=2)
    out = random_flip_shift(X, max_shift=1, rng=0)
    for k in range(len(X)):
        candidates = [shift(im, dy, dx) for im in (X[k], X[k][..., ::-1])
                      for dy in (-1, 0, 1) for dx in (-1, 0, 1)]
        assert any(np.array_equal(out[k], c) for c in candidates)


def test_flips_happen_about_half_the_time():
    X = np.tile(np.arange(4.0), (400, 1, 4, 1))
    out = random_flip_shift(X, max_shift=0, rng=0)
    flipped = (out[:, 0, 0, 0] == 3.0).mean()
    assert 0.4 < flipped < 0.6


def test_original_is_not_changed():
    X = _batch()
    copy = X.copy()
    random_flip_shift(X, rng=0)
    flip_horizontal(X)
    shift(X, 1, 1)
    assert np.array_equal(X, copy)


@pytest.mark.parametrize("call, error, match", [
    (lambda: random_flip_shift(np.zeros((2, 4, 4))), ValueError,
     r"4 dimensions \(N, C, H, W\), got shape \(2, 4, 4\)"),
    (lambda: random_flip_shift(np.zeros((0, 1, 4, 4))), ValueError, "empty"),
    (lambda: random_flip_shift(np.array([[[["a"]]]])), TypeError, "dtype"),
    (lambda: random_flip_shift(np.zeros((1, 1, 4, 4)), max_shift=4),
     ValueError, "less than the image size 4x4, got 4"),
    (lambda: random_flip_shift(np.zeros((1, 1, 4, 4)), max_shift=-1),
     ValueError, "max_shift must be at least 0, got -1"),
    (lambda: random_flip_shift(np.zeros((1, 1, 4, 4)), max_shift=1.5),
     TypeError, "max_shift must be an int, got 1.5"),
    (lambda: random_flip_shift(np.zeros((1, 1, 4, 4)), flip="yes"),
     TypeError, "flip must be True or False, got 'yes'"),
    (lambda: random_flip_shift(np.zeros((1, 1, 4, 4)), rng="a"),
     TypeError, "rng must be"),
    (lambda: random_flip_shift(np.zeros((1, 1, 4, 4)), fill="wrap"),
     ValueError, "fill must be one of .*'wrap'"),
    (lambda: shift(np.zeros((3, 4)), 3, 0), ValueError,
     "dy must be less than 3 in size, got 3"),
    (lambda: shift(np.zeros((3, 4)), 0, -4), ValueError,
     "dx must be at least -3, got -4"),
    (lambda: shift(np.zeros(4), 0, 0), ValueError, "at least 2 dimensions"),
    (lambda: flip_horizontal("abc"), TypeError, "dtype"),
    (lambda: flip_horizontal(None), TypeError, "dtype"),
])
def test_bad_input_is_rejected_with_a_clear_message(call, error, match):
    with pytest.raises(error, match=match):
        call()
