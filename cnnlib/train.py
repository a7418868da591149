"""Training: the mini-batch loop, evaluation, and weights saved to ``.npz``.

:func:`fit` shuffles the data each epoch (from ``seed``), and for every batch runs
forward, loss, backward and one optimizer step. It records a :class:`History` and
shows a progress bar. It loses nothing on failure: a loss that becomes inf or NaN
raises :class:`NonFiniteLossError`, and one that explodes while staying finite
(an epoch's mean loss more than ``EXPLOSION_FACTOR`` times the first epoch's) raises
:class:`LossExplodedError`; both leave the model on its last good weights and carry
the history. Ctrl-C (KeyboardInterrupt) returns the history of the finished epochs,
with the weights and the optimizer's state as they were before any half-done step.
"""

import inspect
import numbers
import os
import time
import zipfile
import zlib
from collections import namedtuple
from pathlib import Path

import numpy as np

from ._checks import float_array, integer, positive_int as _positive_int
from .losses import softmax_cross_entropy

__all__ = ["fit", "evaluate", "predict", "History", "NonFiniteLossError", "LossExplodedError", "Evaluation", "save_weights", "load_weights"]

#: `fit` stops when an epoch's mean loss exceeds the first epoch's this many times.
EXPLOSION_FACTOR = 1e4

Evaluation = namedtuple("Evaluation", ["loss", "accuracy"])
Evaluation.__doc__ = "Mean loss and accuracy (None when the targets are not class labels)."


class History:
    """What :func:`fit` measured: one entry per finished epoch.

    Attributes
    ----------
    loss, acc : list of float
        Mean training loss and accuracy of each epoch (acc is None for
        non-classification targets).
    val_loss, val_acc : list of float
        The same on the validation data (empty without ``validation``).
    seconds : list of float
        Wall time of each epoch, validation included.
    batch_loss : list of float
        The loss of every batch, in order (also of an unfinished last epoch).
    interrupted : bool
        True if training stopped early on KeyboardInterrupt.
    """

    def __init__(self):
        self.loss, self.acc, self.val_loss, self.val_acc = [], [], [], []
        self.seconds, self.batch_loss = [], []
        self.interrupted = False

    @property
    def epochs(self):
        """Number of finished epochs."""
        return len(self.loss)

    def _add_epoch(self, loss, acc, val, seconds):
        """Record one finished epoch in every list at once (``val`` is an Evaluation or None)."""
        self.loss.append(loss)
        self.acc.append(acc)
        if val is not None:
            self.val_loss.append(val.loss)
            self.val_acc.append(val.accuracy)
        self.seconds.append(seconds)

    def _trim(self):
        """Drop a partly recorded epoch, so that every per-epoch list has the same length."""
        n = len(self.seconds)  # written last by _add_epoch
        for values in (self.loss, self.acc, self.val_loss, self.val_acc):
            del values[n:]

    def __repr__(self):
        if not self.loss:
            return "History(0 epochs)"
        last = [f"loss {self.loss[-1]:.4f}"]
        for name in ("acc", "val_loss", "val_acc"):
            values = getattr(self, name)
            if values and values[-1] is not None:
                last.append(f"{name} {values[-1]:.4f}")
        note = ", interrupted" if self.interrupted else ""
        return f"History({self.epochs} epochs{note}; last: {', '.join(last)}; {sum(self.seconds):.1f} s)"

    def plot(self):
        """Loss (and accuracy) per epoch, training and validation.

        Returns
        -------
        matplotlib.figure.Figure
            A book figure (:func:`cnnlib.viz.plot.new_figure`): sized for the column,
            text at least 11 px, detached from pyplot so a notebook shows it once.
        """
        import matplotlib

        from .viz.plot import COLUMN_WIDTH, STYLE, new_figure

        has_acc = any(a is not None for a in self.acc)
        fig = new_figure((COLUMN_WIDTH if has_acc else COLUMN_WIDTH * 0.55, 3.2))
        with matplotlib.rc_context(STYLE):  # legends and labels take their size when made
            axes = fig.subplots(1, 2 if has_acc else 1, squeeze=False)[0]
            epochs = np.arange(1, self.epochs + 1)
            panels = [("loss", self.loss, self.val_loss)]
            if has_acc:
                panels.append(("accuracy", self.acc, self.val_acc))
            for ax, (name, train, val) in zip(axes, panels):
                ax.plot(epochs, train, "o-", label="training")
                if val:
                    ax.plot(epochs, val, "s--", label="validation")
                ax.set_xlabel("epoch")
                ax.set_ylabel(name)
                ax.grid(alpha=0.3)
                ax.legend()
                if len(epochs):
                    ax.set_xticks(_epoch_ticks(len(epochs)))
            if has_acc:
                lowest = min(a for a in self.acc + self.val_acc if a is not None)
                axes[1].set_ylim(min(0.5, lowest) - 0.02, 1.02)
        return fig


