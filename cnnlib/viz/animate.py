"""The sliding-window animation: a kernel moving over an image, one output at a time.

:func:`sliding_window` builds the classic animation of a correlation: at each output
position the patch under the kernel is highlighted on the (padded) input, multiplied
element-wise by the kernel, summed, and written into the output map;
:func:`sliding_window_frame` draws one of its frames as a static figure.
:func:`render_conv_gif` renders the book's sharpen-over-7x7 GIF. To show an animation
without a kernel use :func:`player` (self-contained HTML) or :func:`save_gif`; they live
in :mod:`cnnlib.viz.playback` with :func:`param_player` and are re-exported here.
"""

import numpy as np

import matplotlib
from matplotlib.animation import FuncAnimation
from matplotlib.collections import LineCollection
from matplotlib.patches import Rectangle

from .. import conv
from .plot import (CSS_DPI, DIVERGING, HIGHLIGHT, MIN_FONT, colour_scale, column,
                   column_width, fill, fit_fontsize, format_number, new_figure, text_color)
from .playback import Player, param_frames, param_player, player, render_frames, save_gif

__all__ = ["sliding_window", "sliding_window_frame", "player", "save_gif", "param_frames",
           "param_player", "render_frames", "render_conv_gif", "Player", "DEMO_GRID"]

DEMO_GRID = np.array([
    [1, 1, 1, 1, 1, 1, 1],
    [1, 1, 1, 1, 1, 1, 1],
    [1, 1, 6, 6, 6, 1, 1],
    [1, 1, 6, 9, 6, 1, 1],
    [1, 1, 6, 6, 6, 1, 1],
    [1, 1, 1, 1, 1, 1, 1],
    [1, 1, 1, 1, 1, 1, 1],
])
"""ndarray, shape (7, 7): a bright square on a dim background, in small integers that are
easy to multiply by hand; sharpening it gives both positive and negative outputs."""

PAD_COLOR = "#E8E2D0"
"""str: fill of the zero-padding cells (hatched), distinct from any image value."""

SMALL_GRID = 13
"""int: padded inputs up to this size (both sides) are drawn with every number."""


# --------------------------------------------------------------------------- geometry
def _prepare(image, kernel, stride, padding):
    """Checked float arrays, the padded image and the geometry of the correlation."""
    img = np.asarray(image)
    if img.ndim != 2:
        raise ValueError(f"image must have shape (H, W), got {img.shape}")
    k = np.asarray(kernel)
    if k.ndim != 2:
        raise ValueError(f"kernel must have shape (KH, KW), got {k.shape}")
    for arr, name in ((img, "image"), (k, "kernel")):
        if arr.size == 0:
            raise ValueError(f"{name} is empty, shape {arr.shape}")
        if not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
            raise TypeError(f"{name} must be numeric, got dtype {arr.dtype}")
    img, k = img.astype(np.float64), k.astype(np.float64)
    for arr, name in ((img, "image"), (k, "kernel")):
        if not np.isfinite(arr).all():
            where = np.argwhere(~np.isfinite(arr))[0].tolist()
            raise ValueError(f"{name} contains NaN or infinity at {where}; the animation "
                             f"writes every number out and needs finite values")
    stride, pad, out_hw = conv._geometry(img.shape, k.shape, stride, padding)
    return img, k, stride, pad, out_hw, conv._pad(img, pad)


def _frame_positions(out_hw, max_frames):
    """Output positions (row, col) shown by each frame, in raster order."""
    count = out_hw[0] * out_hw[1]
    if max_frames is not None and max_frames < count:
        index = np.unique(np.linspace(0, count - 1, max_frames).round().astype(int))
    else:
        index = np.arange(count)
    return [divmod(int(i), out_hw[1]) for i in index]


def _factor(v):
    text = format_number(v)
    return f"({text})" if text.startswith("\u2212") or "/" in text else text


def _equation(r, c, patch, k, total, numbers, width=80):
    """The written-out sum in lines of at most ``width`` characters (a single term may
    be longer): one line if it fits, else one line per kernel row, a long row broken
    between its terms."""
    head = f"output[{r}, {c}] = "
    tail = format_number(total, digits=4, fractions=False)
    indent = " " * 6
    if not numbers:
        sigma = "\u03a3 (patch \u00d7 kernel)"
        line = f"{head}{sigma} = {tail}"
        return line if len(line) <= width else f"{head}{sigma}\n{indent}= {tail}"
    rows = [[f"{_factor(a)}\u00b7{_factor(w)}" for a, w in zip(pr, kr)]
            for pr, kr in zip(patch, k)]
    line = head + " + ".join(" + ".join(row) for row in rows) + " = " + tail
    if len(line) <= width:
        return line
    lines = []
    for terms in rows:
        current = head if not lines else indent + "+ "
        for n, term in enumerate(terms):
            if n and len(current) + 3 + len(term) > width:
                lines.append(current)
                current = indent + "+ " + term
            else:
                current += (" + " if n else "") + term
        lines.append(current)
    return "\n".join(lines + [f"{indent}= {tail}"])


