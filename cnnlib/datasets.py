"""Data sets: the toy cats-vs-dogs faces, folders of real photos, and a stratified split.

Everything comes out as the networks want it: X float32 (N, C, H, W) in [0, 1] and
y int64 (N,) class indices. Reading photos needs Pillow (through `cnnlib.images`); the
toy faces are drawn with numpy alone.
"""

import os
import re
import warnings

import numpy as np

from ._checks import integer

#: Class names of `cats_vs_dogs`, indexed by label: 0 is a cat, 1 a dog.
CLASSES = ("cat", "dog")

_MIN_FACE_SIZE = 16
_GRAY = np.array([0.299, 0.587, 0.114], np.float32)  # luminance, as cnnlib.images.to_gray  # below this many pixels a face has no room for ears, eyes and whiskers

# Palettes shared by both classes, so that no colour tells a cat from a dog.
_FUR = np.array([(0.86, 0.55, 0.24), (0.55, 0.36, 0.20), (0.56, 0.56, 0.60), (0.20, 0.18, 0.17),
                 (0.93, 0.89, 0.80), (0.78, 0.66, 0.46), (0.40, 0.30, 0.25), (0.70, 0.70, 0.72)], np.float32)


# --------------------------------------------------------------------------- drawing with distance fields

def _coverage(sdf, scale):
    """Anti-aliased coverage of the shape ``sdf < 0``; ``scale`` converts sdf units to pixels."""
    return np.clip(0.5 - sdf * scale, 0, 1)


def _ellipse(p, q, cx, cy, a, b):
    """Approximate signed distance to an axis-aligned ellipse (centre cx, cy; semi-axes a, b)."""
    return (np.sqrt(((p - cx) / a) ** 2 + ((q - cy) / b) ** 2) - 1) * np.minimum(a, b)


def _triangle(p, q, corners):
    """Signed distance (exact inside, close outside) to a triangle given by three (p, q) corners."""
    (a0, b0), (a1, b1), (a2, b2) = corners
    turn = np.sign((a1 - a0) * (b2 - b0) - (b1 - b0) * (a2 - a0))  # corners in either order
    d = None
    for (p0, q0), (p1, q1) in zip(corners, corners[1:] + corners[:1]):
        ep, eq = p1 - p0, q1 - q0
        length = np.sqrt(ep ** 2 + eq ** 2)
        side = turn * ((p - p0) * eq - (q - q0) * ep) / length  # > 0 outside
        d = side if d is None else np.maximum(d, side)
    return d


def _segment(p, q, p0, q0, p1, q1, half_width):
    """Signed distance to a thick line segment from (p0, q0) to (p1, q1)."""
    ep, eq = p1 - p0, q1 - q0
    t = np.clip(((p - p0) * ep + (q - q0) * eq) / (ep ** 2 + eq ** 2), 0, 1)
    return np.sqrt((p - p0 - t * ep) ** 2 + (q - q0 - t * eq) ** 2) - half_width


def _paint(image, colour, alpha):
    """image (m, 3, S, S) <- colour (m, 3) over it with coverage alpha (m, S, S)."""
    alpha = alpha[:, None]
    image *= 1 - alpha
    image += alpha * colour[:, :, None, None]


