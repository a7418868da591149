"""Figures of many small pictures and tables: labelled images, windows on an image,
numbers in a grid, confusion matrices.

* :func:`show_gallery`: images in a grid, each titled, optionally with a window outlined;
* :func:`show_receptive_fields`: one image several times, each with a window outlined and
  everything outside it darkened;
* :func:`show_unit_window`: a unit of a feature map beside the input window it sees;
* :func:`show_patch_grid`: rows of small patches (the windows that excite each unit most);
* :func:`show_max_pool`: a small map with its numbers, cut into windows, and its max pooling;
* :func:`show_confusion_matrix`: counts of true class against predicted class.

The conventions of :mod:`cnnlib.viz.plot` hold: every function returns its Figure,
detached from pyplot; windows are outlined in Okabe-Ito orange; nonnegative numbers use
the sequential map, counts the sequential ``Blues``. A window (a *box*) is
``(top, left, bottom, right)``, end exclusive, as ``ReceptiveField.box`` returns it.
"""

import numpy as np

from .plot import (MIN_FONT, _check_box, _check_titles, _clean_axes, _wrap, colour_scale,
                   column_width, draw_box, finish, format_number, grid_layout, new_figure,
                   readable, text_color)

__all__ = ["show_gallery", "show_receptive_fields", "show_unit_window", "show_patch_grid",
           "show_max_pool", "show_confusion_matrix", "to_rgb", "dim_outside", "COUNTS"]

COUNTS = "Blues"
"""str: sequential colormap for counts (ColorBrewer, colour-blind safe)."""


def to_rgb(image, name="image"):
    """An image as ``imshow`` draws it: (H, W, 3) for colour, (H, W) for gray.

    Parameters
    ----------
    image : ndarray, shape (3, H, W), (H, W, 3), (1, H, W) or (H, W)
        Channels first, as the layers and data sets of cnnlib store them, or last.

    Returns
    -------
    ndarray, shape (H, W, 3) or (H, W), float
    """
    if isinstance(image, str) or image is None:
        raise TypeError(f"{name} must be an array, got {type(image).__name__}: {image!r}")
    a = np.asarray(image)
    if not (np.issubdtype(a.dtype, np.number) or a.dtype == bool):
        raise TypeError(f"{name} must be a numeric array, got dtype {a.dtype}")
    a = a.astype(float)
    if a.ndim == 3 and a.shape[0] in (1, 3) and a.shape[-1] not in (3, 4):
        a = a[0] if a.shape[0] == 1 else a.transpose(1, 2, 0)  # (C, H, W) -> (H, W, C)
    if a.ndim == 3 and a.shape[-1] == 1:
        a = a[..., 0]
    if not (a.ndim == 2 or (a.ndim == 3 and a.shape[-1] in (3, 4))) or a.size == 0:
        raise ValueError(f"{name} must have shape (3, H, W), (H, W, 3) or (H, W), got {np.shape(image)}")
    return a


def _draw_picture(ax, image):
    """Draw an image from :func:`to_rgb`: colour clipped to [0, 1], gray from 0 to 1."""
    if image.ndim == 3:
        ax.imshow(np.clip(image, 0, 1), interpolation="nearest")
    else:
        ax.imshow(image, interpolation="nearest", **colour_scale([image], image=True))
    ax.set_xlim(-0.5, image.shape[1] - 0.5)
    ax.set_ylim(image.shape[0] - 0.5, -0.5)


def dim_outside(ax, box, shape, alpha=0.6):
    """Darken every pixel of an (H, W) image outside ``box``; return the overlay's AxesImage.

    Parameters
    ----------
    ax : matplotlib Axes
    box : (int, int, int, int)
        ``(top, left, bottom, right)``; the part outside the image is ignored.
    shape : (int, int)
        (H, W) of the image drawn on ``ax``.
    alpha : float
        Opacity of the black veil, from 0 (none) to 1 (black).
    """
    top, left, bottom, right = (int(round(v)) for v in _check_box(box))
    h, w = shape
    shade = np.zeros((h, w, 4))
    shade[..., 3] = alpha
    shade[max(top, 0):max(bottom, 0), max(left, 0):max(right, 0), 3] = 0
    return ax.imshow(shade, interpolation="nearest")


def _as_images(images):
    if isinstance(images, np.ndarray):
        if images.ndim not in (3, 4):
            raise ValueError(f"images must have shape (N, 3, H, W), (N, H, W, 3) or (N, H, W), "
                             f"got {images.shape}")
        images = list(images)
    if isinstance(images, str) or not hasattr(images, "__len__"):
        raise TypeError(f"images must be an array (N, 3, H, W) or a list of images, got {images!r}")
    out = [to_rgb(im, f"images[{i}]") for i, im in enumerate(images)]
    if not out:
        raise ValueError("images is empty: expected at least one image")
    return out