def _epoch_ticks(n):
    """Epochs to label on an axis of ``n``: all up to 12, else 1 and round multiples."""
    if n <= 12:
        return np.arange(1, n + 1)
    step = next(s for s in (2, 5, 10, 20, 50, 100, 200, 500, 1000, 10 ** 9) if n / s <= 7)
    return np.r_[1, np.arange(step, n + 1, step)]


class NonFiniteLossError(FloatingPointError):
    """Training diverged: the loss (or a weight) became inf or NaN.

    The model is back on the weights that gave the last good loss.

    Attributes
    ----------
    history : History
        Everything recorded before the failure.
    epoch, batch : int
        Where it happened, counting from 1.
    """

    def __init__(self, message, history, epoch, batch):
        super().__init__(message)
        self.history, self.epoch, self.batch = history, epoch, batch


class LossExplodedError(NonFiniteLossError):
    """Training diverged: an epoch's mean loss grew more than ``EXPLOSION_FACTOR`` times the first epoch's.

    The loss is still finite but on its way to inf, so this is a kind of
    :class:`NonFiniteLossError`: ``except NonFiniteLossError`` catches both.
    """


# --------------------------------------------------------------------------- checks
def _model_dtype(model):
    params = model.params
    return next(iter(params.values())).dtype if params else None


def _data(model, X, y, name="X", y_name="y"):
    """Checked X (in the model's dtype) and y."""
    X = float_array(X, name, dtype=_model_dtype(model))
    if X.ndim < 1:
        raise ValueError(f"{name} must hold examples along its first axis, got a scalar {X!r}")
    if not np.isfinite(X).all():
        raise ValueError(f"{name} contains NaN or inf (at index {np.argwhere(~np.isfinite(X))[0].tolist()})")
    if y is not None:
        y = np.asarray(y)
        if y.dtype.kind not in "biuf":
            raise TypeError(f"{y_name} must be a real numeric array, got dtype {y.dtype}")
        if y.ndim == 0 or len(y) != len(X):
            raise ValueError(f"{name} has {len(X)} examples but the targets have shape {y.shape}")
        if y.dtype.kind == "f" and not np.isfinite(y).all():
            raise ValueError(f"the targets {y_name} contain NaN or inf")
    return X, y


def _check_labels(model, X, y, loss, name="y"):
    """Labels in range for softmax cross-entropy, checked before any training."""
    if loss is not softmax_cross_entropy or y.dtype.kind not in "iu":
        return
    shape = model.output_shape((None,) + X.shape[1:]) if hasattr(model, "output_shape") else None
    if shape is not None and len(shape) == 2 and shape[1] is not None:
        k = shape[1]
        bad = (y < 0) | (y >= k)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            where = "" if name == "y" else f"{name}: "
            raise ValueError(f"{where}label {y[i]} at index {i} is outside the class range 0..{k - 1}: "
                             f"the model has {k} outputs")


def _validation_data(model, X, y, validation, loss):
    """Checked (X_val, y_val): shaped like the training data, before any training."""
    if not isinstance(validation, (tuple, list)) or len(validation) != 2:
        raise ValueError("validation must be a pair (X_val, y_val)")
    X_val, y_val = _data(model, validation[0], validation[1], name="X_val", y_name="y_val")
    if X_val.shape[1:] != X.shape[1:]:
        raise ValueError(f"X_val has examples of shape {X_val.shape[1:]} but X has {X.shape[1:]}")
    if y_val.shape[1:] != y.shape[1:]:
        raise ValueError(f"y_val has targets of shape {y_val.shape[1:]} but y has {y.shape[1:]}")
    if y.dtype.kind in "iu" and y_val.dtype.kind not in "iu":
        raise TypeError(f"y_val must be integer class labels like y, got dtype {y_val.dtype}")
    _check_labels(model, X_val, y_val, loss, name="y_val")
    return X_val, y_val


def _is_classification(out, y):
    return out.ndim == 2 and y.ndim == 1 and y.dtype.kind in "iu"


