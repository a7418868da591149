"""Static figures: images, kernels drawn with their numbers, and grids of feature maps.

Colour conventions, used by every figure of the book:

* an image in [0, 1] is drawn in ``gray`` from 0 (black) to 1 (white), never stretched;
* a signed map (a feature map before ReLU, a kernel) uses the diverging ``RdBu_r`` map
  centred at 0 with a symmetric scale: red is positive, blue negative, white zero
  (ColorBrewer marks RdBu as safe for the common colour-vision deficiencies);
* a nonnegative map (after ReLU, a blur of an image) uses the sequential ``viridis``;
* a diverging colour bar marks 0 and says "white = 0";
* :func:`colour_scale` is the one place these rules are written.

Sizes, used by every figure of the book (one rule, here):

* a figure is drawn for the book's text column, :data:`COLUMN_WIDTH` inches wide, at
  72 CSS px per inch, so that a point of text is a CSS pixel: text is at least
  :data:`MIN_FONT` points and so at least 11 px on the page;
* the frames of a player are drawn a second time for a phone's column,
  :data:`PHONE_COLUMN` inches wide, inside ``with column(PHONE_COLUMN):``; every figure
  made there takes :func:`column_width` as its column, and the page shows that set on a
  narrow screen, at its size;
* it is saved at :data:`PIXEL_RATIO` times that resolution and shown at half its pixel
  width, so it stays sharp on 2x screens;
* panels that do not fit the column at a readable size wrap onto more rows
  (:func:`grid_layout`); numbers written in cells get the largest size that fits
  (:func:`fit_fontsize`), never less than :data:`MIN_FONT`.

Every function returns its :class:`matplotlib.figure.Figure`. The figure is detached
from pyplot, so in a notebook it is drawn exactly once, as the value of the cell; in a
script, call ``fig.savefig(path)``.
"""

import contextlib
import contextvars
import io
import math
import numbers
import re
import textwrap
from fractions import Fraction

import numpy as np

import matplotlib
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

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
    "column",
    "column_width",
]

DIVERGING = "RdBu_r"
"""str: colormap for signed values, centred at 0."""

SEQUENTIAL = "viridis"
"""str: colormap for nonnegative maps."""

HIGHLIGHT = "#E69F00"
"""str: Okabe-Ito orange, the colour of the current patch and output cell."""

CSS_DPI = 72
"""int: CSS pixels per inch of figure: a point of text is one CSS pixel on the page."""

COLUMN_WIDTH = 672 / CSS_DPI
"""float: inches; the book's text column is 672 CSS px wide on a 1280 px screen."""

PHONE_COLUMN = 342 / CSS_DPI
"""float: inches; the narrowest column a figure gets on a 390 px phone: the text column
is 358 CSS px there, and a figure with a caption is inset 8 px on each side."""

PIXEL_RATIO = 2
"""int: figures are saved with this many pixels per CSS pixel (sharp on 2x screens)."""

MIN_FONT = 11
"""float: points; no text in a figure is smaller (11 CSS px in the book)."""

STYLE = {"font.size": MIN_FONT, "axes.titlesize": 12, "axes.labelsize": MIN_FONT,
         "xtick.labelsize": MIN_FONT, "ytick.labelsize": MIN_FONT,
         "legend.fontsize": MIN_FONT, "figure.titlesize": 13,
         "figure.facecolor": "white", "savefig.facecolor": "white"}
"""dict: the rcParams every book figure is built and drawn with (never set globally)."""


# --------------------------------------------------------------------------- helpers
_COLUMN = contextvars.ContextVar("column", default=COLUMN_WIDTH)


def column_width():
    """Inches: the width of the column figures are drawn for, :data:`COLUMN_WIDTH` unless
    set by :func:`column`."""
    return _COLUMN.get()


@contextlib.contextmanager
def column(width):
    """Draw the figures made inside the ``with`` block for a column ``width`` inches wide.

    :func:`new_figure` and :func:`grid_layout` fit that column, and the figures that lay
    out panels themselves read :func:`column_width`: ``with column(PHONE_COLUMN):``
    draws a figure for a phone, panels stacked in more rows, text as large as ever.
    """
    if isinstance(width, bool) or not isinstance(width, numbers.Real):
        raise TypeError(f"column width must be a number of inches, got {width!r}")
    if not (math.isfinite(width) and width > 0):
        raise ValueError(f"column width must be a positive number of inches, got {width!r}")
    token = _COLUMN.set(float(width))
    try:
        yield
    finally:
        _COLUMN.reset(token)


