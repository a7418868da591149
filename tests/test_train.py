import numpy as np
import pytest

from cnnlib.conv import conv2d
from cnnlib.layers import Conv2D, Dense, Flatten, MaxPool2D, ReLU, Sequential
from cnnlib.losses import mse, softmax_cross_entropy
from cnnlib.optim import SGD, Adam
from cnnlib.train import (Evaluation, History, LossExplodedError, NonFiniteLossError, evaluate, fit, load_weights,
                          predict, save_weights)


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
    assert text.startswith("epoch 2/2, batch 2/2: 100%") and "4/4 batches in all" in text
    assert "loss=" in text and text.rstrip().endswith("]")
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

    # the book's one figure rule: as wide as the column at most, no text under 11 px
    from matplotlib.text import Text

    from cnnlib.viz import plot
    fig.canvas.draw()
    assert fig.get_figwidth() <= plot.COLUMN_WIDTH + 1e-9
    sizes = [t.get_fontsize() for t in fig.findobj(Text) if t.get_text()]
    assert min(sizes) >= plot.MIN_FONT


# --------------------------------------------------------------------------- issue 15: no silent wrong answers
def regression(n=32, seed=0):
    """A linear regression problem: X (n, 4), targets (n, 1)."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 4)).astype(np.float32)
    return X, X @ rng.standard_normal((4, 1)).astype(np.float32)


def test_a_loss_that_explodes_but_stays_finite_stops_training():
    X, Y = regression()  # at lr=2 the epoch losses go 502, 2.4e7, 2.1e12 unchecked
    model = Dense(4, 1, rng=0)
    weights = []

    def record(epoch, batch, loss):
        weights.append(model.params["weight"].copy())

    match = (r"the mean loss of epoch 2 grew to 2\.44e\+07, more than 10000 times the 502 of epoch 1, at epoch 2, "
             r"batch 4 of 4: training diverged\. The model keeps its weights from the end of epoch 1.*"
             r"smaller learning rate \(now lr=2\)")
    with pytest.raises(LossExplodedError, match=match) as info:
        fit(model, X, Y, num_epochs=3, batch_size=8, optimizer=SGD(2.0), loss=mse, progress=False,
            callback=record)
    history = info.value.history
    assert history.epochs == 1 and len(history.batch_loss) == 8
    np.testing.assert_array_equal(model.params["weight"], weights[3])  # after epoch 1's 4 steps


def test_an_exploding_loss_is_caught_as_a_non_finite_loss_too():
    assert issubclass(LossExplodedError, NonFiniteLossError)
    assert issubclass(NonFiniteLossError, FloatingPointError)


def test_keyboard_interrupt_during_validation_keeps_the_history_consistent():
    pytest.importorskip("matplotlib")
    X, y = separable()
    calls = []

    def loss_interrupted_in_validation(pred, target):
        calls.append(len(pred))
        if len(calls) == 2 * 5 + 1 + 1:  # 5 batches per epoch and 1 validation batch, then the 2nd validation
            raise KeyboardInterrupt
        return softmax_cross_entropy(pred, target)

    history = fit(Dense(2, 2, rng=0), X, y, num_epochs=4, batch_size=16, optimizer=SGD(0.1),
                  loss=loss_interrupted_in_validation, validation=(X, y), progress=False)
    assert history.interrupted
    lengths = {name: len(getattr(history, name)) for name in ("loss", "acc", "val_loss", "val_acc", "seconds")}
    assert set(lengths.values()) == {1}, lengths
    assert history.epochs == 1
    history.plot()


def test_keyboard_interrupt_mid_adam_step_restores_the_optimizer_state_too():
    X, y = separable()
    model = Dense(2, 2, rng=0)

    class InterruptedAdam(Adam):
        steps = 0

        def step(self, model):
            InterruptedAdam.steps += 1
            if InterruptedAdam.steps == 3:
                self.t += 1  # half of an update: the counter and one moment change, then Ctrl-C
                self.m["weight"] += 1.0
                model.params["weight"] += 1.0
                raise KeyboardInterrupt
            super().step(model)

    optimizer = InterruptedAdam(0.01)
    history = fit(model, X, y, num_epochs=1, batch_size=16, optimizer=optimizer, progress=False)
    reference_model, reference = Dense(2, 2, rng=0), Adam(0.01)
    order = np.random.default_rng(0).permutation(len(X))
    for batch in range(2):
        idx = order[batch * 16:(batch + 1) * 16]
        _, dout = softmax_cross_entropy(reference_model.forward(X[idx]), y[idx])
        reference_model.backward(dout)
        reference.step(reference_model)
    assert history.interrupted
    assert optimizer.t == reference.t == 2
    np.testing.assert_array_equal(optimizer.m["weight"], reference.m["weight"])
    np.testing.assert_array_equal(optimizer.v["weight"], reference.v["weight"])
    np.testing.assert_array_equal(model.params["weight"], reference_model.params["weight"])


@pytest.mark.parametrize("X_val, y_val, error, match", [
    (np.zeros((5, 3)), np.zeros((5, 1)), ValueError, r"X_val has examples of shape \(3,\) but X has \(4,\)"),
    (np.zeros((5, 4)), np.zeros((5, 2)), ValueError, r"y_val has targets of shape \(2,\) but y has \(1,\)"),
    (np.zeros((5, 4)), np.zeros((4, 1)), ValueError, r"X_val has 5 examples but the targets have shape"),
    (np.zeros((5, 4)), np.zeros((5, 1), dtype="U1"), TypeError, r"y_val must be a real numeric array"),
])
def test_fit_checks_the_validation_data_before_training(X_val, y_val, error, match):
    X, Y = regression()
    model = Dense(4, 1, rng=0)
    before = model.params["weight"].copy()
    with pytest.raises(error, match=match):
        fit(model, X, Y, num_epochs=1, batch_size=8, optimizer=SGD(0.1), loss=mse,
            validation=(X_val, y_val), progress=False)
    np.testing.assert_array_equal(model.params["weight"], before)


def test_fit_checks_validation_labels_before_training():
    X, y = separable()
    model = Dense(2, 2, rng=0)
    before = model.params["weight"].copy()
    with pytest.raises(TypeError, match="y_val must be integer class labels like y"):
        fit(model, X, y, num_epochs=1, batch_size=8, optimizer=SGD(0.1), progress=False,
            validation=(X, y.astype(float)))
    y_val = y.copy()
    y_val[3] = 7
    with pytest.raises(ValueError, match=r"y_val: label 7 at index 3 is outside the class range 0..1"):
        fit(model, X, y, num_epochs=1, batch_size=8, optimizer=SGD(0.1), progress=False,
            validation=(X, y_val))
    np.testing.assert_array_equal(model.params["weight"], before)


def test_fit_without_targets_says_so():
    X, _ = separable()
    with pytest.raises(TypeError, match="y is None: fit needs targets"):
        fit(Dense(2, 2, rng=0), X, None, num_epochs=1, batch_size=8, optimizer=SGD(0.1), progress=False)


@pytest.mark.parametrize("seed, error, match", [("abc", TypeError, "seed must be an int, got 'abc'"),
                                                (-1, ValueError, "seed must be at least 0, got -1"),
                                                (1.5, TypeError, "seed must be an int, got 1.5"),
                                                (True, TypeError, "seed must be an int, got True")])
def test_fit_rejects_bad_seeds(seed, error, match):
    X, y = separable()
    with pytest.raises(error, match=match):
        fit(Dense(2, 2, rng=0), X, y, num_epochs=1, batch_size=8, optimizer=SGD(0.1), seed=seed, progress=False)


def test_progress_bar_counts_batches_per_epoch_and_in_all(capsys):
    X, y = separable()  # 80 examples: 2 batches of 40 per epoch
    fit(Dense(2, 2, rng=0), X, y, num_epochs=3, batch_size=40, optimizer=SGD(0.1))
    final = capsys.readouterr().err.split("\r")[-1]
    assert final.startswith("epoch 3/3, batch 2/2: 100%"), final
    assert "6/6 batches in all" in final


def test_save_weights_accepts_the_suffix_in_any_case(tmp_path):
    model = Dense(2, 2, rng=0)
    for name in ("w.NPZ", "v.Npz"):
        path = save_weights(model, tmp_path / name)
        assert path == tmp_path / name and path.is_file()
        load_weights(Dense(2, 2, rng=1), path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["v.Npz", "w.NPZ"]


@pytest.mark.parametrize("model, path, error, match", [
    (None, "w.npz", TypeError, "save_weights expects a model with params, got None"),
    ("model", "w.npz", TypeError, "save_weights expects a model with params, got str"),
    (Dense(2, 2, rng=0), None, TypeError, "path must be a file name, got None"),
])
def test_save_weights_rejects_bad_arguments(tmp_path, model, path, error, match):
    with pytest.raises(error, match=match):
        save_weights(model, None if path is None else tmp_path / path)
    assert list(tmp_path.iterdir()) == []


def test_load_weights_rejects_values_too_large_for_the_model_dtype(tmp_path):
    model = Dense(2, 2, rng=0)
    before = model.params["weight"].copy()
    path = tmp_path / "big.npz"
    np.savez(path, weight=np.full((2, 2), 1e39), bias=np.zeros(2))
    with pytest.raises(ValueError, match=r"weight holds 1e\+39, too large for the model's float32"):
        load_weights(model, path)
    np.testing.assert_array_equal(model.params["weight"], before)


def _corrupt_member(path, member):
    """Flip bytes in the middle of a compressed member's data."""
    import zipfile

    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(member)
    data = bytearray(path.read_bytes())
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for i in range(start + 5, start + info.compress_size - 5):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))