# ----------------------------------------------------------------------- the figure
def _cell_axes(ax, h, w):
    """Cell coordinates for an (h, w) grid: cell (i, j) is centred on (j, i); cells square."""
    ax.set_xlim(-0.5, w - 0.5)
    ax.set_ylim(h - 0.5, -0.5)
    ax.set_aspect("equal")  # the output grid is drawn with Rectangles, not imshow
    ax.set_xticks([])
    ax.set_yticks([])


def _cell_grid(ax, h, w, color="0.55", lw=0.8, zorder=2.5):
    """Lines between the cells of an (h, w) grid, as one artist."""
    segments = [[(x, -0.5), (x, h - 0.5)] for x in np.arange(-0.5, w, 1)]
    segments += [[(-0.5, y), (w - 0.5, y)] for y in np.arange(-0.5, h, 1)]
    lines = LineCollection(segments, colors=color, linewidths=lw, zorder=zorder)
    ax.add_collection(lines)
    return lines


def _cell_texts(ax, values, colors, fontsize, fmt=format_number, **kw):
    h, w = values.shape
    return np.array([[ax.text(j, i, fmt(values[i, j]), ha="center", va="center",
                              fontsize=fontsize, color=colors[i, j], zorder=3, **kw)
                      for j in range(w)] for i in range(h)], dtype=object)


def _draw_padding(ax, pad, hp, wp):
    """Hatch the zero-padding cells, with a grey italic 0, so they never pass for pixels."""
    top, bottom, left, right = pad
    for i in range(hp):
        for j in range(wp):
            if top <= i < hp - bottom and left <= j < wp - right:
                continue
            ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor=PAD_COLOR,
                                   edgecolor="0.6", hatch="///", linewidth=0, zorder=1.5))
            ax.text(j, i, "0", ha="center", va="center", fontsize=MIN_FONT, color="0.4",
                    style="italic", zorder=2)


CELL = 0.42
"""float: inches per cell of the numbered diagram (30 CSS px)."""


def _draw_kernel_panel(ax, k, fontsize):
    klim = float(np.abs(k).max()) or 1.0
    im = ax.imshow(k, cmap=DIVERGING, vmin=-klim, vmax=klim, interpolation="nearest")
    _cell_axes(ax, *k.shape)
    _cell_grid(ax, *k.shape)
    _cell_texts(ax, k, text_color(im.cmap(im.norm(k))), fontsize, fontweight="bold")
    ax.set_title("kernel", fontsize=12)


def _equation_box(ax, fontsize):
    ax.axis("off")
    return ax.text(0.5, 0.5, "", ha="center", va="center", fontsize=fontsize,
                   transform=ax.transAxes, linespacing=1.5, multialignment="left",
                   bbox=dict(boxstyle="round,pad=0.5", fc="#FFF6E5", ec=HIGHLIGHT, lw=1.5))


def _patch(xp, r, c, stride, k):
    """Top-left corner (i, j) in the padded input and the patch under output (r, c)."""
    i, j = r * stride[0], c * stride[1]
    return i, j, xp[i:i + k.shape[0], j:j + k.shape[1]]