def _check_boxes(boxes, n):
    if boxes is None:
        return [None] * n
    boxes = [None if b is None else tuple(_check_box(b)) for b in boxes]
    if len(boxes) != n:
        raise ValueError(f"got {len(boxes)} boxes for {n} images; expected one box per image")
    return boxes


def show_gallery(images, titles=None, *, ncols=8, panel_size=1.35, title_colors=None,
                 boxes=None, dim=False, row_labels=None, fontsize=MIN_FONT, suptitle=None,
                 caption=None):
    """Draw small images in a grid, each with its title (a label, a class and a score).

    Parameters
    ----------
    images : ndarray, shape (N, 3, H, W), (N, H, W, 3) or (N, H, W), or sequence of images
        Values in [0, 1].
    titles : sequence of str, optional
        One per image.
    ncols : int
        Images per row.
    panel_size : float
        Inches per image.
    title_colors : str or sequence of str, optional
        One colour for every title, or one per image (red for the mistakes, say).
    boxes : sequence of (int, int, int, int), optional
        One window ``(top, left, bottom, right)`` per image (or None), outlined in orange.
        An image with a box gets a thin black frame, so that a window reaching over
        the image's edge shows where the image ends.
    dim : bool
        Darken each image outside its box.
    row_labels : sequence of str, optional
        One label per row, written at the left.
    fontsize : float
        Of the titles.
    suptitle, caption : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    pictures = _as_images(images)
    n = len(pictures)
    titles = _check_titles(titles, n)
    boxes = _check_boxes(boxes, n)
    if isinstance(ncols, bool) or not isinstance(ncols, (int, np.integer)) or ncols < 1:
        raise ValueError(f"ncols must be a positive int, got {ncols!r}")
    if title_colors is None or isinstance(title_colors, str):
        title_colors = [title_colors or "black"] * n
    title_colors = _check_titles(title_colors, n)
    label_width = 0.5 if row_labels is not None else 0.0
    fontsize = readable(fontsize)
    longest = max((len(t) for t in titles if t), default=0)
    nrows, ncols, size = grid_layout(n, ncols=ncols, panel=panel_size,
                                     min_panel=max(1.1, 0.6 * fontsize * longest / 72),
                                     extra_width=label_width, extra_height=0.3)
    if row_labels is not None and len(row_labels) != nrows:
        raise ValueError(f"got {len(row_labels)} row labels for {nrows} rows; expected one per "
                         f"row of {ncols} images")
    fig = new_figure((size[0], size[1] + 0.45))
    axes = fig.subplots(nrows, ncols, squeeze=False)
    for k, ax in enumerate(axes.ravel()):
        if k >= n:
            ax.set_axis_off()
            continue
        _draw_picture(ax, pictures[k])
        if boxes[k] is not None:
            if dim:
                dim_outside(ax, boxes[k], pictures[k].shape[:2])
            draw_box(ax, boxes[k], linewidth=2)
        if titles[k]:
            ax.set_title(titles[k], fontsize=fontsize, color=title_colors[k])
        _clean_axes(ax)
        for side in ax.spines.values():  # a thin frame shows where a window leaves the image
            side.set_visible(boxes[k] is not None)
    if row_labels is not None:
        for row, label in zip(axes, row_labels):
            row[0].set_ylabel(label, fontsize=MIN_FONT)
    return finish(fig, suptitle, caption)


def show_receptive_fields(image, boxes, titles=None, *, panel_size=2.4, alpha=0.6,
                          suptitle=None, caption=None):
    """Draw one image once per window: the window outlined, everything outside darkened.

    Use it to show receptive fields growing from layer to layer.

    Parameters
    ----------
    image : ndarray, shape (3, H, W), (H, W, 3) or (H, W)
    boxes : sequence of (int, int, int, int)
        ``(top, left, bottom, right)`` per panel, end exclusive; a window may reach outside
        the image (the outline is then cut at its edge).
    titles : sequence of str, optional
    panel_size : float
    alpha : float
        Darkness outside the window, from 0 to 1.
    suptitle, caption : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    picture = to_rgb(image)
    boxes = list(boxes)
    boxes = _check_boxes(boxes, len(boxes))
    if not boxes:
        raise ValueError("boxes is empty: expected at least one window")
    titles = _check_titles(titles, len(boxes))
    h, w = picture.shape[:2]
    nrows, ncols, size = grid_layout(len(boxes), h / w, panel=panel_size, extra_height=0.7)
    axes = np.atleast_1d(new_figure(size).subplots(nrows, ncols)).ravel()
    fig = axes[0].figure
    for ax in axes[len(boxes):]:
        ax.set_axis_off()
    for ax, box, title in zip(axes, boxes, titles):
        _draw_picture(ax, picture)
        dim_outside(ax, box, picture.shape[:2], alpha)
        draw_box(ax, box)
        if title:
            ax.set_title(title, fontsize=MIN_FONT)
        ax.set_axis_off()
    return finish(fig, suptitle, caption)


