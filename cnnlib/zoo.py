"""Trained networks: the small cats-vs-dogs CNN, built, trained by one recipe, and cached.

The book's small CNN (two blocks of convolution, ReLU and max pooling, then a dense layer)
is trained once by :func:`train_small_cnn`, and its weights are saved with
:func:`~cnnlib.train.save_weights` in a cache folder. :func:`load_small_cnn` gives back the
same network later, in any notebook and in any order, by loading those weights (or by
training it once if they are missing). The cache file's name is a hash of the training data
and the recipe, so new data or a new recipe never loads stale weights.

The cache folder is ``$CNNLIB_CACHE`` if set, else ``$XDG_CACHE_HOME/cnnlib``, else
``~/.cache/cnnlib``; it lives outside the project, so weights are never committed.
"""

import hashlib
import os
import tempfile
from pathlib import Path

import numpy as np

from .datasets import cats_vs_dogs
from .layers import Conv2D, Dense, Flatten, MaxPool2D, ReLU, Sequential
from .optim import Adam
from .train import fit, load_weights, save_weights

#: How the small CNN is trained: the data (``cats_vs_dogs(num_train, seed=data_seed)``),
#: the weights' seed, Adam's learning rate, epochs, batch size and the shuffling seed.
RECIPE = {"num_train": 3000, "data_seed": 0, "seed": 0, "lr": 0.003, "num_epochs": 6,
          "batch_size": 32, "shuffle_seed": 0}


def small_cnn(seed=0, fuse=False):
    """The small CNN for 3x32x32 images and two classes.

    Conv2D(3, 8, 3, padding=1), ReLU, MaxPool2D(2) -> (N, 8, 16, 16);
    Conv2D(8, 16, 3, padding=1), ReLU, MaxPool2D(2) -> (N, 16, 8, 8);
    Flatten -> (N, 1024); Dense(1024, 2) -> (N, 2) class scores.

    Parameters
    ----------
    seed : int
        Seed of the random initial weights.
    fuse : bool
        Passed to :class:`~cnnlib.layers.Sequential`: True opts into the faster fused
        training path, which computes the same numbers.

    Returns
    -------
    Sequential
    """
    rng = np.random.default_rng(seed)
    return Sequential(
        Conv2D(3, 8, 3, padding=1, rng=rng), ReLU(), MaxPool2D(2),
        Conv2D(8, 16, 3, padding=1, rng=rng), ReLU(), MaxPool2D(2),
        Flatten(), Dense(16 * 8 * 8, 2, rng=rng), fuse=fuse)


def cache_dir():
    """The folder that holds cached weights (see the module docstring); created if missing.

    Returns
    -------
    Path
    """
    root = os.environ.get("CNNLIB_CACHE")
    if not root:
        xdg = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        root = os.path.join(xdg, "cnnlib")
    path = Path(root)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _weights_path(X, y, folder):
    # the name depends on the recipe, the data and cnnlib's own code: weights trained by
    # other code (other rounding, say) are never taken for this network
    digest = hashlib.sha256(repr(sorted(RECIPE.items())).encode())
    for source in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(source.read_bytes())
    digest.update(np.ascontiguousarray(X, np.float32).tobytes())
    digest.update(np.ascontiguousarray(y, np.int64).tobytes())
    folder = Path(folder) if folder is not None else cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"small_cnn-{digest.hexdigest()[:16]}.npz"


def train_small_cnn(X, y, *, validation=None, progress=True, folder=None):
    """Train :func:`small_cnn` on (X, y) by :data:`RECIPE`, and cache its weights.

    Training opts into the fused fast path (``fuse=True``), which is tested equal to the
    plain one; the network returned is a plain ``small_cnn()`` holding the trained weights,
    so that each layer's own forward and backward run when it is used afterwards.

    Parameters
    ----------
    X : ndarray, shape (N, 3, 32, 32)
    y : ndarray, shape (N,)
        Class labels, 0 or 1.
    validation : (X_val, y_val), optional
        Measured after every epoch.
    progress : bool
        Show :func:`~cnnlib.train.fit`'s progress bar.
    folder : str or Path, optional
        Where to save the weights; by default :func:`cache_dir`.

    Returns
    -------
    net : Sequential
    history : History
    """
    fused = small_cnn(seed=RECIPE["seed"], fuse=True)
    history = fit(fused, X, y, num_epochs=RECIPE["num_epochs"], batch_size=RECIPE["batch_size"],
                  optimizer=Adam(lr=RECIPE["lr"]), validation=validation,
                  seed=RECIPE["shuffle_seed"], progress=progress)
    path = _weights_path(X, y, folder)
    # write to a temporary file, then rename: a notebook running at the same time never
    # sees half a file
    handle, temporary = tempfile.mkstemp(suffix=".npz", dir=path.parent)
    os.close(handle)
    try:
        save_weights(fused, temporary)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)
    return load_weights(small_cnn(seed=RECIPE["seed"]), path), history


def load_small_cnn(*, folder=None):
    """The small CNN trained by :data:`RECIPE` on ``cats_vs_dogs(3000, seed=0)``.

    Loads the weights that :func:`train_small_cnn` cached; if there are none yet, trains
    the network once (without a progress bar) and caches it.

    Parameters
    ----------
    folder : str or Path, optional
        Where the weights are cached; by default :func:`cache_dir`.

    Returns
    -------
    Sequential
        A plain (unfused) ``small_cnn()`` with the trained weights.
    """
    X, y = cats_vs_dogs(RECIPE["num_train"], size=32, seed=RECIPE["data_seed"])
    path = _weights_path(X, y, folder)
    if path.is_file():
        try:
            return load_weights(small_cnn(seed=RECIPE["seed"]), path)
        except ValueError:
            pass  # a damaged cache file: train again and overwrite it
    return train_small_cnn(X, y, progress=False, folder=folder)[0]