class BookFigure(Figure):
    """A matplotlib Figure drawn with the book's :data:`STYLE`, shown sharp at its size.

    In a notebook (and so in the book) it displays as a PNG with :data:`PIXEL_RATIO`
    pixels per CSS pixel and a ``width`` of ``72 * width_in_inches`` CSS px: a 9-inch
    figure is 648 px wide on the page, whatever the screen's density.
    """

    def draw(self, renderer):
        with matplotlib.rc_context(STYLE):  # tick labels are made while drawing
            return super().draw(renderer)

    def to_png(self):
        """PNG bytes at :data:`PIXEL_RATIO` x :data:`CSS_DPI`, and its (width, height)
        in CSS px. A figure of at most 256 colours is stored with a palette, exactly; a
        diagram of up to 4096 (flat colours and the soft edges of text) with the 256
        nearest, which halves its bytes; anything richer, a photograph, in full colour."""
        from PIL import Image
        buf = io.BytesIO()
        with matplotlib.rc_context(STYLE):
            self.savefig(buf, format="png", dpi=CSS_DPI * PIXEL_RATIO, bbox_inches="tight",
                         pad_inches=0.06)
        buf.seek(0)
        with Image.open(buf) as im:
            rgb = im.convert("RGB")
        colours = rgb.getcolors(maxcolors=4096)
        if colours is not None:
            rgb = rgb.quantize(colors=min(256, len(colours)), method=Image.Quantize.MEDIANCUT,
                               dither=Image.Dither.NONE)
        out = io.BytesIO()
        rgb.save(out, format="png", optimize=True)
        width, height = rgb.size
        return out.getvalue(), (round(width / PIXEL_RATIO), round(height / PIXEL_RATIO))

    def _repr_mimebundle_(self, include=None, exclude=None):
        png, (width, height) = self.to_png()
        return ({"image/png": png, "text/plain": repr(self)},
                {"image/png": {"width": width, "height": height}})


def new_figure(figsize, layout="constrained"):
    """A book figure (:class:`BookFigure`) that pyplot does not keep: it displays once in
    a notebook, never twice. A figure wider than the column (:func:`column_width`) is
    scaled down to fit it."""
    width, height = (float(v) for v in figsize)
    room = column_width()
    if width > room:
        width, height = room, height * room / width
    with matplotlib.rc_context(STYLE):
        fig = BookFigure(figsize=(width, height), layout=layout, dpi=CSS_DPI * PIXEL_RATIO)
    return fig