def sliding_window(image, kernel, stride=1, padding=0, *, numbers=None, max_frames=None,
                   interval=None, crop=15, title=None, dpi=CSS_DPI):
    """Animate a correlation: the kernel slides over the image, one output at a time.

    Each frame shows the input (zero padding hatched) with the current patch outlined,
    the kernel, the element-wise products of patch and kernel, the output map filled up
    to the current position (outlined), and the sum written out, for example
    ``output[0, 1] = 0·0 + 1·(−1) + ... = 7``. The output value is

    ``output[r, c] = sum_{a, b} padded[r * SH + a, c * SW + b] * kernel[a, b]``

    with ``H' = floor((H + 2P - KH) / SH) + 1`` rows (likewise for columns).

    On a small grid (padded input up to 13x13) every number is written and there is one
    frame per output position. On a larger image a zoomed crop around the patch is
    shown next to the whole image, only the kernel and the sum carry numbers, and at
    most ``max_frames`` positions are shown.

    Parameters
    ----------
    image : ndarray, shape (H, W)
    kernel : ndarray, shape (KH, KW)
    stride : int or (int, int)
    padding : int, (int, int), "valid" or "same"
        As in :func:`cnnlib.conv.correlate2d`.
    numbers : bool, optional
        Force the small (True) or large (False) layout; by default chosen by size.
    max_frames : int, optional
        Cap on the number of frames (default: every position for a small grid, 40 for a
        large image); positions are then sampled evenly in raster order.
    interval : int, optional
        Milliseconds between frames (default 700 small, 200 large).
    crop : int
        Side of the zoomed crop of a large image, in pixels.
    title : str, optional
    dpi : int
        Pixels per inch of the figure (the GIF uses it; the player renders
        ``PIXEL_RATIO`` times as many and shows the frames at 72 CSS px per inch).

    Returns
    -------
    matplotlib.animation.FuncAnimation
        With extra attributes: ``figure``, ``frame_positions`` (list of (row, col), one
        per frame), ``draw_frame(i)`` (sets the artists for frame ``i``), ``sum_text``
        (the Text holding the written-out sum), ``output_texts`` (ndarray of Text, shape
        (H', W'), small layout only), ``blit_plan`` (which artists move, for the player),
        ``palette`` (True when 256 colours per frame are enough) and
        ``for_column(width)``: the same animation laid out for a column ``width`` inches
        wide (:func:`cnnlib.viz.plot.column`: on a phone the panels stack in two rows,
        or one per row), or None when its numbers cannot be legible there. The layout
        follows the column the animation is made for: :func:`player` draws the frames
        a second time with ``for_column(PHONE_COLUMN)``.
    """
    args = (image, kernel, stride, padding, numbers, max_frames, crop, title, dpi)
    return _animation(args, interval)[0]


def _animation(args, interval):
    """The animation of :func:`sliding_window` for the arguments ``args`` of
    :func:`_build`, laid out for the current column, and whether its numbers are legible
    there."""
    fig, update, extras, positions, numbers, _ = _build(*args)
    legible = extras.pop("legible")
    anim = FuncAnimation(fig, lambda n: anim.draw_frame(n), frames=len(positions),
                         blit=False, interval=interval or (700 if numbers else 200),
                         repeat=True, cache_frame_data=False)
    anim.figure = fig
    anim.frame_positions = positions
    anim.draw_frame = update
    anim.for_column = lambda width: _for_column(args, interval, width)
    for key, value in extras.items():
        setattr(anim, key, value)
    update(0)
    return anim, legible


def _for_column(args, interval, width):
    """The animation laid out for a column ``width`` inches wide, or None when its
    numbers cannot be legible in it."""
    with column(width):
        anim, legible = _animation(args, interval)
    return anim if legible else None


def sliding_window_frame(image, kernel, position=0, stride=1, padding=0, *, numbers=None,
                         max_frames=None, crop=15, title=None, dpi=CSS_DPI):
    """One frame of :func:`sliding_window` as a static Figure: the kernel at one position.

    The figure is exactly the animation's frame: the patch outlined on the input, the
    kernel, the products, the output filled up to ``position`` and the sum written out.

    Parameters
    ----------
    image : ndarray, shape (H, W)
    kernel : ndarray, shape (KH, KW)
    position : int or (int, int)
        A frame index of the animation, or the output position (row, col) to show, with
        ``0 <= row < H'`` and ``0 <= col < W'``.
    stride, padding, numbers, max_frames, crop, title, dpi
        As for :func:`sliding_window`.

    Returns
    -------
    matplotlib.figure.Figure
        With extra attributes ``position`` (the (row, col) shown) and ``sum_text`` (the
        Text holding the written-out sum).
    """
    fig, update, extras, positions, _, index = _build(
        image, kernel, stride, padding, numbers, max_frames, crop, title, dpi,
        position=position)
    update(index)
    fig.position = positions[index]
    fig.sum_text = extras["sum_text"]
    return fig


