"""Tests for cnnlib.zoo: the small CNN, its training recipe and its cached weights."""

import numpy as np
import pytest

import cnnlib as cl
from cnnlib import zoo


def test_small_cnn_has_the_documented_shapes():
    summary = zoo.small_cnn().summary((3, 32, 32))
    assert summary.total_params == (8 * 27 + 8) + (16 * 72 + 16) + (1024 * 2 + 2)
    assert zoo.small_cnn().forward(np.zeros((2, 3, 32, 32), np.float32)).shape == (2, 2)


def test_cache_dir_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("CNNLIB_CACHE", str(tmp_path / "weights"))
    assert zoo.cache_dir() == tmp_path / "weights" and (tmp_path / "weights").is_dir()


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cache")
    X, y = cl.cats_vs_dogs(zoo.RECIPE["num_train"], seed=zoo.RECIPE["data_seed"])
    net, history = zoo.train_small_cnn(X, y, progress=False, folder=folder)
    return folder, X, y, net, history


def test_the_recipe_passes_95_percent_where_a_linear_model_cannot(trained):
    _, X, y, net, _ = trained
    X_test, y_test = cl.cats_vs_dogs(1000, seed=2)
    linear = cl.Sequential(cl.Flatten(), cl.Dense(3 * 32 * 32, 2, rng=0))
    cl.fit(linear, X, y, num_epochs=10, batch_size=32, optimizer=cl.Adam(lr=1e-3), progress=False)
    assert cl.evaluate(net, X_test, y_test).accuracy >= 0.95
    assert cl.evaluate(linear, X_test, y_test).accuracy <= 0.80


def test_load_small_cnn_gives_back_the_trained_network_without_training(trained, monkeypatch):
    folder, X, _, net, _ = trained
    assert len(list(folder.glob("small_cnn-*.npz"))) == 1
    monkeypatch.setattr(zoo, "fit", lambda *a, **k: pytest.fail("trained again"))
    loaded = zoo.load_small_cnn(folder=folder)
    assert not loaded.fuse
    np.testing.assert_array_equal(cl.predict(loaded, X[:50]), cl.predict(net, X[:50]))


def test_other_data_get_another_cache_file(tmp_path):
    X, y = cl.cats_vs_dogs(4, seed=0)
    assert zoo._weights_path(X, y, tmp_path) != zoo._weights_path(X[::-1], y[::-1], tmp_path)


def test_a_damaged_cache_file_is_trained_again(tmp_path, monkeypatch):
    X, y = cl.cats_vs_dogs(zoo.RECIPE["num_train"], seed=zoo.RECIPE["data_seed"])
    zoo._weights_path(X, y, tmp_path).write_bytes(b"not a zip file")
    calls = []
    monkeypatch.setattr(zoo, "train_small_cnn", lambda X, y, **k: calls.append(k) or ("net", None))
    assert zoo.load_small_cnn(folder=tmp_path) == "net" and calls


def test_training_twice_gives_the_same_weights():
    X, y = cl.cats_vs_dogs(200, seed=0)
    weights = []
    for _ in range(2):
        net = zoo.small_cnn(fuse=True)
        cl.fit(net, X, y, num_epochs=1, batch_size=32, optimizer=cl.Adam(lr=zoo.RECIPE["lr"]), progress=False)
        weights.append(net.params)
    assert all(np.array_equal(weights[0][k], weights[1][k]) for k in weights[0])