def grid_layout(n, aspect=1.0, *, ncols=None, panel=2.6, min_panel=1.9, extra_width=0.0,
                extra_height=0.55):
    """Rows, columns and figure size for ``n`` panels in the column (:func:`column_width`).

    Panels are ``panel`` inches wide if the column allows, never narrower than
    ``min_panel``: panels that do not fit in one row at that size wrap onto more rows.
    ``ncols`` is the most panels a row may hold.

    Parameters
    ----------
    n : int
    aspect : float
        Panel height over width.
    ncols : int, optional
    panel, min_panel : float
        Inches.
    extra_width, extra_height : float
        Inches for a colour bar (per figure) and for a title (per row).

    Returns
    -------
    (int, int, (float, float))
        ``nrows``, ``ncols`` and ``figsize``.
    """
    room = column_width() - extra_width
    ncols = max(1, min(n, ncols or n, int(room // min_panel)))
    nrows = -(-n // ncols)
    side = min(panel, room / ncols)
    return nrows, ncols, (side * ncols + extra_width, nrows * (side * aspect + extra_height))


def fit_fontsize(cell, chars, largest=18.0):
    """Points for a label of ``chars`` characters written in a square cell ``cell``
    inches wide: the largest size that fits (bold digits are about 0.62 em wide),
    never below :data:`MIN_FONT`."""
    fits = 0.85 * 72 * cell / (0.62 * max(chars, 2))
    return float(np.clip(fits, MIN_FONT, largest))


def readable(fontsize):
    """``fontsize`` raised to :data:`MIN_FONT` if it is smaller."""
    return max(float(fontsize), MIN_FONT)


def finish(fig, suptitle=None, caption=None):
    """Add a bold title on top and a wrapped caption underneath; return ``fig``."""
    if suptitle:
        width = max(30, int(fig.get_figwidth() * 72 / 7.5))
        fig.suptitle(fill(suptitle, width), fontsize=13, fontweight="bold")
    if caption:
        width = max(30, int(fig.get_figwidth() * 72 / 6.2))
        fig.supxlabel(fill(caption, width), fontsize=MIN_FONT, color="0.25")
    return fig


def colour_scale(arrays, *, image=False, cmap=None):
    """The one colour rule: ``imshow`` keywords for ``arrays`` drawn on one scale.

    * ``image=True``: gray from 0 (black) to 1 (white) when the values lie in [0, 1],
      otherwise gray over their range;
    * any negative value: the diverging map, symmetric about 0 (white = 0);
    * otherwise: the sequential map from 0 to the largest value.

    Parameters
    ----------
    arrays : sequence of ndarray
    image : bool
    cmap : str, optional
        Override the colormap.

    Returns
    -------
    dict
        ``cmap``, ``vmin`` and ``vmax``.
    """
    finite = [a[np.isfinite(a)] for a in arrays]
    finite = [a for a in finite if a.size] or [np.zeros(1)]
    lo = min(float(a.min()) for a in finite)
    hi = max(float(a.max()) for a in finite)
    if image:
        if lo >= 0 and hi <= 1:
            lo, hi = 0.0, 1.0
        return dict(cmap=cmap or "gray", vmin=lo, vmax=hi if hi > lo else lo + 1)
    if lo < 0:
        lim = max(-lo, hi)
        return dict(cmap=cmap or DIVERGING, vmin=-lim, vmax=lim)
    return dict(cmap=cmap or SEQUENTIAL, vmin=0.0, vmax=hi if hi > 0 else 1.0)


def add_colorbar(fig, mappable, ax, label=None):
    """A colour bar for ``mappable``; on a diverging scale it marks 0 and says white = 0."""
    bar = fig.colorbar(mappable, ax=ax, shrink=0.85)
    bar.ax.tick_params(labelsize=MIN_FONT)  # made now, outside the figure's STYLE
    vmin, vmax = mappable.norm.vmin, mappable.norm.vmax
    if vmin < 0 < vmax and mappable.get_cmap().name == DIVERGING:
        ticks = [t for t in bar.get_ticks() if vmin <= t <= vmax]
        bar.set_ticks(sorted(set(ticks) | {0.0}))
        bar.set_label(f"{label}: white = 0" if label else "white = 0", fontsize=MIN_FONT)
    elif label:
        bar.set_label(label, fontsize=MIN_FONT)
    return bar


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
        scale = colour_scale([img], image=True, cmap=cmap)
        if vmin is not None or vmax is not None:
            scale.update(vmin=vmin, vmax=vmax)
        ax.imshow(img, interpolation="nearest", **scale)
    _clean_axes(ax)
    if box is not None:
        draw_box(ax, box)
        ax.set_xlim(-0.5, img.shape[1] - 0.5)
        ax.set_ylim(img.shape[0] - 0.5, -0.5)
    if title:
        ax.set_title(_wrap(title, ax))
    return finish(fig, suptitle, caption)


_GROUP = re.compile(r"\([^()\n]*\)[,.;:]?")
_NBSP = "\u00a0"


def fill(text, width, **kwargs):
    """``text`` wrapped to lines of at most ``width`` characters (``textwrap.fill``),
    never breaking inside a group in parentheses that fits on a line, so that a position
    such as "unit (13, 13)" or a shape "(6, 6)" is read whole."""
    def glue(match):
        group = match.group()
        return group.replace(" ", _NBSP) if len(group) <= width else group
    wrapped = textwrap.fill(_GROUP.sub(glue, str(text)), width, **kwargs)
    return wrapped.replace(_NBSP, " ")


def _wrap(title, ax):
    """``title`` wrapped to the width of ``ax`` (12-point text, about 6.6 pt a letter)."""
    spec = ax.get_subplotspec()
    share = ((spec.colspan.stop - spec.colspan.start) / spec.get_gridspec().ncols
             if spec is not None else ax.get_position().width)
    return fill(title, max(12, int(share * ax.figure.get_figwidth() * 72 / 6.6)))


def _draw_kernel(ax, k, lim, cmap=DIVERGING, fontsize=None):
    """Draw kernel ``k`` (KH, KW) on ``ax`` with numbers; return the AxesImage."""
    kh, kw = k.shape
    im = ax.imshow(k, cmap=cmap, vmin=-lim, vmax=lim, interpolation="nearest")
    colors = text_color(im.cmap(im.norm(k)))
    labels = [[format_number(v, digits=2) for v in row] for row in k]
    if fontsize is None:  # the longest label fits in a cell
        longest = max(len(t) for row in labels for t in row)
        box = ax.get_position()
        fig_w, fig_h = ax.figure.get_size_inches()
        fontsize = fit_fontsize(min(box.width * fig_w / kw, box.height * fig_h / kh), longest)
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
        add_colorbar(fig, im, ax, "weight")
    title = title if title is not None else name
    if title:
        ax.set_title(_wrap(title, ax))
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
    cells = max(max(a.shape) for a in arrays)
    longest = max(len(format_number(v, digits=2)) for a in arrays for v in a.ravel())
    # a panel just wide enough for its numbers at the smallest readable size
    smallest = max(1.4, cells * 0.62 * MIN_FONT * max(longest, 2) / (0.85 * 72) / 0.8)
    side = max(smallest, min(4.0, 0.5 + 0.5 * cells))
    nrows, ncols, size = grid_layout(len(arrays), ncols=ncols or 6, panel=side,
                                     min_panel=smallest, extra_height=0.45)
    fig = new_figure(figsize or size)
    axes = np.atleast_1d(fig.subplots(nrows, ncols)).ravel()
    lim = _symmetric_limit(arrays) if shared_scale else None
    fontsize = fit_fontsize(0.8 * fig.get_figwidth() / ncols / cells, longest)
    for ax, k, t in zip(axes, arrays, titles):
        _draw_kernel(ax, k, lim if lim else _symmetric_limit([k]), fontsize=fontsize)
        if t:
            ax.set_title(_wrap(t, ax))
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
    h, w = arrays[0].shape
    bars = 0.9 if colorbar and shared_scale else 0.0
    nrows, ncols, size = grid_layout(len(arrays), h / w, ncols=ncols or 4, panel=panel_size,
                                     min_panel=2.3 if colorbar and not shared_scale else 1.9,
                                     extra_width=bars)
    if colorbar and not shared_scale:  # each panel carries its own bar
        size = (size[0], size[1] * 0.8)
    fig = new_figure(figsize or size)
    axes = np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False)).ravel()
    signed = _is_signed(arrays)
    images = []
    for ax, a, t in zip(axes, arrays, titles):
        group = arrays if shared_scale else [a]
        scale = colour_scale(group, cmap=cmap)
        if signed and scale["vmin"] == 0:  # keep the diverging map for every panel
            scale = dict(cmap=cmap or DIVERGING, vmin=-scale["vmax"], vmax=scale["vmax"])
        images.append(ax.imshow(a, interpolation="nearest", **scale))
        _clean_axes(ax)
        if t:
            ax.set_title(_wrap(t, ax))
        if colorbar and not shared_scale:
            add_colorbar(fig, images[-1], ax)
    for ax in axes[len(arrays):]:
        ax.set_visible(False)
    if colorbar and shared_scale:
        add_colorbar(fig, images[0], axes[: len(arrays)].tolist(),
                     "response" if signed else None)
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
    nrows, ncols, size = grid_layout(len(arrays), h / w, panel=panel_size,
                                     extra_width=0.9 if maps and colorbar else 0.0,
                                     extra_height=0.6)
    fig = new_figure(figsize or size)
    axes = np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False)).ravel()
    mappable = None
    if maps:
        scale = colour_scale(maps)
    for ax, a, t, p in zip(axes, arrays, titles, photo):
        if p:
            show_image(a, t, ax=ax)
        else:
            mappable = ax.imshow(a, interpolation="nearest", **scale)
            _clean_axes(ax)
            if t:
                ax.set_title(_wrap(t, ax))
    for ax in axes[len(arrays):]:
        ax.set_visible(False)
    if mappable is not None and colorbar:
        add_colorbar(fig, mappable, [ax for ax, p in zip(axes, photo) if not p])
    return finish(fig, suptitle, caption)