def _build(image, kernel, stride, padding, numbers, max_frames, crop, title, dpi,
           position=None):
    """The figure of :func:`sliding_window`, its ``update(n)``, extras, the frame
    positions, the layout (``numbers``) and the index of the frame ``position`` names.

    ``position`` is a frame index or an output position (row, col); a position that
    sampling left out is added to the frames.
    """
    img, k, stride, pad, out_hw, xp = _prepare(image, kernel, stride, padding)
    hp, wp = xp.shape
    kh, kw = k.shape
    if numbers is None:
        numbers = max(hp, wp) <= SMALL_GRID
    if max_frames is None:
        max_frames = None if numbers else 40
    elif isinstance(max_frames, bool) or not isinstance(max_frames, (int, np.integer)):
        raise TypeError(f"max_frames must be a positive int, got {max_frames!r}")
    elif max_frames < 1:
        raise ValueError(f"max_frames must be a positive int, got {max_frames!r}")
    if numbers and max(hp, wp) > 2 * SMALL_GRID:
        raise ValueError(f"numbers=True needs a padded input of at most {2 * SMALL_GRID} "
                         f"cells a side, got {hp}x{wp}")
    positions = _frame_positions(out_hw, max_frames)
    index = 0 if position is None else _frame_index(position, out_hw, positions)
    if isinstance(index, tuple):  # an output position the sampled frames skip
        positions = sorted(positions + [index])
        index = positions.index(index)
    out = conv.correlate2d(img, k, stride=stride, padding=padding).astype(np.float64)
    sh, sw = stride
    title = title or (f"Sliding a {kh}\u00d7{kw} kernel: stride "
                      f"{sh if sh == sw else stride}, padding {padding}")
    build = _build_small if numbers else _build_large
    fig, update, extras = build(img, k, xp, pad, stride, out, positions, crop, dpi, title)
    return fig, update, extras, positions, numbers, index


def _frame_index(position, out_hw, positions):
    """Index in ``positions`` of a frame index or (row, col); a missing (row, col) as is."""
    def is_int(v):
        return isinstance(v, (int, np.integer)) and not isinstance(v, bool)
    if is_int(position):
        if not 0 <= position < len(positions):
            raise ValueError(f"frame index {position} is out of range: the animation has "
                             f"{len(positions)} frames (0 to {len(positions) - 1})")
        return int(position)
    if (isinstance(position, (tuple, list, np.ndarray)) and len(position) == 2
            and all(is_int(v) for v in position)):
        r, c = (int(v) for v in position)
        if not (0 <= r < out_hw[0] and 0 <= c < out_hw[1]):
            raise ValueError(f"output position ({r}, {c}) is outside the {out_hw[0]}x"
                             f"{out_hw[1]} output")
        return positions.index((r, c)) if (r, c) in positions else (r, c)
    raise TypeError(f"position must be a frame index (int) or an output position "
                    f"(row, col), got {position!r}")


def _suptitle(fig, title):
    """The figure's bold title, wrapped to its width (13-point bold: about 8 pt a letter)."""
    return fig.suptitle(fill(title, max(20, int(fig.get_figwidth() * 72 / 8))),
                        fontsize=13, fontweight="bold")


MIN_CELL = 0.3
"""float: inches; the numbered diagram's cells are never smaller (22 CSS px)."""

SIGN_GAP = {"": 0.0, "\u00d7": 0.45, "=": 0.45, "\u03a3 \u2192": 0.7}
"""dict: inches before a panel of the stacked diagram, room for the sign before it."""


def _one_row(shapes, titles, equations, title):
    """The numbered diagram for a wide column: input, kernel, products and output in one
    row, the equation underneath. Returns the figure, the four grid axes, the equation's
    Text, its width in characters and a function that places the signs between panels
    once the panels are drawn."""
    (hp, wp), (kh, kw), (oh, ow) = shapes
    cell = CELL
    widths = [wp, kw, kw, ow]
    rows = max(hp, oh)
    lines = equations(80)[0].count("\n") + 1
    eq_rows = (0.27 * lines + 0.4) / cell
    height = cell * (rows + eq_rows) + 0.9
    fig = new_figure((cell * sum(widths) + 2.2, height), layout=None)
    gs = fig.add_gridspec(2, 4, width_ratios=widths, height_ratios=[rows, eq_rows],
                          left=0.02, right=0.98, top=1 - 0.75 / height, bottom=0.01,
                          wspace=0.34, hspace=0.04)
    axes = [fig.add_subplot(gs[0, i]) for i in range(4)]
    for ax, text in zip(axes, titles):
        ax.set_title(text, fontsize=12)
    eq = _equation_box(fig.add_subplot(gs[1, :]), 12.5)
    _suptitle(fig, title)

    def signs():
        ax_in, ax_k, ax_p, ax_out = axes
        y = (ax_k.get_position().y0 + ax_k.get_position().y1) / 2
        return [((a.get_position().x1 + b.get_position().x0) / 2, y, sign)
                for a, b, sign in ((ax_in, ax_k, "\u00d7"), (ax_k, ax_p, "="),
                                   (ax_p, ax_out, "\u03a3 \u2192"))]
    return fig, axes, eq, 80, signs, cell