def _face_params(rng, n, size):
    """Every random choice for n faces, drawn up front so the set does not depend on chunking.

    Every colour comes from one distribution shared by both classes, and no colour is fixed:
    a fixed colour (a pink tongue, a black pupil) seen in one class only would give the class
    away to a model that looks at single pixels.
    """
    u = lambda lo, hi, *shape: rng.uniform(lo, hi, (n,) + shape).astype(np.float32)  # noqa: E731
    fur = np.clip(_FUR[rng.integers(0, len(_FUR), n)] * u(0.85, 1.15, 1), 0, 1)
    ear = np.clip(fur * np.where(u(0, 1, 1) < 0.7, u(0.35, 0.7, 1), u(1.3, 1.6, 1)) + u(-0.05, 0.05, 3), 0, 1)
    # The background stands out from the fur, lighter or darker at random, so the outline shows.
    fur_gray = fur @ _GRAY
    sign = np.where(u(0, 1) < 0.5, -1.0, 1.0).astype(np.float32)
    sign = np.where(fur_gray + sign * 0.3 > 0.95, -1, np.where(fur_gray + sign * 0.3 < 0.05, 1, sign))
    backgrounds = []
    for _ in range(2):
        colour = u(0.0, 1.0, 3)
        target = np.clip(fur_gray + sign * u(0.25, 0.5), 0.03, 0.97)
        backgrounds.append(np.clip(colour + (target - colour @ _GRAY)[:, None], 0, 1))
    # A nose and pupils dark or mid-dark, tinted at random.
    nose = np.clip(u(0.05, 0.6, 1) * (1 + u(-0.3, 0.3, 3)), 0, 1)
    return {
        "cx": size * (0.5 + u(-0.12, 0.12)), "cy": size * (0.53 + u(-0.10, 0.10)),
        "radius": size * u(0.24, 0.31), "angle": u(-0.35, 0.35), "width": u(0.92, 1.08),
        "fur": fur, "ear": ear,
        "muzzle": np.clip(fur * u(0.6, 1.6, 1) + u(-0.1, 0.2, 1), 0, 1),
        "iris": u(0.1, 0.9, 3), "pupil": np.clip(u(0.0, 0.3, 1) + u(-0.05, 0.05, 3), 0, 1),
        "nose": nose, "tongue_colour": np.clip(u(0.3, 1.0, 3), 0, 1),
        "whisker": np.where(u(0, 1, 1) < 0.5, ear, np.clip(1.5 * fur, 0, 1)),
        "background": backgrounds[0], "background2": backgrounds[1],
        "gradient": u(-np.pi, np.pi), "blob": np.column_stack([u(0, size), u(0, size), u(0.1, 0.3) * size]),
        "ear_spread": u(0.9, 1.1), "ear_length": u(0.9, 1.15), "tongue": u(0, 1) < 0.5,
        "noise": u(0.02, 0.06),
    }


