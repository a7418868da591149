"""Static figures: images, kernels drawn with their numbers, and grids of feature maps.

Colour conventions, used by every figure of the book:

* an image in [0, 1] is drawn in ``gray`` from 0 (black) to 1 (white), never stretched;
* a signed map (a feature map before ReLU, a kernel) uses the diverging ``RdBu_r`` map
  centred at 0 with a symmetric scale: red is positive, blue negative, white zero
  (ColorBrewer marks RdBu as safe for the common colour-vision deficiencies);
* a nonnegative map (after ReLU, a blur of an image) uses the sequential ``viridis``.

Every function returns its :class:`matplotlib.figure.Figure`. The figure is detached
from pyplot, so in a notebook it is drawn exactly once, as the value of the cell; in a
script, call ``fig.savefig(path)``.
"""

import textwrap
from fractions import Fraction

import numpy as np

import matplotlib.pyplot as plt

__all__ = [
    "DIVERGING",
    "SEQUENTIAL",
    "show_image",
    "show_kernel",
    "show_kernels",
    "show_feature_maps",
    "show_side_by_side",
    "draw_box",
    "KINDS",
]

DIVERGING = "RdBu_r"
"""str: colormap for signed values, centred at 0."""

SEQUENTIAL = "viridis"
"""str: colormap for nonnegative maps."""

HIGHLIGHT = "#E69F00"
"""str: Okabe-Ito orange, the colour of the current patch and output cell."""


# --------------------------------------------------------------------------- helpers
def new_figure(figsize, layout="constrained"):
    """A figure that pyplot does not keep: it displays once in a notebook, never twice."""
    fig = plt.figure(figsize=figsize, layout=layout)
    plt.close(fig)
    return fig


def finish(fig, suptitle=None, caption=None):
    """Add a bold title on top and a wrapped caption underneath; return ``fig``."""
    if suptitle:
        fig.suptitle(suptitle, fontsize=13, fontweight="bold")
    if caption:
        width = max(40, int(fig.get_figwidth() * 11))
        fig.supxlabel(textwrap.fill(str(caption), width), fontsize=10, color="0.25")
    return fig


def format_number(value, digits=3, fractions=True):
    """A short label for a number: integers as ``7``, simple fractions as ``1/9``.

    With ``fractions=False`` a non-integer is always written in decimals (``2.33``).

    Negative numbers use the Unicode minus sign, which reads better than a hyphen.
    """
    value = float(value)
    if not np.isfinite(value):
        return str(value)
    if abs(value - round(value)) < 1e-9:
        text = f"{int(round(value))}"
    else:
        frac = Fraction(value).limit_denominator(32)
        if fractions and abs(float(frac) - value) < 1e-9 and abs(frac.numerator) < 10:
            text = f"{frac.numerator}/{frac.denominator}"
        else:
            text = f"{value:.{digits}g}"
    return text.replace("-", "\u2212")


def text_color(rgba):
    """Black or white, whichever reads better on a cell of colour ``rgba``."""
    lin = np.asarray(rgba, dtype=float)[..., :3] ** 2.2
    r, g, b = lin[..., 0], lin[..., 1], lin[..., 2]
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return np.where(luminance > 0.22, "black", "white")


def _as_map(a, name):
    """``a`` as a finite-checked 2-D or (H, W, 3) float array."""
    if isinstance(a, str) or a is None:
        raise TypeError(f"{name} must be an array, got {type(a).__name__}: {a!r}")
    arr = np.asarray(a)
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise TypeError(f"{name} must be a numeric array, got dtype {arr.dtype}")
    arr = arr.astype(float)
    if arr.ndim == 3 and arr.shape[-1] == 1:
        arr = arr[..., 0]
    if not (arr.ndim == 2 or (arr.ndim == 3 and arr.shape[-1] in (3, 4))):
        raise ValueError(f"{name} must have shape (H, W) or (H, W, 3), got {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} is empty, shape {arr.shape}")
    return arr


def _is_signed(maps):
    return any(np.nanmin(m) < 0 for m in maps)