def _stacked(shapes, titles, equations, title, min_cell):
    """The numbered diagram for a narrow column (a phone's): input × kernel on one row
    and = products Σ → output on the next, or, if their cells would be smaller than
    ``min_cell``, one panel per row; the equation underneath, wrapped to the column.
    Returns what :func:`_one_row` returns, or None if no layout fits."""
    (hp, wp), (kh, kw), (oh, ow) = shapes
    size = {"in": (hp, wp), "k": (kh, kw), "p": (kh, kw), "out": (oh, ow)}
    room = column_width()
    margin = 0.1
    usable = room - 2 * margin
    two = [[("in", ""), ("k", "\u00d7")], [("p", "="), ("out", "\u03a3 \u2192")]]
    one = [[("in", "")], [("k", "\u00d7")], [("p", "=")], [("out", "\u03a3 \u2192")]]
    for rows in (two, one):
        cell = min([CELL] + [(usable - sum(SIGN_GAP[sign] for _, sign in row))
                             / sum(size[name][1] for name, _ in row) for row in rows])
        if cell >= min_cell:
            break
    else:
        return None
    names = ["in", "k", "p", "out"]
    wrapped = {name: fill(text, max(8, int((size[name][1] * cell + 0.45) * 72 / 6.6)))
               for name, text in zip(names, titles)}
    eq_width = int((usable - 0.3) * 72 / (0.6 * 12))
    eq_lines = max(e.count("\n") + 1 for e in equations(eq_width))
    title_lines = fill(title, max(20, int(room * 72 / 8))).count("\n") + 1
    top = 0.14 + 0.24 * title_lines
    row_heights = [(max(wrapped[name].count("\n") + 1 for name, _ in row) * 0.2 + 0.14,
                    max(size[name][0] for name, _ in row) * cell) for row in rows]
    eq_height = 0.27 * eq_lines + 0.45
    height = top + sum(t + g + 0.16 for t, g in row_heights) + eq_height
    fig = new_figure((room, height), layout=None)
    axes, spots, y = {}, [], top
    for row, (title_h, grid_h) in zip(rows, row_heights):
        content = sum(size[name][1] * cell + SIGN_GAP[sign] for name, sign in row)
        x, y = margin + (usable - content) / 2, y + title_h
        for name, sign in row:
            if sign:
                spots.append((x + SIGN_GAP[sign] / 2, y + grid_h / 2, sign))
                x += SIGN_GAP[sign]
            h, w = size[name][0] * cell, size[name][1] * cell
            top_edge = y + (grid_h - h) / 2
            axes[name] = fig.add_axes([x / room, 1 - (top_edge + h) / height, w / room,
                                       h / height])
            axes[name].set_title(wrapped[name], fontsize=12)
            x += w
        y += grid_h + 0.16
    eq = _equation_box(fig.add_axes([margin / room, 0.05 / height, usable / room,
                                     (eq_height - 0.1) / height]), 12)
    _suptitle(fig, title)
    spots = [(x / room, 1 - y / height, sign) for x, y, sign in spots]
    return fig, [axes[name] for name in names], eq, eq_width, lambda: spots, cell