def _draw_faces(is_cat, par, size, noise):
    """Render m faces, (m, 3, size, size) float32; par holds arrays of length m.

    The parts that differ in shape between the classes cover about the same area in both,
    so that counting pixels of a colour says little about the class: the ears, the muzzle,
    the nose and the pupils (a slit or a dot, of equal area).
    """
    m = len(is_cat)
    col = lambda v: v[:, None, None]  # noqa: E731  (m,) -> (m, 1, 1)
    grid = np.arange(size, dtype=np.float32) + 0.5
    gx, gy = grid[None, None, :], grid[None, :, None]
    # Background: a gradient between two colours and a soft blob.
    g = (np.cos(col(par["gradient"])) * (gx - size / 2) + np.sin(col(par["gradient"])) * (gy - size / 2)) / size + 0.5
    image = (par["background"][:, :, None, None] * (1 - g[:, None]) + par["background2"][:, :, None, None] * g[:, None])
    bx, by, br = (col(par["blob"][:, i]) for i in range(3))
    _paint(image, par["background2"][:, ::-1], 0.4 * np.exp(-((gx - bx) ** 2 + (gy - by) ** 2) / br ** 2))
    # Face coordinates: p across, q down, in units of the head radius, rotated with the head.
    r = col(par["radius"])
    c, s = np.cos(col(par["angle"])), np.sin(col(par["angle"]))
    dx, dy = gx - col(par["cx"]), gy - col(par["cy"])
    p, q = (c * dx + s * dy) / r, (-s * dx + c * dy) / r
    cat, dog = col(is_cat.astype(np.float32)), col(1 - is_cat.astype(np.float32))
    ap = np.abs(p)  # faces are symmetric: draw the right half and mirror it through |p|
    spread, length = col(par["ear_spread"]), col(par["ear_length"])
    # Cat ears: pointed triangles behind the top of the head, an inner ear in the ear colour.
    outer = _triangle(ap, q, [(0.25 * spread, -0.70), (0.92 * spread, -0.30), (0.62 * spread, -0.75 - 0.55 * length)])
    inner = _triangle(ap, q, [(0.33 * spread, -0.64), (0.84 * spread, -0.36), (0.62 * spread, -0.68 - 0.45 * length)])
    _paint(image, par["fur"], cat * _coverage(outer, r))
    _paint(image, par["ear"], cat * _coverage(inner, r))
    # The head, slightly wider or narrower per animal.
    _paint(image, par["fur"], _coverage(_ellipse(p, q, 0, 0, col(par["width"]), 0.92), r))
    # Dog ears: floppy ovals hanging down the sides of the head, in front of it.
    ear = _ellipse(ap, q - 0.08, 0.92 * spread, 0.1 * length, 0.2, 0.5 * length)
    _paint(image, par["ear"], dog * _coverage(ear, r))
    # Muzzle: a dog's one wide oval, a cat's two whisker pads of about the same area.
    muzzle = np.where(dog > 0, _ellipse(p, q, 0, 0.42, 0.42, 0.27), _ellipse(ap, q, 0.2, 0.40, 0.24, 0.22))
    _paint(image, par["muzzle"], _coverage(muzzle, r))
    # Eyes: an iris; a cat's pupil is a vertical slit, a dog's a round dot of the same area.
    _paint(image, par["iris"], _coverage(_ellipse(ap, q, 0.38, -0.12, 0.17, 0.17), r))
    pupil = np.where(dog > 0, _ellipse(ap, q, 0.38, -0.12, 0.095, 0.095), _ellipse(ap, q, 0.38, -0.12, 0.06, 0.15))
    _paint(image, par["pupil"], _coverage(pupil, r))
    # Nose: a dog's oval, a cat's triangle of about the same area; either may show its tongue.
    nose = np.where(dog > 0, _ellipse(p, q, 0, 0.22, 0.13, 0.085),
                    _triangle(p, q, [(-0.16, 0.18), (0.16, 0.18), (0.0, 0.39)]))
    _paint(image, par["nose"], _coverage(nose, r))
    tongue = _ellipse(p, q, 0, np.where(dog > 0, 0.76, 0.66), 0.13, 0.15)
    _paint(image, par["tongue_colour"], col(par["tongue"].astype(np.float32)) * _coverage(tongue, r))
    # Whiskers: three thin lines each side, reaching past the cheeks.
    whiskers = np.min([_segment(ap, q, 0.25, 0.40, 1.30, 0.18 + 0.17 * k, 0.035) for k in range(3)], axis=0)
    _paint(image, par["whisker"], cat * _coverage(whiskers, r))
    image += noise * col(par["noise"])[:, None]
    return np.clip(image, 0, 1).astype(np.float32)


