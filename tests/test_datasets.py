"""Tests for cnnlib.datasets: the toy cats-vs-dogs faces, photo folders, stratified split."""

import warnings

import numpy as np
import pytest
from PIL import Image

import cnnlib as cl
from cnnlib.datasets import CLASSES, cats_vs_dogs, load_image_folder, train_test_split


# --------------------------------------------------------------------------- cats_vs_dogs

@pytest.mark.parametrize("n, size", [(2, 16), (7, 32), (64, 32), (10, 48)])
def test_cats_vs_dogs_shapes_dtypes_and_balance(n, size):
    X, y = cats_vs_dogs(n, size=size)
    assert X.shape == (n, 3, size, size) and X.dtype == np.float32
    assert y.shape == (n,) and y.dtype == np.int64
    assert 0 <= X.min() and X.max() <= 1
    assert sorted(np.bincount(y, minlength=2)) == [n // 2, n - n // 2]
    assert CLASSES == ("cat", "dog")


def test_cats_vs_dogs_is_deterministic():
    X1, y1 = cats_vs_dogs(40, seed=3)
    X2, y2 = cats_vs_dogs(40, seed=3)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    X3, _ = cats_vs_dogs(40, seed=4)
    assert np.abs(X1 - X3).mean() > 0.05


def test_cats_vs_dogs_images_vary():
    X, _ = cats_vs_dogs(50)
    flat = X.reshape(50, -1)
    distances = np.abs(flat[:, None] - flat[None]).mean(-1)
    assert distances[np.triu_indices(50, 1)].min() > 0.02  # no two images alike


def test_colour_and_brightness_do_not_give_the_class_away():
    X, y = cats_vs_dogs(2000, seed=11)
    stats = np.concatenate([X.mean(axis=(2, 3)), X.std(axis=(2, 3))], axis=1)  # (N, 6) per-channel statistics
    for feature in stats.T:  # the best single threshold on any one statistic, either way round
        above = [np.mean((feature > t) == y) for t in np.quantile(feature, np.linspace(0.02, 0.98, 49))]
        assert max(max(above), 1 - min(above)) < 0.65


def _colour_histograms(X, bins=4):
    """(N, bins**3) joint colour histogram of each image: where its pixels lie in RGB space."""
    q = np.clip((X * bins).astype(int), 0, bins - 1)
    code = (q[:, 0] * bins + q[:, 1]) * bins + q[:, 2]
    return np.stack([np.bincount(c.ravel(), minlength=bins ** 3) for c in code]) / code[0].size


def test_colour_histograms_stay_near_chance():
    X, y = cats_vs_dogs(1500, seed=5)
    X_test, y_test = cats_vs_dogs(500, seed=6)
    F, F_test = _colour_histograms(X), _colour_histograms(X_test)
    mean, std = F.mean(0), F.std(0) + 1e-6
    model = cl.Sequential(cl.Dense(F.shape[1], 2, rng=0))
    cl.fit(model, (F - mean) / std, y, num_epochs=30, batch_size=64, optimizer=cl.Adam(lr=1e-2), progress=False)
    assert cl.evaluate(model, (F_test - mean) / std, y_test).accuracy <= 0.65


def test_one_pixel_at_a_time_with_global_max_pooling_stays_near_chance():
    # 1x1 convolutions see one pixel's colour; the global max says only which colours occur
    X, y = cats_vs_dogs(1000, seed=5)
    X_test, y_test = cats_vs_dogs(400, seed=6)
    blind = cl.Sequential(cl.Conv2D(3, 8, 1, rng=0), cl.ReLU(), cl.MaxPool2D(32), cl.Flatten(),
                          cl.Dense(8, 2, rng=0))
    cl.fit(blind, X, y, num_epochs=4, batch_size=32, optimizer=cl.Adam(lr=3e-3), progress=False)
    assert cl.evaluate(blind, X_test, y_test).accuracy <= 0.65


@pytest.mark.parametrize("n, size, error, match", [
    (1, 32, ValueError, "n must be at least 2"), (0, 32, ValueError, "n must be"), (-5, 32, ValueError, "n must"),
    (10, 15, ValueError, "size must be at least 16"), (10, 0, ValueError, "size"),
    (2.5, 32, TypeError, "n must be an int"), ("10", 32, TypeError, "n must"), (10, 32.0, TypeError, "size"),
    (True, 32, TypeError, "n must"),
])
def test_cats_vs_dogs_rejects_bad_arguments(n, size, error, match):
    with pytest.raises(error, match=match):
        cats_vs_dogs(n, size=size)


# --------------------------------------------------------------------------- load_image_folder

def _solid(colour, size=(20, 30), mode="RGB"):
    return Image.new("RGB", (size[1], size[0]), colour).convert(mode)


def _write_class_folders(root):
    (root / "cat").mkdir(parents=True)
    (root / "dog").mkdir()
    _solid((250, 10, 10)).save(root / "cat" / "a.jpg", quality=95)
    _solid((240, 240, 240), mode="L").save(root / "cat" / "b.png")
    rgba = _solid((255, 0, 0), mode="RGBA")
    rgba.putalpha(255)
    rgba.save(root / "cat" / "c.png")
    _solid((10, 10, 250), mode="P").save(root / "dog" / "d.gif")
    _solid((0, 0, 255), size=(40, 20)).save(root / "dog" / "e.bmp")
    _solid((0, 0, 240)).save(root / "dog" / "f.webp")


def test_load_image_folder_reads_class_folders(tmp_path):
    _write_class_folders(tmp_path)
    X, y, names = load_image_folder(tmp_path, size=8)
    assert names == ["cat", "dog"]
    assert X.shape == (6, 3, 8, 8) and X.dtype == np.float32 and y.dtype == np.int64
    np.testing.assert_array_equal(y, [0, 0, 0, 1, 1, 1])
    assert 0 <= X.min() and X.max() <= 1
    dogs = X[y == 1]
    assert (dogs[:, 2] > dogs[:, 0] + 0.5).all()  # blue
    cats = X[[0, 2]]  # the RGB cats are red (b.png is gray)
    assert (cats[:, 0] > cats[:, 2] + 0.5).all()


def test_load_image_folder_gray_and_rectangular_size(tmp_path):
    _write_class_folders(tmp_path)
    X, y, names = load_image_folder(tmp_path, size=(6, 10), gray=True)
    assert X.shape == (6, 1, 6, 10)
    np.testing.assert_allclose(X[1, 0], 240 / 255, atol=0.01)


def test_load_image_folder_reads_kaggle_names(tmp_path):
    for i in range(3):
        _solid((200, 100, 50)).save(tmp_path / f"dog.{i}.jpg")
        _solid((50, 100, 200)).save(tmp_path / f"cat.{i + 10}.jpg")
    X, y, names = load_image_folder(tmp_path, size=5)
    assert names == ["cat", "dog"]
    assert X.shape == (6, 3, 5, 5)
    assert np.bincount(y).tolist() == [3, 3]
    assert (X[y == 0][:, 2] > X[y == 0][:, 0]).all()


def test_load_image_folder_crops_the_centre_before_resizing(tmp_path):
    wide = np.zeros((20, 60, 3), np.uint8)
    wide[:, :, 2] = 255          # blue sides ...
    wide[:, 20:40] = (255, 0, 0)  # ... around a red centre square
    for name in ("cat", "dog"):
        (tmp_path / name).mkdir()
        Image.fromarray(wide).save(tmp_path / name / "w.png")
    X, _, _ = load_image_folder(tmp_path, size=8)
    np.testing.assert_allclose(X[0].transpose(1, 2, 0), np.broadcast_to([1, 0, 0], (8, 8, 3)), atol=0.02)


def test_load_image_folder_applies_exif_orientation(tmp_path):
    stored = np.zeros((10, 30, 3), np.uint8)
    stored[:5] = (255, 0, 0)  # red on top, blue below, as stored
    stored[5:] = (0, 0, 255)
    exif = Image.Exif()
    exif[0x0112] = 6  # view turned 90 degrees clockwise: blue on the left, red on the right
    for name in ("cat", "dog"):
        (tmp_path / name).mkdir()
        Image.fromarray(stored).save(tmp_path / name / "phone.jpg", exif=exif, quality=95)
    X, _, _ = load_image_folder(tmp_path, size=10)
    left, right = X[0, :, :, :3].mean(axis=(1, 2)), X[0, :, :, 7:].mean(axis=(1, 2))
    assert left[2] > 0.8 and left[0] < 0.2
    assert right[0] > 0.8 and right[2] < 0.2


def test_load_image_folder_skips_unreadable_files_with_one_warning(tmp_path):
    _write_class_folders(tmp_path)
    (tmp_path / "cat" / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    good = (tmp_path / "dog" / "e.bmp").read_bytes()
    (tmp_path / "dog" / "half.bmp").write_bytes(good[: len(good) // 2])
    (tmp_path / "dog" / ".DS_Store").write_bytes(b"\0\0")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        X, y, names = load_image_folder(tmp_path, size=4)
    assert len(caught) == 1
    message = str(caught[0].message)
    assert "skipped 2 of 8 files" in message
    assert "broken.jpg" in message and "half.bmp" in message and "DS_Store" not in message
    assert X.shape == (6, 3, 4, 4) and names == ["cat", "dog"]


def test_load_image_folder_rejects_an_empty_folder(tmp_path):
    with pytest.raises(ValueError, match="no readable photos"):
        load_image_folder(tmp_path)


def test_load_image_folder_rejects_a_single_class(tmp_path):
    (tmp_path / "cat").mkdir()
    _solid((1, 2, 3)).save(tmp_path / "cat" / "a.png")
    with pytest.raises(ValueError, match="one class only.*'cat'"):
        load_image_folder(tmp_path)


def test_load_image_folder_rejects_a_folder_of_broken_files(tmp_path):
    (tmp_path / "cat.1.jpg").write_text("nope")
    (tmp_path / "dog.1.jpg").write_text("nope")
    with pytest.warns(UserWarning, match="skipped 2 of 2"), pytest.raises(ValueError, match="no readable photos"):
        load_image_folder(tmp_path)


def test_load_image_folder_missing_root_names_it(tmp_path):
    with pytest.raises(FileNotFoundError, match="missing_dir"):
        load_image_folder(tmp_path / "missing_dir")
    (tmp_path / "f.png").write_bytes(b"")
    with pytest.raises(NotADirectoryError, match="f.png"):
        load_image_folder(tmp_path / "f.png")


@pytest.mark.parametrize("size, error", [(0, ValueError), ((4, 0), ValueError), ("big", TypeError)])
def test_load_image_folder_rejects_bad_sizes(tmp_path, size, error):
    _write_class_folders(tmp_path)
    with pytest.raises(error, match="size"):
        load_image_folder(tmp_path, size=size)


# --------------------------------------------------------------------------- train_test_split

@pytest.mark.parametrize("fraction", [0.2, 0.25, 0.5])
def test_train_test_split_is_stratified_disjoint_and_complete(fraction):
    y = np.array([0] * 60 + [1] * 30 + [2] * 10)
    X = np.arange(100)[:, None] * np.ones((1, 4))
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_fraction=fraction, seed=1)
    assert len(X_train) + len(X_test) == 100
    assert sorted(np.concatenate([X_train[:, 0], X_test[:, 0]])) == list(range(100))
    np.testing.assert_array_equal(y_train, y[X_train[:, 0].astype(int)])
    np.testing.assert_array_equal(np.bincount(y_test), np.round(fraction * np.array([60, 30, 10])))


def test_train_test_split_is_deterministic_and_shuffled():
    X, y = np.arange(40), np.arange(40) % 2
    a = train_test_split(X, y, seed=3)
    b = train_test_split(X, y, seed=3)
    for u, v in zip(a, b):
        np.testing.assert_array_equal(u, v)
    assert not np.array_equal(a[0], np.sort(a[0]))
    assert not np.array_equal(train_test_split(X, y, seed=4)[1], a[1])


@pytest.mark.parametrize("X, y, fraction, error, match", [
    (np.zeros((5, 2)), np.zeros(4), 0.2, ValueError, "same length"),
    (np.zeros((4, 2)), np.zeros((4, 1)), 0.2, ValueError, "1-D"),
    (np.zeros(4), np.zeros(4), 0.0, ValueError, "between 0 and 1"),
    (np.zeros(4), np.zeros(4), 1.0, ValueError, "between 0 and 1"),
    (np.zeros(4), np.zeros(4), "half", TypeError, "test_fraction"),
    (np.zeros(3), np.array([0, 1, 2]), 0.2, ValueError, "test part empty"),
])
def test_train_test_split_rejects_bad_input(X, y, fraction, error, match):
    with pytest.raises(error, match=match):
        train_test_split(X, y, test_fraction=fraction)


def test_public_names_are_exported():
    for name in ("cats_vs_dogs", "load_image_folder", "train_test_split", "CLASSES"):
        assert getattr(cl, name) is globals()[name]


# --------------------------------------------------------------------------- issue 15: no silent wrong answers

def test_load_image_folder_reads_photos_in_nested_sub_folders(tmp_path):
    for folder in ("cat/2019", "cat/2020/summer", "dog/park", "dog/.thumbnails"):
        (tmp_path / folder).mkdir(parents=True)
    _solid((250, 10, 10)).save(tmp_path / "cat" / "a.png")
    _solid((240, 20, 20)).save(tmp_path / "cat" / "2019" / "b.png")
    _solid((230, 30, 30)).save(tmp_path / "cat" / "2020" / "summer" / "c.png")
    _solid((10, 10, 250)).save(tmp_path / "dog" / "park" / "d.png")
    _solid((10, 250, 10)).save(tmp_path / "dog" / ".thumbnails" / "hidden.png")
    X, y, names = load_image_folder(tmp_path, size=8)
    assert names == ["cat", "dog"]
    np.testing.assert_array_equal(y, [0, 0, 0, 1])
    assert (X[y == 0, 0] > 0.8).all() and (X[y == 1, 2] > 0.8).all()  # red cats, a blue dog, no green


@pytest.mark.parametrize("y, match", [
    (np.array([0.0, 1.0, np.nan, 1.0, 0.0]), r"y contains NaN or inf \(at index 2\)"),
    (np.array([0.0, 1.0, 1.0, np.inf, 0.0]), r"y contains NaN or inf \(at index 3\)"),
])
def test_train_test_split_refuses_non_finite_labels(y, match):
    with pytest.raises(ValueError, match=match):
        train_test_split(np.zeros((5, 2)), y, test_fraction=0.4)


def test_train_test_split_refuses_empty_input():
    with pytest.raises(ValueError, match=r"X and y are empty \(0 examples\): nothing to split"):
        train_test_split(np.zeros((0, 2)), np.zeros(0))


@pytest.mark.parametrize("seed, error, match", [("abc", TypeError, "seed must be an int, got 'abc'"),
                                                (-1, ValueError, "seed must be at least 0, got -1"),
                                                (1.5, TypeError, "seed must be an int, got 1.5")])
def test_seeds_are_checked_everywhere(seed, error, match):
    with pytest.raises(error, match=match):
        train_test_split(np.zeros((10, 2)), np.arange(10) % 2, seed=seed)
    with pytest.raises(error, match=match):
        cats_vs_dogs(4, size=16, seed=seed)


def test_load_image_folder_caps_the_output_size(tmp_path):
    _write_class_folders(tmp_path)
    with pytest.raises(ValueError, match=r"size \(100000, 100000\) gives 100000x100000 = 10000000000 pixels, "
                                         r"over the limit of 50000000"):
        load_image_folder(tmp_path, size=100000)