def _build_small(img, k, xp, pad, stride, out, positions, crop, dpi, title):
    hp, wp = xp.shape
    kh, kw = k.shape
    oh, ow = out.shape
    titles = [f"input {img.shape[0]}\u00d7{img.shape[1]}"
              + (", zero padding hatched" if any(pad) else ""), "kernel",
              "patch \u00d7 kernel", f"output {oh}\u00d7{ow}"]
    patches = [_patch(xp, r, c, stride, k) for r, c in positions]
    all_products = [patch * k for _, _, patch in patches]

    def equations(width):
        return [_equation(r, c, patch, k, float(products.sum()), True, width)
                for (r, c), (_, _, patch), products in zip(positions, patches, all_products)]

    labels = ([format_number(v) for v in xp.ravel()] + [format_number(v) for v in k.ravel()]
              + [format_number(v) for p in all_products for v in p.ravel()]
              + [format_number(v, fractions=False) for v in out.ravel()])
    # the cell in which the longest number fits at the smallest font (never over CELL)
    min_cell = min(CELL, max(MIN_CELL, 0.62 * MIN_FONT * max(2, max(map(len, labels)))
                             / (0.85 * 72)))
    shapes = (xp.shape, k.shape, out.shape)
    one_row_fits = CELL * min(1.0, column_width() / (CELL * (wp + 2 * kw + ow) + 2.2)) \
        >= min_cell
    layout = None if one_row_fits else _stacked(shapes, titles, equations, title, min_cell)
    legible = one_row_fits or layout is not None
    # one row, scaled down to the column if nothing else fits
    layout = layout or _one_row(shapes, titles, equations, title)
    fig, (ax_in, ax_k, ax_p, ax_out), eq, eq_width, signs, cell = layout
    fig.set_dpi(dpi)

    # input: gray like an image, padding hatched, the patch outlined in orange
    scale = colour_scale([img], image=True)
    im_in = ax_in.imshow(xp, interpolation="nearest", **scale)
    _cell_axes(ax_in, hp, wp)
    _cell_grid(ax_in, hp, wp)
    colors = text_color(im_in.cmap(im_in.norm(xp)))
    top, bottom, left, right = pad
    in_size = fit_fontsize(cell, max(len(format_number(v)) for v in xp.ravel()), largest=12)
    for i in range(top, hp - bottom):
        for j in range(left, wp - right):
            ax_in.text(j, i, format_number(xp[i, j]), ha="center", va="center",
                       fontsize=in_size, color=colors[i, j], zorder=2)
    _draw_padding(ax_in, pad, hp, wp)
    shade = Rectangle((-0.5, -0.5), kw, kh, facecolor=HIGHLIGHT, alpha=0.18, zorder=3)
    outline = Rectangle((-0.5, -0.5), kw, kh, fill=False, edgecolor=HIGHLIGHT, lw=3.5, zorder=4,
                        clip_on=False)
    ax_in.add_patch(shade)
    ax_in.add_patch(outline)
    _draw_kernel_panel(ax_k, k, fit_fontsize(cell, max(len(format_number(v)) for v in k.ravel()),
                                             largest=12))

    # products: one colour scale over every frame
    plim = max(float(np.abs(p).max()) for p in all_products) or 1.0
    im_p = ax_p.imshow(all_products[0], cmap=DIVERGING, vmin=-plim, vmax=plim,
                       interpolation="nearest")
    _cell_axes(ax_p, kh, kw)
    grid_p = _cell_grid(ax_p, kh, kw)
    p_size = fit_fontsize(cell, max(len(format_number(v)) for p in all_products for v in p.ravel()),
                          largest=12)
    p_texts = _cell_texts(ax_p, all_products[0], np.full(k.shape, "black"), p_size)

    # output: one coloured cell per position filled so far
    olim = float(np.abs(out).max()) or 1.0
    norm = matplotlib.colors.Normalize(-olim, olim)
    rgba = matplotlib.colormaps[DIVERGING](norm(out))
    out_colors = text_color(rgba)
    _cell_axes(ax_out, oh, ow)
    _cell_grid(ax_out, oh, ow, zorder=1)
    o_size = fit_fontsize(cell, max(len(format_number(v, fractions=False)) for v in out.ravel()),
                          largest=12)
    out_cells = np.empty(out.shape, dtype=object)
    out_texts = np.empty(out.shape, dtype=object)
    for i in range(oh):
        for j in range(ow):
            out_cells[i, j] = ax_out.add_patch(Rectangle(
                (j - 0.5, i - 0.5), 1, 1, facecolor=rgba[i, j], edgecolor="0.55", lw=0.8,
                zorder=2, visible=False))
            out_texts[i, j] = ax_out.text(j, i, "", ha="center", va="center", fontsize=o_size,
                                          color=out_colors[i, j], fontweight="bold", zorder=3)
    cursor = Rectangle((-0.5, -0.5), 1, 1, fill=False, edgecolor=HIGHLIGHT, lw=3.5, zorder=4,
                       clip_on=False)
    ax_out.add_patch(cursor)
    for x, y, sign in signs():
        fig.text(x, y, sign, ha="center", va="center", fontsize=16, color="0.3")

    raster = [r * ow + c for r, c in positions]

    def update(n):
        r, c = positions[n]
        i, j, patch = _patch(xp, r, c, stride, k)
        products = patch * k
        total = float(products.sum())
        shade.set_xy((j - 0.5, i - 0.5))
        outline.set_xy((j - 0.5, i - 0.5))
        im_p.set_data(products)
        p_colors = text_color(im_p.cmap(im_p.norm(products)))
        for (a, b), t in np.ndenumerate(p_texts):
            t.set_text(format_number(products[a, b]))
            t.set_color(p_colors[a, b])
        for (rr, cc), t in np.ndenumerate(out_texts):
            filled = rr * ow + cc <= raster[n]
            out_cells[rr, cc].set_visible(filled)
            t.set_text(format_number(out[rr, cc], fractions=False) if filled else "")
        # the current cell shows the sum just computed from the drawn products
        out_texts[r, c].set_text(format_number(total, fractions=False))
        cursor.set_xy((c - 0.5, r - 0.5))
        eq.set_text(_equation(r, c, patch, k, total, True, eq_width))
        return []

    def committed(prev, n):
        """Output cells that become filled between frame ``prev`` and frame ``n``."""
        first = raster[prev] + 1 if prev is not None else 0
        idx = range(first, raster[n] + 1)
        return [a for q in idx for a in (out_cells.flat[q], out_texts.flat[q])]

    plan = {"transient": [shade, outline, im_p, grid_p, *p_texts.ravel(), cursor, eq],
            "committed": committed,
            "all_committed": [*out_cells.ravel(), *out_texts.ravel()]}
    return fig, update, {"sum_text": eq, "output_texts": out_texts, "blit_plan": plan,
                         "palette": True, "legible": legible}