def cats_vs_dogs(n, size=32, seed=0):
    """A toy data set of cat and dog faces, drawn with numpy: balanced and deterministic.

    Cats have pointed ears, slit pupils, a small nose and whiskers; dogs have floppy ears, a
    wide muzzle with a big nose and sometimes a tongue. Position, size, tilt, fur, eye and
    background colours (from distributions both classes share) and the noise level vary at
    random. The parts that differ in shape cover about the same area in both classes (a slit
    pupil and a round one of equal area, and so on), so neither a colour histogram nor a
    model that looks at one pixel at a time does much better than chance: the shapes decide.

    Parameters
    ----------
    n : int
        Number of images, at least 2; classes get ``n // 2`` and ``n - n // 2`` of them.
    size : int
        Height and width in pixels, at least 16.
    seed : int
        The same (n, size, seed) always gives the same images.

    Returns
    -------
    X : ndarray, shape (n, 3, size, size), float32 in [0, 1]
    y : ndarray, shape (n,), int64
        0 for a cat, 1 for a dog (see `CLASSES`).
    """
    n = integer(n, "n", minimum=2)  # one image of each class
    size = integer(size, "size", minimum=_MIN_FACE_SIZE)  # room for ears, eyes and whiskers
    rng = np.random.default_rng(integer(seed, "seed", minimum=0))
    y = rng.permutation(np.arange(n) % 2).astype(np.int64)
    par = _face_params(rng, n, size)
    noise = rng.standard_normal((n, 3, size, size), dtype=np.float32)
    X = np.empty((n, 3, size, size), np.float32)
    chunk = max(1, 2 ** 19 // size ** 2)  # about 2 MB per temporary array
    for start in range(0, n, chunk):
        part = slice(start, start + chunk)
        X[part] = _draw_faces(y[part] == 0, {k: v[part] for k, v in par.items()}, size, noise[part])
    return X, y


# --------------------------------------------------------------------------- real photos

_KAGGLE_NAME = re.compile(r"^([^.]+)\.[^.]+\.[^.]+$")  # cat.123.jpg -> "cat"


def _visible_entries(folder):
    return sorted(e for e in os.listdir(folder) if not e.startswith("."))


def _files_under(folder):
    """Regular files in ``folder`` and all its visible sub-folders, in path order."""
    found = []
    for entry in _visible_entries(folder):
        path = os.path.join(folder, entry)
        if os.path.isdir(path) and not os.path.islink(path):  # a linked folder could loop
            found += _files_under(path)
        elif os.path.isfile(path):
            found.append(path)
    return found


def _labelled_files(root):
    """(path, class name) pairs and skipped (path, reason) pairs of a folder of photos."""
    entries = _visible_entries(root)
    folders = [e for e in entries if os.path.isdir(os.path.join(root, e))]
    files = [e for e in entries if os.path.isfile(os.path.join(root, e))]
    labelled, skipped = [], []
    if folders:  # root/<class>/<file>, or deeper: root/<class>/2019/<file>
        for name in folders:
            labelled += [(path, name) for path in _files_under(os.path.join(root, name))]
        skipped += [(os.path.join(root, f), "not in a class folder") for f in files]
    else:  # Kaggle's Dogs vs. Cats: root/cat.123.jpg
        for f in files:
            match = _KAGGLE_NAME.match(f)
            if match:
                labelled.append((os.path.join(root, f), match.group(1)))
            else:
                skipped.append((os.path.join(root, f), "name is not <class>.<id>.<ext>"))
    return labelled, skipped


def _crop_resize(image, height, width):
    """Centre-crop ``image`` (H, W[, 3]) to the aspect ratio height:width, then resample to that size."""
    from .images import _resize

    h, w = image.shape[:2]
    if h * width > w * height:  # too tall: crop rows
        keep = max(1, round(w * height / width))
        top = (h - keep) // 2
        image = image[top:top + keep]
    else:
        keep = max(1, round(h * width / height))
        left = (w - keep) // 2
        image = image[:, left:left + keep]
    return _resize(image, height, width)


def load_image_folder(root, size=64, gray=False):
    """Read a folder of labelled photos into arrays, one class per sub-folder or per file prefix.

    Two layouts are understood: ``root/<class>/<any name>`` (one sub-folder per class, its
    own sub-folders included: ``cat/2019/a.jpg`` is a cat), and
    Kaggle's Dogs vs. Cats layout, every photo in ``root`` itself named ``<class>.<id>.<ext>``
    (``cat.123.jpg``, ``dog.7.jpg``). Each photo is centre-cropped to the output's aspect ratio,
    then downsampled (Lanczos). If ``root`` has sub-folders, they are the classes and files
    lying in ``root`` itself are skipped. Files that cannot be read are skipped, with one
    warning that says how many and which. Hidden files (``.DS_Store``) are ignored.

    Parameters
    ----------
    root : str or os.PathLike
    size : int or (int, int)
        Output side in pixels, or (height, width).
    gray : bool
        Luminance, one channel, instead of RGB.

    Returns
    -------
    X : ndarray, shape (N, C, H, W), float32 in [0, 1]
        C is 1 if ``gray`` else 3; photos in class order, then path order.
    y : ndarray, shape (N,), int64
        Index into ``class_names``.
    class_names : list of str
        Sorted.

    Raises
    ------
    FileNotFoundError
        If ``root`` does not exist.
    ValueError
        If no photo can be read, or the photos read belong to fewer than two classes.
    """
    from .images import MAX_PIXELS, _check_output_size, _read, _target_size, to_gray

    root = os.fspath(root)
    if not os.path.exists(root):
        raise FileNotFoundError(f"no such folder: {root!r}")
    if not os.path.isdir(root):
        raise NotADirectoryError(f"{root!r} is a file; load_image_folder expects a folder of photos")
    if isinstance(size, (int, np.integer)) and not isinstance(size, bool):
        size = (size, size)
    height, width = _target_size(size, 1, 1, what="size")
    _check_output_size(size, height, width, MAX_PIXELS)  # before resampling any photo to it
    labelled, skipped = _labelled_files(root)
    n_files = len(labelled) + len(skipped)
    images, names = [], []
    for path, name in labelled:
        try:
            image = _read(path, draft=max(height, width))
        except ValueError as e:
            skipped.append((path, str(e)))
            continue
        if gray and image.ndim == 3:
            image = to_gray(image)
        elif not gray and image.ndim == 2:
            image = np.repeat(image[..., None], 3, axis=-1)
        images.append(_crop_resize(image, height, width))
        names.append(name)
    if skipped:
        shown = "; ".join(f"{os.path.relpath(p, root)} ({why})" for p, why in skipped[:20])
        more = f"; and {len(skipped) - 20} more" if len(skipped) > 20 else ""
        warnings.warn(f"load_image_folder skipped {len(skipped)} of {n_files} files in {root!r}: {shown}{more}",
                      stacklevel=2)
    if not images:
        raise ValueError(f"no readable photos in {root!r}: expected root/<class>/<file> folders or "
                         f"Kaggle names like cat.123.jpg")
    class_names = sorted(set(names))
    if len(class_names) < 2:
        raise ValueError(f"{root!r} holds photos of one class only ({class_names[0]!r}); a classifier needs two or more")
    X = np.stack(images)
    X = X[:, None] if gray else X.transpose(0, 3, 1, 2)  # (N, C, H, W)
    y = np.array([class_names.index(name) for name in names], dtype=np.int64)
    return np.ascontiguousarray(X, dtype=np.float32), y, class_names


def train_test_split(X, y, test_fraction=0.2, seed=0):
    """Split a data set at random, keeping each class's share the same in both parts.

    Each class gives ``round(test_fraction * its count)`` examples to the test part.

    Parameters
    ----------
    X : ndarray, shape (N, ...)
    y : ndarray, shape (N,)
        Class labels (NaN or inf are refused).
    test_fraction : float
        Between 0 and 1 (exclusive).
    seed : int
        >= 0.

    Returns
    -------
    X_train, X_test : ndarray, shape (N_train, ...) and (N_test, ...)
    y_train, y_test : ndarray, shape (N_train,) and (N_test,)
        The order of scikit-learn's ``train_test_split``; both parts shuffled.
    """
    X, y = np.asarray(X), np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"y must be a 1-D array of labels, got shape {y.shape}")
    if X.ndim == 0 or len(X) != len(y):
        raise ValueError(f"X and y must have the same length, got X of shape {X.shape} and y of shape {y.shape}")
    if len(y) == 0:
        raise ValueError("X and y are empty (0 examples): nothing to split")
    if y.dtype.kind in "fc" and not np.isfinite(y).all():
        raise ValueError(f"y contains NaN or inf (at index {int(np.flatnonzero(~np.isfinite(y))[0])}); "
                         f"every example needs a class label")
    if isinstance(test_fraction, bool) or not isinstance(test_fraction, (float, int, np.floating, np.integer)):
        raise TypeError(f"test_fraction must be a number between 0 and 1, got {test_fraction!r}")
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must be between 0 and 1 (exclusive), got {test_fraction}")
    rng = np.random.default_rng(integer(seed, "seed", minimum=0))
    train, test = [], []
    for label in np.unique(y):
        members = rng.permutation(np.flatnonzero(y == label))
        k = int(round(test_fraction * len(members)))
        test.append(members[:k])
        train.append(members[k:])
    train, test = rng.permutation(np.concatenate(train)), rng.permutation(np.concatenate(test))
    if len(test) == 0 or len(train) == 0:
        raise ValueError(f"test_fraction={test_fraction} of {len(y)} examples leaves the "
                         f"{'test' if len(test) == 0 else 'training'} part empty")
    return X[train], X[test], y[train], y[test]