def _symmetric_limit(maps):
    """Largest absolute finite value over ``maps`` (1 when all are 0)."""
    lim = max(float(np.nanmax(np.abs(m))) if np.isfinite(m).any() else 0.0 for m in maps)
    return lim if lim > 0 else 1.0


def _is_image_like(a):
    """True for an (H, W, 3) image or a 2-D array with values in [0, 1]."""
    return a.ndim == 3 or (np.nanmin(a) >= 0 and np.nanmax(a) <= 1)


def _clean_axes(ax):
    ax.set_xticks([])
    ax.set_yticks([])


def _grid_shape(n, ncols):
    ncols = min(n, ncols if ncols else min(n, 4))
    return -(-n // ncols), ncols


# -------------------------------------------------------------------------- figures
def draw_box(ax, box, color=HIGHLIGHT, linewidth=2.5):
    """Outline rows ``top:bottom`` and columns ``left:right`` of an image drawn by ``imshow``.

    Parameters
    ----------
    ax : matplotlib Axes
    box : (int, int, int, int)
        ``(top, left, bottom, right)``, end exclusive (the window
        ``image[top:bottom, left:right]``, as ``ReceptiveField.box`` gives it); it may
        reach outside the image, and is then cut at the edge of the axes.
    color : str
    linewidth : float

    Returns
    -------
    matplotlib.patches.Rectangle
    """
    top, left, bottom, right = _check_box(box)
    rect = plt.Rectangle((left - 0.5, top - 0.5), right - left, bottom - top, fill=False,
                         edgecolor=color, linewidth=linewidth)
    ax.add_patch(rect)
    return rect


def _check_box(box):
    try:
        values = [float(v) for v in box]
    except (TypeError, ValueError):
        raise TypeError(f"box must be four numbers (top, left, bottom, right), got {box!r}") from None
    if len(values) != 4:
        raise ValueError(f"box must be (top, left, bottom, right), got {len(values)} numbers: {box!r}")
    top, left, bottom, right = values
    if bottom <= top or right <= left:
        raise ValueError(f"box {tuple(box)} is empty: expected top < bottom and left < right")
    return values


def show_image(image, title=None, *, cmap="gray", vmin=None, vmax=None, ax=None,
               figsize=None, suptitle=None, caption=None, box=None):
    """Draw one image.

    A gray image with values in [0, 1] is drawn from 0 = black to 1 = white, without
    stretching its contrast; other 2-D arrays are scaled to their range unless ``vmin`` and
    ``vmax`` are given. ``box`` outlines a window in orange (see :func:`draw_box`).

    Parameters
    ----------
    image : ndarray, shape (H, W) or (H, W, 3)
    title : str, optional
    cmap : str
        Colormap for a 2-D image.
    vmin, vmax : float, optional
    ax : matplotlib Axes, optional
        Draw into this Axes instead of a new figure.
    figsize : (float, float), optional
    suptitle, caption : str, optional
    box : (int, int, int, int), optional
        ``(top, left, bottom, right)`` of a window to outline, end exclusive.

    Returns
    -------
    matplotlib.figure.Figure
    """
    img = _as_map(image, "image")
    if box is not None:
        _check_box(box)
    if ax is None:
        h, w = img.shape[:2]
        fig = new_figure(figsize or (5, 5 * h / w + 0.4))
        ax = fig.add_subplot()
    else:
        fig = ax.figure
    if img.ndim == 3:
        ax.imshow(np.clip(img, 0, 1), interpolation="nearest")
    else:
        if vmin is None and vmax is None and _is_image_like(img):
            vmin, vmax = 0.0, 1.0
        ax.imshow(img, cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest")
    _clean_axes(ax)
    if box is not None:
        draw_box(ax, box)
        ax.set_xlim(-0.5, img.shape[1] - 0.5)
        ax.set_ylim(img.shape[0] - 0.5, -0.5)
    if title:
        ax.set_title(title)
    return finish(fig, suptitle, caption)


def _draw_kernel(ax, k, lim, cmap=DIVERGING, fontsize=None):
    """Draw kernel ``k`` (KH, KW) on ``ax`` with numbers; return the AxesImage."""
    kh, kw = k.shape
    im = ax.imshow(k, cmap=cmap, vmin=-lim, vmax=lim, interpolation="nearest")
    colors = text_color(im.cmap(im.norm(k)))
    labels = [[format_number(v, digits=2) for v in row] for row in k]
    if fontsize is None:  # fit the longest label in a cell (bold digits ~0.62 em wide)
        longest = max(len(t) for row in labels for t in row)
        box = ax.get_position()
        fig_w, fig_h = ax.figure.get_size_inches()
        cell_pt = 72 * min(box.width * fig_w / kw, box.height * fig_h / kh)
        fontsize = float(np.clip(0.85 * cell_pt / (0.62 * max(longest, 2)), 6, 18))
    for i in range(kh):
        for j in range(kw):
            ax.text(j, i, labels[i][j], ha="center", va="center", fontsize=fontsize,
                    color=colors[i, j], fontweight="bold")
    ax.set_xticks(np.arange(-0.5, kw, 1), minor=True)
    ax.set_yticks(np.arange(-0.5, kh, 1), minor=True)
    ax.grid(which="minor", color="0.35", linewidth=1)
    ax.tick_params(which="both", length=0, labelbottom=False, labelleft=False)
    _clean_axes(ax)
    return im


def _kernel_array(kernel):
    if isinstance(kernel, str):
        from ..filters import kernel as named_kernel
        return named_kernel(kernel), kernel
    k = _as_map(kernel, "kernel")
    if k.ndim != 2:
        raise ValueError(f"kernel must have shape (KH, KW), got {k.shape}")
    return k, None


def show_kernel(kernel, title=None, *, ax=None, colorbar=False, figsize=None,
                suptitle=None, caption=None):
    """Draw a kernel as a grid of cells, each with its weight written in it.

    Cells are coloured by sign on a diverging map centred at 0 (red positive, blue
    negative, white zero), and each number is written in black or white, whichever
    reads better on its cell.

    Parameters
    ----------
    kernel : ndarray, shape (KH, KW), or str
        The weights, or the name of a kernel in ``cnnlib.filters.KERNELS``.
    title : str, optional
        Defaults to the kernel's name when ``kernel`` is a name.
    ax : matplotlib Axes, optional
    colorbar : bool
    figsize : (float, float), optional
    suptitle, caption : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    k, name = _kernel_array(kernel)
    if ax is None:
        side = min(6.0, 0.8 + 0.7 * max(k.shape))
        fig = new_figure(figsize or (side + (1.0 if colorbar else 0), side + 0.3))
        ax = fig.add_subplot()
    else:
        fig = ax.figure
    im = _draw_kernel(ax, k, _symmetric_limit([k]))
    if colorbar:
        fig.colorbar(im, ax=ax, shrink=0.8)
    title = title if title is not None else name
    if title:
        ax.set_title(title)
    return finish(fig, suptitle, caption)


def show_kernels(kernels, titles=None, *, ncols=None, shared_scale=True, figsize=None,
                 suptitle=None, caption=None):
    """Draw several kernels side by side, each with its numbers (hand-made vs learned).

    Parameters
    ----------
    kernels : sequence of (ndarray, shape (KH, KW), or str), or ndarray, shape (K, KH, KW)
    titles : sequence of str, optional
    ncols : int, optional
    shared_scale : bool
        One colour scale for all kernels, so that equal weights get equal colours.
    figsize : (float, float), optional
    suptitle, caption : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    pairs = [_kernel_array(k) for k in kernels]
    if not pairs:
        raise ValueError("kernels is empty: expected at least one kernel")
    arrays = [p[0] for p in pairs]
    titles = _check_titles(titles, len(arrays), [p[1] for p in pairs])
    nrows, ncols = _grid_shape(len(arrays), ncols or min(len(arrays), 6))
    side = min(4.0, 0.5 + 0.5 * max(max(a.shape) for a in arrays))
    fig = new_figure(figsize or (side * ncols, (side + 0.4) * nrows))
    axes = np.atleast_1d(fig.subplots(nrows, ncols)).ravel()
    lim = _symmetric_limit(arrays) if shared_scale else None
    longest = max(len(format_number(v, digits=2)) for a in arrays for v in a.ravel())
    cell_pt = 72 * 0.8 * fig.get_figwidth() / ncols / max(max(a.shape) for a in arrays)
    fontsize = float(np.clip(0.85 * cell_pt / (0.62 * max(longest, 2)), 6, 18))
    for ax, k, t in zip(axes, arrays, titles):
        _draw_kernel(ax, k, lim if lim else _symmetric_limit([k]), fontsize=fontsize)
        if t:
            ax.set_title(t)
    for ax in axes[len(arrays):]:
        ax.set_visible(False)
    return finish(fig, suptitle, caption)


def _check_titles(titles, n, defaults=None):
    if titles is None:
        return list(defaults) if defaults is not None else [None] * n
    titles = list(titles)
    if len(titles) != n:
        raise ValueError(f"got {len(titles)} titles for {n} panels; expected one title per panel")
    return titles


def _as_maps(maps, name="maps"):
    if isinstance(maps, np.ndarray) and maps.ndim == 3 and maps.shape[-1] not in (3, 4):
        maps = list(maps)
    elif isinstance(maps, np.ndarray) and maps.ndim == 2:
        maps = [maps]
    if isinstance(maps, str) or not hasattr(maps, "__len__"):
        raise TypeError(f"{name} must be an array (K, H, W) or a list of 2-D arrays, got {maps!r}")
    out = [_as_map(m, f"{name}[{i}]") for i, m in enumerate(maps)]
    if not out:
        raise ValueError(f"{name} is empty: expected at least one map")
    return out


def show_feature_maps(maps, titles=None, *, ncols=None, cmap=None, shared_scale=True,
                      colorbar=True, panel_size=2.6, figsize=None, suptitle=None, caption=None):
    """Draw a grid of titled feature maps.

    If any map has a negative value, all maps use the diverging map centred at 0 with one
    shared symmetric scale ``[-m, m]`` (``m`` the largest absolute value), so a negative
    response shows as blue instead of being clamped to black, and equal values look equal
    across maps. Nonnegative maps (after ReLU, say) use a sequential map from 0 to the
    largest value.

    Parameters
    ----------
    maps : ndarray, shape (K, H, W), or sequence of ndarray, shape (H, W)
    titles : sequence of str, optional
    ncols : int, optional
        Columns of the grid (default: up to 4).
    cmap : str, optional
        Override the colormap.
    shared_scale : bool
        One colour scale for every map (default); otherwise each map gets its own.
    colorbar : bool
    panel_size : float
        Inches per panel.
    figsize : (float, float), optional
    suptitle, caption : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    arrays = _as_maps(maps)
    if any(a.ndim != 2 for a in arrays):
        raise ValueError("feature maps must be 2-D (H, W); use show_side_by_side for colour images")
    titles = _check_titles(titles, len(arrays))
    nrows, ncols = _grid_shape(len(arrays), ncols)
    h, w = arrays[0].shape
    fig = new_figure(figsize or (panel_size * ncols + (0.8 if colorbar else 0),
                                 panel_size * nrows * h / w + 0.5 * nrows))
    axes = np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False)).ravel()
    signed = _is_signed(arrays)
    images = []
    for ax, a, t in zip(axes, arrays, titles):
        group = arrays if shared_scale else [a]
        if signed:
            lim = _symmetric_limit(group)
            norm = dict(cmap=cmap or DIVERGING, vmin=-lim, vmax=lim)
        else:
            top = max(float(np.nanmax(g)) for g in group)
            norm = dict(cmap=cmap or SEQUENTIAL, vmin=0.0, vmax=top if top > 0 else 1.0)
        images.append(ax.imshow(a, interpolation="nearest", **norm))
        _clean_axes(ax)
        if t:
            ax.set_title(t)
        if colorbar and not shared_scale:
            fig.colorbar(images[-1], ax=ax, shrink=0.8)
    for ax in axes[len(arrays):]:
        ax.set_visible(False)
    if colorbar and shared_scale:
        fig.colorbar(images[0], ax=axes[: len(arrays)].tolist(), shrink=0.85,
                     label="response" if signed else None)
    return finish(fig, suptitle, caption)


KINDS = ("auto", "image", "map")
"""tuple of str: how :func:`show_side_by_side` may draw a panel."""


def _panel_kinds(arrays, kinds):
    """``"image"`` or ``"map"`` for each panel, resolving ``"auto"`` (see show_side_by_side)."""
    if kinds is None or isinstance(kinds, str):
        kinds = [kinds or "auto"] * len(arrays)
    elif not hasattr(kinds, "__len__"):
        raise TypeError(f"kinds must be a str or a sequence of str, got {kinds!r}")
    kinds = list(kinds)
    if len(kinds) != len(arrays):
        raise ValueError(f"got {len(kinds)} kinds for {len(arrays)} panels; expected one "
                         f"kind per panel")
    for i, kind in enumerate(kinds):
        if kind not in KINDS:
            raise ValueError(f"kinds[{i}] is {kind!r}; expected one of {', '.join(KINDS)}")
    signed = [a for a in arrays if a.ndim == 2 and np.nanmin(a) < 0]
    resolved = []
    for a, kind in zip(arrays, kinds):
        if kind == "auto":
            photo = a.ndim == 3 or (
                _is_image_like(a) and np.nanmax(a) > np.nanmin(a)  # a constant map is a map
                and not any(b.shape == a.shape and np.array_equal(a, np.maximum(b, 0))
                            for b in signed))  # the ReLU of a signed panel is a map
            kind = "image" if photo else "map"
        elif kind == "map" and a.ndim == 3:
            raise ValueError(f"a colour image {a.shape} cannot be drawn as a map; give a 2-D "
                             f"array or kind 'image'")
        resolved.append(kind)
    return resolved


def show_side_by_side(images, titles=None, *, kinds=None, colorbar=True, panel_size=3.2,
                      figsize=None, suptitle=None, caption=None):
    """Draw images and maps in one row: original, vertical and horizontal, say.

    Each panel is drawn for what it is. An image is drawn as a photo (gray from 0 = black
    to 1 = white when its values lie in [0, 1]); the maps share one scale, diverging
    centred at 0 if any is signed, sequential from 0 otherwise, with one colorbar.

    ``kinds`` says which panels are images and which are maps. By default (``"auto"``)
    a colour image, and a 2-D array with values in [0, 1], are images, except a constant
    array (an all-zero difference is a map, not a black photo) and an array equal to the
    ReLU of another, signed, panel. A map whose values happen to lie in [0, 1] (a map
    after ReLU, say) cannot be told from an image by its values: mark it ``"map"``.

    Parameters
    ----------
    images : sequence of ndarray, shape (H, W) or (H, W, 3)
    titles : sequence of str, optional
    kinds : str or sequence of str, optional
        ``"image"``, ``"map"`` or ``"auto"``, one for every panel or one per panel,
        e.g. ``kinds=["image", "map"]``. Default ``"auto"``.
    colorbar : bool
    panel_size : float
    figsize : (float, float), optional
    suptitle, caption : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    arrays = _as_maps(images, "images")
    titles = _check_titles(titles, len(arrays))
    photo = [kind == "image" for kind in _panel_kinds(arrays, kinds)]
    maps = [a for a, p in zip(arrays, photo) if not p]
    h, w = arrays[0].shape[:2]
    fig = new_figure(figsize or (panel_size * len(arrays) + (0.8 if maps and colorbar else 0),
                                 panel_size * h / w + 0.6))
    axes = np.atleast_1d(fig.subplots(1, len(arrays))).ravel()
    mappable = None
    if maps:
        if _is_signed(maps):
            lim = _symmetric_limit(maps)
            norm = dict(cmap=DIVERGING, vmin=-lim, vmax=lim)
        else:
            top = max(float(np.nanmax(m)) for m in maps)
            norm = dict(cmap=SEQUENTIAL, vmin=0.0, vmax=top if top > 0 else 1.0)
    for ax, a, t, p in zip(axes, arrays, titles, photo):
        if p:
            show_image(a, t, ax=ax)
        else:
            mappable = ax.imshow(a, interpolation="nearest", **norm)
            _clean_axes(ax)
            if t:
                ax.set_title(t)
    if mappable is not None and colorbar:
        fig.colorbar(mappable, ax=[ax for ax, p in zip(axes, photo) if not p], shrink=0.85)
    return finish(fig, suptitle, caption)