LARGE_ROW = 8.2
"""float: inches; a column this wide holds the large-image diagram's four panels in one
row (2.2 inches each); a narrower one gets them two by two."""


def _large_layout(title):
    """Axes of the large-image diagram (whole input, zoom, kernel, output), the
    equation's Text, its width in characters, the kernel panel's width in inches and
    the separator of the zoom title's two halves."""
    room = column_width()
    if room >= LARGE_ROW:
        fig = new_figure((9.3, 4.4), layout=None)
        gs = fig.add_gridspec(2, 4, width_ratios=[1, 1, 0.55, 1], height_ratios=[4, 0.8],
                              left=0.02, right=0.97, top=0.85, bottom=0.02, wspace=0.15,
                              hspace=0.12)
        axes = [fig.add_subplot(gs[0, i]) for i in range(4)]
        eq = _equation_box(fig.add_subplot(gs[1, :]), 13)
        _suptitle(fig, title)
        return fig, axes, eq, 80, 0.55 * 9.3 / 3.55, " "
    margin, gap = 0.1, 0.25
    panel = (room - 2 * margin - gap) / 2
    eq_width = int((room - 2 * margin - 0.3) * 72 / (0.6 * 12))
    top = 0.14 + 0.24 * (fill(title, max(20, int(room * 72 / 8))).count("\n") + 1)
    rows = [(0.5, panel), (0.35, panel)]  # (title, panels): two-line zoom title on top
    eq_height = 0.27 * 2 + 0.45
    height = top + sum(t + p + 0.25 for t, p in rows) + eq_height
    fig = new_figure((room, height), layout=None)
    axes, y = [], top
    for title_h, panel_h in rows:
        y += title_h
        for x in (margin, margin + panel + gap):
            axes.append(fig.add_axes([x / room, 1 - (y + panel_h) / height, panel / room,
                                      panel_h / height]))
        y += panel_h + 0.25
    eq = _equation_box(fig.add_axes([margin / room, 0.05 / height, 1 - 2 * margin / room,
                                     (eq_height - 0.1) / height]), 12)
    _suptitle(fig, title)
    return fig, axes, eq, eq_width, panel, "\n"