def test_load_weights_names_the_member_of_a_corrupt_compressed_file(tmp_path):
    model = Dense(20, 20, rng=0)
    before = model.params["weight"].copy()
    path = tmp_path / "corrupt.npz"
    np.savez_compressed(path, weight=np.ones((20, 20), np.float32), bias=np.zeros(20, np.float32))
    _corrupt_member(path, "weight.npy")
    with pytest.raises(ValueError, match=r"corrupt\.npz.*member weight\.npy"):
        load_weights(model, path)
    np.testing.assert_array_equal(model.params["weight"], before)


def test_load_weights_rejects_a_compression_bomb_before_inflating_it(tmp_path):
    import tracemalloc

    model = Dense(2, 2, rng=0)
    path = tmp_path / "bomb.npz"
    np.savez_compressed(path, weight=np.zeros(25_000_000, np.float32), bias=np.zeros(2, np.float32))
    assert path.stat().st_size < 1_000_000  # 100 MB of zeros inflate from this
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match=r"bomb\.npz does not match the model: weight has shape "
                                             r"\(25000000,\) in the file but \(2, 2\)"):
            load_weights(model, path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000


def test_load_weights_rejects_a_member_longer_than_its_header_says(tmp_path):
    import zipfile

    path = tmp_path / "padded.npz"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        with zf.open("weight.npy", "w") as f:  # a 2x2 array followed by 10 MB of zeros
            np.lib.format.write_array(f, np.zeros((2, 2), np.float32))
            for _ in range(10):
                f.write(bytes(1_000_000))
        with zf.open("bias.npy", "w") as f:
            np.lib.format.write_array(f, np.zeros(2, np.float32))
    with pytest.raises(ValueError, match=r"padded\.npz.*member weight\.npy holds 100000\d\d bytes"):
        load_weights(Dense(2, 2, rng=0), path)


def test_load_weights_checks_declared_shapes_before_reading_data(tmp_path):
    import zipfile

    model = Dense(2, 2, rng=0)
    before = model.params["weight"].copy()
    path = tmp_path / "huge.npz"
    header = {"descr": "<f4", "fortran_order": False, "shape": (10 ** 6, 10 ** 6)}
    with zipfile.ZipFile(path, "w") as zf:
        with zf.open("weight.npy", "w") as f:
            np.lib.format.write_array_header_1_0(f, header)
            f.write(bytes(64))
        with zf.open("bias.npy", "w") as f:
            np.lib.format.write_array(f, np.zeros(2, np.float32))
    with pytest.raises(ValueError, match=r"huge\.npz.*weight has shape \(1000000, 1000000\) in the file "
                                         r"but \(2, 2\) in the model"):
        load_weights(model, path)
    np.testing.assert_array_equal(model.params["weight"], before)


def test_load_weights_names_a_member_that_is_not_an_array(tmp_path):
    import zipfile

    model = Dense(2, 2, rng=0)
    path = tmp_path / "odd.npz"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("weight.npy", b"not an npy header")
        with zf.open("bias.npy", "w") as f:
            np.lib.format.write_array(f, np.zeros(2, np.float32))
    with pytest.raises(ValueError, match=r"odd\.npz.*member weight\.npy"):
        load_weights(model, path)


@pytest.mark.parametrize("n, ticks", [(3, [1, 2, 3]), (15, [1, 5, 10, 15]),
                                      (40, [1, 10, 20, 30, 40])])
def test_history_plot_labels_evenly_spaced_epochs(n, ticks):
    pytest.importorskip("matplotlib")
    history = History()
    history.loss, history.acc, history.seconds = [1.0] * n, [0.5] * n, [0.1] * n
    assert list(history.plot().axes[0].get_xticks()) == ticks
