import numpy as np
import pytest

from cnnlib.conv import conv2d
from cnnlib.layers import Conv2D, Dense, Flatten, MaxPool2D, ReLU, Sequential
from cnnlib.losses import mse, softmax_cross_entropy
from cnnlib.optim import SGD, Adam
from cnnlib.train import (Evaluation, History, NonFiniteLossError, evaluate, fit, load_weights, predict,
                          save_weights)


def separable(n=120, seed=0):
    """Two clusters of 2-D points on either side of the line x0 + x1 = 0, with a margin."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, (n, 2))
    X = X[np.abs(X.sum(axis=1)) > 0.3][:80]
    return X.astype(np.float32), (X.sum(axis=1) > 0).astype(np.int64)


def small_cnn(seed=0):
    return Sequential(Conv2D(1, 4, 3, padding=1, rng=seed), ReLU(), MaxPool2D(2),
                      Flatten(), Dense(4 * 4 * 4, 2, rng=seed + 1))


def bars(n=64, seed=0):
    """8x8 images holding a vertical (label 0) or horizontal (label 1) bar, with noise."""
    rng = np.random.default_rng(seed)
    X = 0.1 * rng.standard_normal((n, 1, 8, 8))
    y = rng.integers(0, 2, n)
    pos = rng.integers(1, 7, n)
    for i in range(n):
        if y[i]:
            X[i, 0, pos[i], 1:7] += 1
        else:
            X[i, 0, 1:7, pos[i]] += 1
    return X.astype(np.float32), y


# --------------------------------------------------------------------------- learning
def test_fit_reaches_full_accuracy_on_a_linearly_separable_set():
    X, y = separable()
    model = Sequential(Dense(2, 2, rng=0))
    history = fit(model, X, y, num_epochs=30, batch_size=16, optimizer=SGD(0.5), progress=False)
    assert history.acc[-1] == 1.0
    assert evaluate(model, X, y).accuracy == 1.0
    assert history.loss[-1] < history.loss[0]


def test_small_cnn_learns_bars_and_records_a_full_history():
    X, y = bars()
    X_val, y_val = bars(32, seed=1)
    history = fit(small_cnn(), X, y, num_epochs=6, batch_size=10, optimizer=Adam(0.02),
                  validation=(X_val, y_val), progress=False)
    assert history.epochs == 6
    for name in ("loss", "acc", "val_loss", "val_acc", "seconds"):
        assert len(getattr(history, name)) == 6, name
    assert len(history.batch_loss) == 6 * 7  # 64 examples in batches of 10
    assert all(s > 0 for s in history.seconds)
    assert history.val_acc[-1] >= 0.9
    assert not history.interrupted
    assert "6 epochs" in repr(history)


def test_learning_a_vertical_line_detector_with_mse():
    rng = np.random.default_rng(0)
    target_kernel = np.array([[0, 1, 0], [0, 1, 0], [0, 1, 0]], dtype=np.float32)
    X = rng.uniform(0, 1, (40, 1, 8, 8)).astype(np.float32)
    Y = conv2d(X, target_kernel[None, None])  # (40, 1, 6, 6) float targets
    layer = Conv2D(1, 1, 3, bias=False, rng=1)
    kernels = []

    def record(epoch, batch, loss):
        kernels.append(layer.params["weight"][0, 0].copy())

    history = fit(layer, X, Y, num_epochs=30, batch_size=8, optimizer=SGD(0.1, momentum=0.9), loss=mse,
                  progress=False, callback=record)
    assert history.acc == [None] * 30
    assert len(kernels) == 30 * 5
    np.testing.assert_allclose(layer.params["weight"][0, 0], target_kernel, atol=0.02)
    assert np.abs(kernels[0] - target_kernel).max() > np.abs(kernels[-1] - target_kernel).max()


def test_same_seed_gives_the_same_numbers_and_another_seed_does_not():
    X, y = bars()
    runs = []
    for seed in (3, 3, 4):
        model = small_cnn()
        history = fit(model, X, y, num_epochs=2, batch_size=16, optimizer=SGD(0.05, momentum=0.9),
                      seed=seed, progress=False)
        runs.append((history.batch_loss, model.params["0.weight"].copy()))
    assert runs[0][0] == runs[1][0]
    np.testing.assert_array_equal(runs[0][1], runs[1][1])
    assert runs[0][0] != runs[2][0]


def test_progress_bar_shows_epoch_loss_and_accuracy(capsys):
    X, y = separable()
    fit(Dense(2, 2, rng=0), X, y, num_epochs=2, batch_size=40, optimizer=SGD(0.1))
    err = capsys.readouterr().err
    assert "epoch 2/2" in err and "loss=" in err and "acc=" in err


def test_notebook_progress_bar_keeps_its_final_numbers_in_text_form(monkeypatch):
    pytest.importorskip("ipywidgets")
    import IPython.display
    import tqdm.auto
    import tqdm.notebook

    class Handle:
        updates = []

        def update(self, obj, raw=False):
            self.updates.append(obj)

    monkeypatch.setattr(tqdm.auto, "tqdm", tqdm.notebook.tqdm)  # as inside Jupyter
    monkeypatch.setattr(IPython.display, "display", lambda obj, display_id=None: Handle())
    X, y = separable()
    fit(Dense(2, 2, rng=0), X, y, num_epochs=2, batch_size=40, optimizer=SGD(0.1), validation=(X, y))
    text = Handle.updates[-1]["text/plain"]  # what a saved notebook or the built book shows
    assert text.startswith("epoch 2/2: 100%") and "loss=" in text and text.rstrip().endswith("]")
    assert "val_acc=" in text and "\u2026" not in text


def test_progress_false_prints_nothing(capsys):
    X, y = separable()
    fit(Dense(2, 2, rng=0), X, y, num_epochs=2, batch_size=40, optimizer=SGD(0.1), progress=False)
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""


# --------------------------------------------------------------------------- failures
def test_exploding_training_raises_with_the_history_and_finite_weights():
    X, y = bars()
    model = small_cnn()
    match = r"at epoch \d+, batch \d+ of 4.*smaller learning rate \(now lr=1e\+06\)"
    with pytest.raises(NonFiniteLossError, match=match) as info:
        fit(model, 100 * X, y, num_epochs=5, batch_size=16, optimizer=SGD(1e6), progress=False)
    assert isinstance(info.value, FloatingPointError)
    assert isinstance(info.value.history, History)
    assert info.value.epoch >= 1 and info.value.batch >= 1
    assert all(np.isfinite(p).all() for p in model.params.values())


def test_non_finite_loss_keeps_the_weights_that_gave_the_last_finite_loss():
    X, y = bars(32)
    model = small_cnn()
    weights, calls = [], []

    def flaky_loss(pred, target):
        calls.append(1)
        value, dpred = softmax_cross_entropy(pred, target)
        return (float("nan") if len(calls) == 3 else value), dpred

    def record(epoch, batch, loss):
        weights.append(model.params["4.weight"].copy())

    with pytest.raises(NonFiniteLossError, match="the loss is nan at epoch 1, batch 3 of 4") as info:
        fit(model, X, y, num_epochs=1, batch_size=8, optimizer=SGD(0.1), loss=flaky_loss,
            progress=False, callback=record)
    # batch 2 ran on the weights after step 1 and gave a finite loss; batch 3 did not
    np.testing.assert_array_equal(model.params["4.weight"], weights[0])
    assert len(info.value.history.batch_loss) == 2 and info.value.history.epochs == 0


def test_a_weight_turning_nan_is_undone_and_reported():
    class PoisonSGD(SGD):
        def step(self, model):
            super().step(model)
            model.params["weight"][0, 0] = np.nan

    X, y = separable()
    layer = Dense(2, 2, rng=0)
    before = layer.params["weight"].copy()
    with pytest.raises(NonFiniteLossError, match="a weight became inf or NaN at epoch 1, batch 1"):
        fit(layer, X, y, num_epochs=1, batch_size=16, optimizer=PoisonSGD(0.1), progress=False)
    np.testing.assert_array_equal(layer.params["weight"], before)


def test_keyboard_interrupt_returns_the_history_so_far():
    X, y = bars()

    def stop(epoch, batch, loss):
        if epoch == 3 and batch == 2:
            raise KeyboardInterrupt

    model = small_cnn()
    history = fit(model, X, y, num_epochs=10, batch_size=16, optimizer=SGD(0.05), progress=False, callback=stop)
    assert history.interrupted
    assert history.epochs == 2
    assert len(history.batch_loss) == 2 * 4 + 2
    assert "interrupted" in repr(history)
    assert all(np.isfinite(p).all() for p in model.params.values())


def test_keyboard_interrupt_in_the_loss_is_caught_too(capsys):
    def interrupted_loss(pred, target):
        raise KeyboardInterrupt

    X, y = separable()
    history = fit(Dense(2, 2, rng=0), X, y, num_epochs=2, batch_size=16, optimizer=SGD(0.1),
                  loss=interrupted_loss)
    assert history.interrupted and history.epochs == 0
    captured = capsys.readouterr()
    assert "interrupted in epoch 1, batch 1" in captured.out + captured.err


# --------------------------------------------------------------------------- evaluate, predict
def test_evaluate_and_predict_agree_with_a_forward_pass():
    X, y = bars(50)
    model = small_cnn()
    out = model.forward(X)
    logits = predict(model, X, batch_size=16)
    np.testing.assert_allclose(logits, out, rtol=1e-6, atol=1e-6)
    result = evaluate(model, X, y, batch_size=16)
    assert isinstance(result, Evaluation)
    assert result.loss == pytest.approx(softmax_cross_entropy(out, y)[0], rel=1e-5)
    assert result.accuracy == pytest.approx(np.mean(out.argmax(axis=1) == y))


def test_evaluate_with_mse_has_no_accuracy():
    X = np.random.default_rng(0).standard_normal((5, 3))
    result = evaluate(Dense(3, 2, rng=0), X, np.zeros((5, 2)), loss=mse)
    assert result.accuracy is None and result.loss > 0


# --------------------------------------------------------------------------- weights
def test_save_and_load_round_trip(tmp_path):
    X, _ = bars(8)
    model, other = small_cnn(seed=0), small_cnn(seed=10)
    path = save_weights(model, tmp_path / "weights")
    assert path.name == "weights.npz" and path.is_file()
    assert not np.allclose(predict(other, X), predict(model, X))
    assert load_weights(other, path) is other
    np.testing.assert_array_equal(predict(other, X), predict(model, X))
    with np.load(path, allow_pickle=False) as data:
        assert sorted(data.files) == sorted(model.params)


def test_load_rejects_a_file_of_another_model_and_changes_nothing(tmp_path):
    path = save_weights(small_cnn(), tmp_path / "small.npz")
    model = Sequential(Conv2D(1, 8, 3, padding=1, rng=0), ReLU(), Flatten(), Dense(8 * 8 * 8, 2, rng=1))
    before = model.params["0.weight"].copy()
    with pytest.raises(ValueError, match=r"does not match the model: missing 3\.weight .*unexpected 4\.weight"
                                         r".*0\.weight has shape \(4, 1, 3, 3\) in the file but \(8, 1, 3, 3\)"):
        load_weights(model, path)
    np.testing.assert_array_equal(model.params["0.weight"], before)


def test_load_rejects_missing_corrupt_and_pickled_files(tmp_path):
    model = small_cnn()
    with pytest.raises(FileNotFoundError, match="no weights file at"):
        load_weights(model, tmp_path / "nothing.npz")
    corrupt = tmp_path / "corrupt.npz"
    corrupt.write_bytes(b"PK\x03\x04 this is not a zip archive")
    with pytest.raises(ValueError, match="not a weights file"):
        load_weights(model, corrupt)
    pickled = tmp_path / "pickled.npz"
    np.savez(pickled, **{"0.weight": np.array([object()], dtype=object)})
    with pytest.raises(ValueError, match="not a weights file"):
        load_weights(model, pickled)
    single = tmp_path / "single.npy"
    np.save(single, np.zeros(3))
    with pytest.raises(ValueError, match="not a weights file"):
        load_weights(model, single)


def test_load_rejects_nan_weights(tmp_path):
    model = Dense(2, 2, rng=0)
    path = tmp_path / "nan.npz"
    np.savez(path, weight=np.full((2, 2), np.nan), bias=np.zeros(2))
    with pytest.raises(ValueError, match="weight contains NaN"):
        load_weights(model, path)


# --------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("kwargs, error, match", [
    (dict(batch_size=0), ValueError, "batch_size must be a positive int, got 0"),
    (dict(batch_size=2.5), TypeError, "batch_size must be a positive int, got 2.5"),
    (dict(num_epochs=0), ValueError, "num_epochs must be a positive int, got 0"),
    (dict(optimizer="sgd"), TypeError, "optimizer must have a step"),
    (dict(loss="mse"), TypeError, "loss must be a function"),
    (dict(validation=np.zeros(3)), ValueError, r"validation must be a pair \(X_val, y_val\)"),
])
def test_fit_rejects_bad_arguments(kwargs, error, match):
    X, y = separable()
    args = dict(num_epochs=1, batch_size=8, optimizer=SGD(0.1), progress=False) | kwargs
    with pytest.raises(error, match=match):
        fit(Dense(2, 2, rng=0), X, y, **args)


def test_fit_rejects_labels_outside_the_class_range_before_training():
    X, y = separable()
    y[5] = 2
    model = Dense(2, 2, rng=0)
    before = model.params["weight"].copy()
    with pytest.raises(ValueError, match=r"label 2 at index 5 is outside the class range 0..1: "
                                         r"the model has 2 outputs"):
        fit(model, X, y, num_epochs=1, batch_size=8, optimizer=SGD(0.1), progress=False)
    np.testing.assert_array_equal(model.params["weight"], before)


@pytest.mark.parametrize("X, y, error, match", [
    (np.zeros((4, 2)), np.zeros(3, dtype=int), ValueError, r"X has 4 examples but the targets have shape \(3,\)"),
    (np.array([[0.0, np.nan]]), np.zeros(1, dtype=int), ValueError,
     r"X contains NaN or inf \(at index \[0, 1\]\)"),
    (np.zeros((0, 2)), np.zeros(0, dtype=int), ValueError, "X is empty"),
    (np.array([["a", "b"]]), np.zeros(1, dtype=int), TypeError, "X must be a real numeric array"),
    (np.zeros((2, 2)), np.array([0.0, 1.0]), TypeError, "integer class indices"),
])
def test_fit_rejects_bad_data(X, y, error, match):
    with pytest.raises(error, match=match):
        fit(Dense(2, 2, rng=0), X, y, num_epochs=1, batch_size=8, optimizer=SGD(0.1), progress=False)


# --------------------------------------------------------------------------- plot
def test_history_plot_draws_loss_and_accuracy(tmp_path):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    X, y = bars()
    history = fit(small_cnn(), X, y, num_epochs=3, batch_size=16, optimizer=Adam(0.01),
                  validation=bars(16, seed=2), progress=False)
    fig = history.plot()
    assert isinstance(fig, matplotlib.figure.Figure)
    loss_ax, acc_ax = fig.axes
    assert loss_ax.get_ylabel() == "loss" and acc_ax.get_ylabel() == "accuracy"
    assert [len(line.get_xdata()) for line in loss_ax.lines] == [3, 3]
    fig.savefig(tmp_path / "history.png")

    regression = History()
    regression.loss, regression.acc, regression.seconds = [1.0, 0.5], [None, None], [0.1, 0.1]
    assert len(regression.plot().axes) == 1