def _build_large(img, k, xp, pad, stride, out, positions, crop, dpi, title):
    hp, wp = xp.shape
    kh, kw = k.shape
    oh, ow = out.shape
    ch, cw = min(hp, max(crop, kh + 4)), min(wp, max(crop, kw + 4))
    fig, (ax_full, ax_zoom, ax_k, ax_out), eq, eq_width, k_panel, sep = _large_layout(title)
    fig.set_dpi(dpi)
    scale = colour_scale([img], image=True)
    top, left = pad[0], pad[2]

    ax_full.imshow(img, interpolation="nearest", **scale)
    ax_full.set_xticks([])
    ax_full.set_yticks([])
    ax_full.set_title(f"input {img.shape[0]}\u00d7{img.shape[1]}", fontsize=12)
    crop_box = Rectangle((0, 0), cw, ch, fill=False, edgecolor=HIGHLIGHT, lw=2, zorder=4,
                         clip_on=False)
    ax_full.add_patch(crop_box)

    im_zoom = ax_zoom.imshow(xp[:ch, :cw], interpolation="nearest", **scale)
    pad_mask = np.ones(xp.shape, bool)
    pad_mask[top:top + img.shape[0], left:left + img.shape[1]] = False
    im_tint = ax_zoom.imshow(np.zeros((ch, cw, 4)), interpolation="nearest", zorder=1.5)
    _cell_axes(ax_zoom, ch, cw)
    grid_zoom = _cell_grid(ax_zoom, ch, cw, color="0.35", lw=0.5)
    # not the Axes title: matplotlib moves a hidden title off the figure, and the
    # player hides what moves while it draws the still background
    zoom_title = ax_zoom.text(0.5, 1.02, "", ha="center", va="bottom", fontsize=MIN_FONT,
                              transform=ax_zoom.transAxes)
    if any(pad):
        ax_zoom.set_xlabel("zero padding tinted", fontsize=MIN_FONT, color="0.35")
    shade = Rectangle((-0.5, -0.5), kw, kh, facecolor=HIGHLIGHT, alpha=0.25, zorder=3)
    outline = Rectangle((-0.5, -0.5), kw, kh, fill=False, edgecolor=HIGHLIGHT, lw=3, zorder=4)
    ax_zoom.add_patch(shade)
    ax_zoom.add_patch(outline)

    _draw_kernel_panel(ax_k, k, fit_fontsize(k_panel / max(kh, kw),
                                             max(len(format_number(v)) for v in k.ravel())))

    olim = float(np.abs(out).max()) or 1.0
    cmap_out = matplotlib.colormaps[DIVERGING].with_extremes(bad="0.93")
    im_out = ax_out.imshow(np.full(out.shape, np.nan), cmap=cmap_out, vmin=-olim, vmax=olim,
                           interpolation="nearest")
    ax_out.set_xticks([])
    ax_out.set_yticks([])
    ax_out.set_title(f"output {oh}\u00d7{ow}", fontsize=12)
    (cursor,) = ax_out.plot([0], [0], marker="s", ms=11, mfc="none", mec=HIGHLIGHT, mew=2.5)
    fig.colorbar(im_out, ax=ax_out, shrink=0.8).ax.tick_params(labelsize=MIN_FONT)
    flat = np.arange(oh * ow).reshape(oh, ow)
    pad_rgba = matplotlib.colors.to_rgba(PAD_COLOR, 0.9)

    def update(n):
        r, c = positions[n]
        i, j, patch = _patch(xp, r, c, stride, k)
        total = float((patch * k).sum())
        y0 = min(max(i + kh // 2 - ch // 2, 0), hp - ch)
        x0 = min(max(j + kw // 2 - cw // 2, 0), wp - cw)
        im_zoom.set_data(xp[y0:y0 + ch, x0:x0 + cw])
        tint = np.zeros((ch, cw, 4))
        tint[pad_mask[y0:y0 + ch, x0:x0 + cw]] = pad_rgba
        im_tint.set_data(tint)
        zoom_title.set_text(f"zoom: rows {y0 - top}\u2013{y0 - top + ch - 1},{sep}"
                            f"cols {x0 - left}\u2013{x0 - left + cw - 1}")
        shade.set_xy((j - x0 - 0.5, i - y0 - 0.5))
        outline.set_xy((j - x0 - 0.5, i - y0 - 0.5))
        crop_box.set_xy((x0 - left - 0.5, y0 - top - 0.5))
        im_out.set_data(np.where(flat <= r * ow + c, out, np.nan))
        cursor.set_data([c], [r])
        eq.set_text(_equation(r, c, patch, k, total, False, eq_width))
        return []

    plan = {"transient": [crop_box, im_zoom, im_tint, grid_zoom, zoom_title, shade, outline,
                          im_out, cursor, eq],
            "committed": lambda prev, n: [], "all_committed": []}
    return fig, update, {"sum_text": eq, "blit_plan": plan, "legible": True}


def render_conv_gif(path, *, fps=1.25, dpi=72):
    """Render the book's animation, a sharpen kernel over a 7x7 grid with every sum
    written out, as a GIF.

    Parameters
    ----------
    path : str or path-like
    fps : float
    dpi : float

    Returns
    -------
    path : the path written
    """
    from ..filters import kernel
    anim = sliding_window(DEMO_GRID, kernel("sharpen"), padding=0, dpi=dpi,
                          title="A 3\u00d73 sharpen kernel sliding over a 7\u00d77 image")
    return save_gif(anim, path, fps=fps)