def show_unit_window(image, box, fmap, unit, *, image_title=None, map_title=None,
                     alpha=0.6, suptitle=None, caption=None):
    """Draw a unit of a feature map beside the window of the input it sees.

    Left: the input, darkened outside the window, the window outlined. Right: the
    (nonnegative) map on the sequential scale from 0 to its maximum, the unit outlined.

    Parameters
    ----------
    image : ndarray, shape (3, H, W), (H, W, 3) or (H, W)
    box : (int, int, int, int)
        The unit's window ``(top, left, bottom, right)`` in the input, unclipped.
    fmap : ndarray, shape (H', W')
        The map the unit belongs to.
    unit : (int, int)
        Row and column of the unit in ``fmap``.
    image_title, map_title : str, optional
        Default: the window's size, and the unit's value.
    alpha : float
    suptitle, caption : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    picture = to_rgb(image)
    top, left, bottom, right = (int(v) for v in _check_box(box))
    fmap = np.asarray(fmap, dtype=float)
    if fmap.ndim != 2:
        raise ValueError(f"fmap must have shape (H', W'), got {fmap.shape}")
    i, j = unit
    if not (0 <= i < fmap.shape[0] and 0 <= j < fmap.shape[1]):
        raise ValueError(f"unit ({i}, {j}) is outside the {fmap.shape[0]}x{fmap.shape[1]} map")
    width = min(7.4, column_width())  # a narrower column: smaller panels, titles wrapped
    fig = new_figure((width, 3.6 if width == 7.4 else (width - 0.3) / 2 + 0.85))
    left_ax, right_ax = fig.subplots(1, 2)
    _draw_picture(left_ax, picture)
    dim_outside(left_ax, box, picture.shape[:2], alpha)
    draw_box(left_ax, box)
    left_ax.set_title(_wrap(image_title or f"input: the {bottom - top}x{right - left} "
                            f"window of unit ({i}, {j})", left_ax), fontsize=12)
    right_ax.imshow(fmap, interpolation="nearest", **colour_scale([fmap]))
    draw_box(right_ax, (i, j, i + 1, j + 1), linewidth=3)
    right_ax.set_title(_wrap(map_title or f"map: unit ({i}, {j}) = {fmap[i, j]:.2f}",
                             right_ax), fontsize=12)
    for ax in (left_ax, right_ax):
        ax.set_axis_off()
    return finish(fig, suptitle, caption)


def show_patch_grid(patches, *, row_labels=None, col_labels=None, gap=1, figsize=None,
                    suptitle=None, caption=None):
    """Draw rows of small patches as one mosaic, with white lines between them.

    Parameters
    ----------
    patches : ndarray, shape (R, K, 3, h, w), (R, K, h, w, 3) or (R, K, h, w)
        ``R`` rows of ``K`` patches each (the ``K`` strongest windows of ``R`` units, say);
        values in [0, 1].
    row_labels : sequence of str, optional
        One per row (default ``"row r"``).
    col_labels : sequence of str, optional
        One per column (default ``"#1"``, ``"#2"``, ...).
    gap : int
        Pixels of white between patches.
    figsize : (float, float), optional
    suptitle, caption : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    arr = np.asarray(patches)
    if arr.ndim not in (4, 5) or arr.size == 0:
        raise ValueError(f"patches must have shape (R, K, 3, h, w), (R, K, h, w, 3) or "
                         f"(R, K, h, w), got {arr.shape}")
    rows, cols = arr.shape[:2]
    tiles = [[to_rgb(arr[r, k], f"patches[{r}, {k}]") for k in range(cols)] for r in range(rows)]
    h, w = tiles[0][0].shape[:2]
    colour = tiles[0][0].ndim == 3
    mosaic = np.ones((rows * (h + gap) - gap, cols * (w + gap) - gap) + ((3,) if colour else ()))
    for r in range(rows):
        for k in range(cols):
            mosaic[r * (h + gap):r * (h + gap) + h, k * (w + gap):k * (w + gap) + w] = tiles[r][k]
    row_labels = _check_titles(row_labels, rows, [f"row {r}" for r in range(rows)])
    col_labels = _check_titles(col_labels, cols, [f"#{k + 1}" for k in range(cols)])
    fig = new_figure(figsize or (0.6 * cols + 1.4, 0.6 * rows * h / w + 1.0))
    ax = fig.add_subplot()
    _draw_picture(ax, mosaic)
    ax.set_yticks(np.arange(rows) * (h + gap) + (h - 1) / 2, row_labels)
    ax.set_xticks(np.arange(cols) * (w + gap) + (w - 1) / 2, col_labels)
    ax.tick_params(length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    return finish(fig, suptitle, caption)


def _draw_number_grid(ax, values, vmax, title, windows=(), bold=None):
    """Cells of ``values`` (H, W) coloured from 0 to ``vmax``, each with its number."""
    im = ax.imshow(values, interpolation="nearest", **colour_scale([values, np.full(1, vmax)]))
    colors = text_color(im.cmap(im.norm(values)))
    for (i, j), v in np.ndenumerate(values):
        strong = bold is not None and bold[i, j]
        ax.text(j, i, format_number(v), ha="center", va="center",
                fontsize=13 if strong else MIN_FONT, fontweight="bold" if strong else "normal",
                color=colors[i, j])
    for top, left, size in windows:
        draw_box(ax, (top, left, top + size, left + size), color="white", linewidth=3)
    _clean_axes(ax)
    ax.set_title(title)


def show_max_pool(x, size=2, *, titles=None, suptitle=None, caption=None):
    """Draw max pooling on a small map: its numbers cut into windows, and the result.

    Left: the map, each ``size`` x ``size`` window outlined in white and its largest
    number in bold. Right: the pooled map, one cell per window, drawn as large as the
    window. Both on one sequential colour scale from 0.

    Parameters
    ----------
    x : ndarray, shape (H, W)
        Nonnegative; H and W multiples of ``size``.
    size : int
        Window side (and stride).
    titles : (str, str), optional
    suptitle, caption : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    x = np.asarray(x, dtype=float)
    if x.ndim != 2 or x.size == 0:
        raise ValueError(f"x must have shape (H, W), got {x.shape}")
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 1:
        raise ValueError(f"size must be a positive int, got {size!r}")
    h, w = x.shape
    if h % size or w % size:
        raise ValueError(f"a {h}x{w} map does not split into {size}x{size} windows; "
                         f"expected sides that are multiples of {size}")
    if np.nanmin(x) < 0:
        raise ValueError(f"x must be nonnegative (a map after ReLU), got minimum {np.nanmin(x):g}")
    pooled = x.reshape(h // size, size, w // size, size).max(axis=(1, 3))  # (H/size, W/size)
    kept = x == np.kron(pooled, np.ones((size, size)))
    titles = _check_titles(titles, 2, [f"a {h}x{w} map, in {size}x{size} windows",
                                       f"after MaxPool2D({size}): {h // size}x{w // size}"])
    vmax = float(x.max()) or 1.0
    fig = new_figure((1.1 * w + 1.2, 0.55 * h + 0.6))
    left, right = fig.subplots(1, 2)  # equal sizes: each pooled cell as large as its window
    windows = [(i, j, size) for i in range(0, h, size) for j in range(0, w, size)]
    _draw_number_grid(left, x, vmax, titles[0], windows, kept)
    _draw_number_grid(right, pooled, vmax, titles[1], bold=np.ones(pooled.shape, bool))
    return finish(fig, suptitle, caption)


def show_confusion_matrix(counts, classes, *, suptitle=None, caption=None):
    """Draw a confusion matrix: true class in rows, predicted class in columns.

    Each cell shows its count and, below, the share of its row (of the true class).

    Parameters
    ----------
    counts : ndarray, shape (K, K), int
        ``counts[t, p]`` images of true class ``t`` predicted as ``p``.
    classes : sequence of str, length K
    suptitle, caption : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    cm = np.asarray(counts)
    if cm.ndim != 2 or cm.shape[0] != cm.shape[1] or cm.size == 0:
        raise ValueError(f"counts must be a square (K, K) array, got shape {cm.shape}")
    if not np.issubdtype(cm.dtype, np.number) or np.any(cm < 0) or np.any(cm != np.round(cm)):
        raise ValueError(f"counts must be nonnegative whole numbers, got {cm.tolist()}")
    cm = cm.astype(int)
    classes = [str(c) for c in classes]
    if len(classes) != len(cm):
        raise ValueError(f"got {len(classes)} class names for a {len(cm)}x{len(cm)} matrix")
    k = len(cm)
    fig = new_figure((2.1 * k + 1.0, 1.6 * k + 0.6))
    ax = fig.add_subplot()
    im = ax.imshow(cm, cmap=COUNTS, vmin=0, vmax=max(int(cm.max()), 1))
    colors = text_color(im.cmap(im.norm(cm)))
    for (i, j), v in np.ndenumerate(cm):
        total = cm[i].sum()
        share = f"\n({v / total:.1%} of {classes[i]}s)" if total else ""
        ax.text(j, i, f"{v}{share}", ha="center", va="center", color=colors[i, j],
                fontsize=MIN_FONT)
    ax.set_xticks(range(k), [f"predicted {c}" for c in classes])
    ax.set_yticks(range(k), [f"true {c}" for c in classes])
    ax.tick_params(length=0)
    return finish(fig, suptitle, caption)