def _backward(model, dout):
    """Backward pass, skipping the input gradient (training never uses it) if the model can."""
    if "input_grad" in inspect.signature(model.backward).parameters:
        model.backward(dout, input_grad=False)
    else:
        model.backward(dout)


# --------------------------------------------------------------------------- fit
def fit(model, X, y, *, num_epochs, batch_size, optimizer, loss=softmax_cross_entropy, validation=None,
        seed=0, progress=True, callback=None):
    """Train ``model`` on (X, y) with mini-batches.

    Parameters
    ----------
    model : layer or Sequential
        Anything with ``forward``, ``backward``, ``params`` and ``grads``.
    X : ndarray, shape (N, ...)
        Inputs, e.g. (N, C, H, W); cast to the dtype of the model's parameters.
    y : ndarray, shape (N,) or (N, ...)
        Integer class labels for :func:`~cnnlib.losses.softmax_cross_entropy`, or
        targets of the output's shape for :func:`~cnnlib.losses.mse`.
    num_epochs, batch_size : int
        Passes over the data, and examples per step (the last batch may be smaller).
    optimizer : SGD, Adam or anything with ``step(model)``
    loss : callable
        ``loss(pred, y) -> (loss, dpred)``.
    validation : (X_val, y_val), optional
        Evaluated at the end of every epoch.
    seed : int
        Seed of the shuffling, >= 0: same seed, same data, same model -> same numbers.
    progress : bool
        Show a progress bar (tqdm.auto) with the running loss and accuracy. It reads
        ``epoch 2/4, batch 94/94: 50%|...| 188/376 batches in all``.
    callback : callable, optional
        ``callback(epoch, batch, loss)`` after every optimizer step (epoch and batch
        counted from 1), e.g. to record a kernel for an animation.

    Returns
    -------
    History
        ``history.interrupted`` is True if Ctrl-C stopped training early.

    Raises
    ------
    NonFiniteLossError
        The loss or a weight became inf or NaN. The model keeps the weights that
        gave the last finite loss; the error's ``.history`` holds the history so far.
    LossExplodedError
        An epoch's mean loss grew more than ``EXPLOSION_FACTOR`` (1e4) times the
        first epoch's (checked when that is > 0): training diverges while the numbers
        stay finite. The model keeps its weights from the end of the epoch before.
    """
    num_epochs = _positive_int(num_epochs, "num_epochs")
    batch_size = _positive_int(batch_size, "batch_size")
    if not callable(getattr(optimizer, "step", None)):
        raise TypeError(f"optimizer must have a step(model) method, got {type(optimizer).__name__}")
    if not callable(loss):
        raise TypeError(f"loss must be a function loss(pred, y) -> (loss, dpred), got {type(loss).__name__}")
    seed = integer(seed, "seed", minimum=0)
    if y is None:
        raise TypeError("y is None: fit needs targets, class labels (N,) or outputs shaped like the model's")
    X, y = _data(model, X, y)
    _check_labels(model, X, y, loss)
    if validation is not None:
        X_val, y_val = _validation_data(model, X, y, validation, loss)

    history = History()
    rng = np.random.default_rng(seed)
    num_batches = -(-len(X) // batch_size)
    bar = _ProgressBar(num_epochs, num_batches) if progress else None
    guard = _Guard(model, optimizer)
    try:
        with np.errstate(over="ignore", invalid="ignore"):  # divergence is checked, not warned about
            for epoch in range(1, num_epochs + 1):
                start = time.perf_counter()
                guard.epoch = epoch
                loss_value, acc = _train_epoch(model, X, y, rng.permutation(len(X)), batch_size, optimizer,
                                               loss, guard, history, callback, bar)
                if history.loss and 0 < EXPLOSION_FACTOR * history.loss[0] < loss_value:
                    guard.restore(epoch_end=True)
                    raise guard.error(LossExplodedError, f"the mean loss of epoch {epoch} grew to {loss_value:.3g}, "
                                      f"more than {EXPLOSION_FACTOR:g} times the {history.loss[0]:.3g} of epoch 1,",
                                      num_batches, history, optimizer)
                val = None
                if validation is not None:
                    val = evaluate(model, X_val, y_val, loss=loss)
                    if bar is not None:
                        bar.set_postfix(_postfix(loss_value, acc, val.loss, val.accuracy))
                history._add_epoch(loss_value, acc, val, time.perf_counter() - start)
                guard.save(epoch_end=True)
    except KeyboardInterrupt:
        if guard.updating:
            guard.restore()  # an update cut in half is undone, the optimizer's state too
        history._trim()
        history.interrupted = True
        if bar is not None:
            bar.write(f"interrupted in epoch {guard.epoch}, batch {guard.batch}: returning the history "
                      f"of {history.epochs} finished epochs")
    finally:
        if bar is not None:
            bar.close()
    return history


class _ProgressBar:
    """A tqdm.auto bar: an ipywidgets bar inside Jupyter, text elsewhere.

    In Jupyter the widget's text form (what a notebook saved without widget state,
    or a book built from it, shows) is refreshed when the bar closes, so it shows
    the final numbers rather than "0%".
    """

    FORMAT = "{l_bar}{bar}| {n_fmt}/{total_fmt} batches in all [{elapsed}<{remaining}, {rate_fmt}{postfix}]"

    def __init__(self, num_epochs, num_batches):
        from tqdm.auto import tqdm

        self.num_epochs, self.num_batches = num_epochs, num_batches
        kwargs = dict(total=num_epochs * num_batches, unit="batch", leave=True, bar_format=self.FORMAT)
        self.handle = None
        if _is_notebook_tqdm(tqdm):
            from IPython.display import display

            self.bar = tqdm(display=False, ncols=None, **kwargs)
            self.handle = display(self.bar.container, display_id=True)
        else:
            self.bar = tqdm(dynamic_ncols=True, **kwargs)

    def __getattr__(self, name):  # set_postfix, write
        return getattr(self.bar, name)

    def advance(self, epoch, batch, postfix):
        """Count one finished batch: where we are, within the epoch and in all, and the running numbers."""
        self.bar.set_description(f"epoch {epoch}/{self.num_epochs}, batch {batch}/{self.num_batches}",
                                 refresh=False)
        self.bar.set_postfix(postfix, refresh=False)
        self.bar.update(1)

    def close(self):
        self.bar.close()
        if self.handle is not None:
            bundle = dict(self.bar.container._repr_mimebundle_())
            bundle["text/plain"] = repr(self.bar.container)  # in full: ipywidgets cuts it at 110 characters
            self.handle.update(bundle, raw=True)


def _is_notebook_tqdm(cls):
    try:
        from tqdm.notebook import tqdm as notebook_tqdm
    except ImportError:
        return False
    return issubclass(cls, notebook_tqdm)


def _train_epoch(model, X, y, order, batch_size, optimizer, loss, guard, history, callback, bar):
    """One pass over X in the given order; returns the mean loss and accuracy (or None)."""
    n = len(order)
    num_batches = -(-n // batch_size)
    total_loss, correct, classified = 0.0, 0, True
    for batch in range(1, num_batches + 1):
        guard.batch = batch
        idx = order[(batch - 1) * batch_size:batch * batch_size]
        xb, yb = X[idx], y[idx]
        out = model.forward(xb)
        value, dout = loss(out, yb)
        if not np.isfinite(value):
            guard.restore()
            raise guard.error(NonFiniteLossError, f"the loss is {value}", num_batches, history, optimizer)
        history.batch_loss.append(value)
        guard.save()
        _backward(model, dout)
        guard.updating = True
        optimizer.step(model)
        guard.updating = False
        if not guard.weights_finite():
            guard.restore()
            raise guard.error(NonFiniteLossError, "a weight became inf or NaN", num_batches, history, optimizer)
        total_loss += value * len(idx)
        classified = classified and _is_classification(out, yb)
        if classified:
            correct += int(np.count_nonzero(out.argmax(axis=1) == yb))
        if callback is not None:
            callback(guard.epoch, batch, value)
        if bar is not None:
            seen = min(batch * batch_size, n)
            bar.advance(guard.epoch, batch, _postfix(total_loss / seen, correct / seen if classified else None))
    return total_loss / n, (correct / n if classified else None)


def _postfix(loss, acc, val_loss=None, val_acc=None):
    """The numbers shown after the progress bar."""
    items = {"loss": loss, "acc": acc, "val_loss": val_loss, "val_acc": val_acc}
    return {name: f"{value:.4f}" for name, value in items.items() if value is not None}


class _Guard:
    """Keeps a copy of the weights that gave the last good loss, and of the optimizer's
    state at that point, to put back on failure."""

    def __init__(self, model, optimizer):
        self.model, self.optimizer = model, optimizer
        self.has_state = callable(getattr(optimizer, "state_dict", None)) and \
            callable(getattr(optimizer, "load_state_dict", None))
        # two checkpoints: before the current step, and at the end of the last good epoch
        self.saved = {when: ({name: p.copy() for name, p in model.params.items()},
                             optimizer.state_dict() if self.has_state else None) for when in (False, True)}
        self.epoch = self.batch = 0
        self.updating = False

    def save(self, epoch_end=False):
        params, state = self.saved[epoch_end]
        for name, copy in params.items():
            np.copyto(copy, self.model.params[name])
        if self.has_state:
            self.saved[epoch_end] = params, self.optimizer.state_dict()

    def restore(self, epoch_end=False):
        params, state = self.saved[epoch_end]
        for name, copy in params.items():
            np.copyto(self.model.params[name], copy)
        if self.has_state:
            self.optimizer.load_state_dict(state)

    def weights_finite(self):
        return all(np.isfinite(p).all() for p in self.model.params.values())

    def error(self, kind, what, num_batches, history, optimizer):
        lr = getattr(optimizer, "lr", None)
        hint = f" (now lr={lr:g})" if isinstance(lr, numbers.Real) else ""
        kept = ("the weights of the last finite loss" if kind is NonFiniteLossError else
                f"its weights from the end of epoch {self.epoch - 1}")
        message = (f"{what} at epoch {self.epoch}, batch {self.batch} of {num_batches}: training diverged. "
                   f"The model keeps {kept}, and this error's .history holds the history so far. "
                   f"Try a smaller learning rate{hint}.")
        return kind(message, history, self.epoch, self.batch)


# --------------------------------------------------------------------------- evaluation
def _batches(n, batch_size):
    batch_size = _positive_int(batch_size, "batch_size")
    return [slice(i, min(i + batch_size, n)) for i in range(0, n, batch_size)]


def predict(model, X, batch_size=256):
    """The model's outputs for X, computed in batches.

    Parameters
    ----------
    model : layer or Sequential
    X : ndarray, shape (N, ...)
    batch_size : int

    Returns
    -------
    out : ndarray, shape (N, ...)
        For a classifier, the logits (N, K); ``out.argmax(axis=1)`` gives the labels.
    """
    X, _ = _data(model, X, None)
    return np.concatenate([model.forward(X[s]) for s in _batches(len(X), batch_size)])


def evaluate(model, X, y, loss=softmax_cross_entropy, batch_size=256):
    """Mean loss and accuracy of ``model`` on (X, y).

    Parameters
    ----------
    model : layer or Sequential
    X : ndarray, shape (N, ...)
    y : ndarray, shape (N,) of int labels, or targets shaped like the output
    loss : callable
    batch_size : int

    Returns
    -------
    Evaluation
        ``(loss, accuracy)``; accuracy is None when y is not class labels.
    """
    X, y = _data(model, X, y)
    _check_labels(model, X, y, loss)
    total, correct, classified = 0.0, 0, True
    for s in _batches(len(X), batch_size):
        out = model.forward(X[s])
        value, _ = loss(out, y[s])
        total += value * len(out)
        classified = classified and _is_classification(out, y[s])
        if classified:
            correct += int(np.count_nonzero(out.argmax(axis=1) == y[s]))
    return Evaluation(total / len(X), correct / len(X) if classified else None)


# --------------------------------------------------------------------------- weights
def _params_of(model, what):
    params = getattr(model, "params", None)
    if not isinstance(params, dict):
        raise TypeError(f"{what} expects a model with params, got {type(model).__name__}")
    return params


def _weights_path(path):
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a file name, got {path!r}")
    return Path(path)


def save_weights(model, path):
    """Save ``model.params`` to an ``.npz`` file (plain arrays, no pickle).

    Parameters
    ----------
    model : layer or Sequential
    path : str or Path
        ``.npz`` is appended if missing (``.NPZ`` in any case counts).

    Returns
    -------
    Path
        The file written. It appears complete or not at all: the arrays are
        written to a temporary file next to it, which then replaces it.
    """
    params = _params_of(model, "save_weights")
    path = _weights_path(path)
    if path.suffix.lower() != ".npz":
        path = path.with_name(path.name + ".npz")
    partial = path.with_name(path.name + ".partial")
    try:
        with open(partial, "wb") as f:  # a file object: numpy appends no second suffix
            np.savez(f, **{name: np.asarray(p) for name, p in params.items()})
        os.replace(partial, path)
    finally:
        if partial.exists():
            partial.unlink()
    return path


def load_weights(model, path):
    """Load weights saved by :func:`save_weights` into ``model``, in place.

    Every parameter of the model must be in the file with the same shape, and the
    file must hold nothing else. The member names and each member's ``.npy`` header
    (dtype and shape) are checked against the model before any data is read, so a
    file built to inflate to gigabytes is refused after reading a few hundred bytes.
    On any problem nothing is changed and ValueError names the file, the member and
    what differs.

    Parameters
    ----------
    model : layer or Sequential
    path : str or Path

    Returns
    -------
    model
    """
    params = _params_of(model, "load_weights")
    path = _weights_path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no weights file at {path}")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as err:
        raise ValueError(f"{path} is not a weights file written by save_weights: {err}") from None
    with archive:
        members = {_member_name(info.filename): info for info in archive.infolist()}
        headers = {name: _npy_header(archive, info, path) for name, info in members.items()}
        _check_against_model(params, headers, path)
        arrays = {name: _read_member(archive, members[name], headers[name], path) for name in params}
    problems = []
    for name, p in params.items():
        with np.errstate(over="ignore", invalid="ignore"):
            converted = arrays[name].astype(p.dtype)
        if not np.isfinite(arrays[name]).all():
            problems.append(f"{name} contains NaN or inf")
        elif not np.isfinite(converted).all():
            big = np.abs(arrays[name]).max()
            problems.append(f"{name} holds {big:g}, too large for the model's {p.dtype}")
        arrays[name] = converted
    if problems:
        raise ValueError(f"{path} does not match the model: " + "; ".join(problems))
    for name, p in params.items():
        np.copyto(p, arrays[name])
    return model


def _member_name(filename):
    """The array name of an .npz member: ``"0.weight.npy"`` -> ``"0.weight"``."""
    return filename[:-4] if filename.endswith(".npy") else filename


def _npy_header(archive, info, path):
    """(shape, dtype, fortran_order, data offset) from a member's .npy header, without its data."""
    where = f"{path} is not a weights file written by save_weights: member {info.filename}"
    readers = {(1, 0): np.lib.format.read_array_header_1_0, (2, 0): np.lib.format.read_array_header_2_0}
    try:
        with archive.open(info) as f:
            version = np.lib.format.read_magic(f)
            if version not in readers:
                raise ValueError(f".npy format version {version} is not supported")
            shape, fortran, dtype = readers[version](f)
            offset = f.tell()
    except (ValueError, OSError, EOFError, SyntaxError, TypeError, RuntimeError, NotImplementedError,
            zipfile.BadZipFile, zlib.error) as err:
        raise ValueError(f"{where} has no valid .npy header ({err})") from None
    if dtype.hasobject:
        raise ValueError(f"{where} holds pickled Python objects, not numbers")
    return shape, dtype, fortran, offset


def _check_against_model(params, headers, path):
    """Names, dtypes and shapes of the file's members against the model's parameters."""
    problems = [f"missing {name} {p.shape}" for name, p in params.items() if name not in headers]
    problems += [f"unexpected {name} {h[0]}" for name, h in headers.items() if name not in params]
    for name, p in params.items():
        if name not in headers:
            continue
        shape, dtype, _, _ = headers[name]
        if shape != p.shape:
            problems.append(f"{name} has shape {shape} in the file but {p.shape} in the model")
        elif dtype.kind not in "biuf":
            problems.append(f"{name} has dtype {dtype} in the file, expected floats")
    if problems:
        raise ValueError(f"{path} does not match the model: " + "; ".join(problems))


def _read_member(archive, info, header, path):
    """The array of one member, whose header was checked: reads exactly the bytes it declares."""
    shape, dtype, fortran, offset = header
    nbytes = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    where = f"{path} is not a weights file written by save_weights: member {info.filename}"
    if info.file_size != offset + nbytes:
        raise ValueError(f"{where} holds {info.file_size - offset} bytes of data, but its header "
                         f"declares {shape} {dtype} ({nbytes} bytes)")
    try:
        with archive.open(info) as f:
            f.seek(offset)
            data = f.read(nbytes)
    except (OSError, EOFError, RuntimeError, NotImplementedError, zipfile.BadZipFile, zlib.error) as err:
        raise ValueError(f"{where} is corrupt: {err}") from None
    if len(data) != nbytes:
        raise ValueError(f"{where} is truncated: {len(data)} of {nbytes} bytes")
    return np.frombuffer(data, dtype=dtype).reshape(shape, order="F" if fortran else "C")
