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
from .plot import (CSS_DPI, DIVERGING, HIGHLIGHT, MIN_FONT, colour_scale, fit_fontsize,
                   format_number, new_figure, text_color)
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


def _equation(r, c, patch, k, total, numbers):
    """The written-out sum, one line per kernel row when it is long."""
    head = f"output[{r}, {c}] = "
    tail = format_number(total, digits=4, fractions=False)
    if not numbers:
        return f"{head}\u03a3 (patch \u00d7 kernel) = {tail}"
    rows = [" + ".join(f"{_factor(a)}\u00b7{_factor(w)}" for a, w in zip(pr, kr))
            for pr, kr in zip(patch, k)]
    line = head + " + ".join(rows) + " = " + tail
    if len(line) <= 80:
        return line
    indent = " " * 6
    body = ("\n" + indent + "+ ").join(rows)
    return f"{head}{body}\n{indent}= {tail}"


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
        (H', W'), small layout only), ``blit_plan`` (which artists move, for the player)
        and ``palette`` (True when 256 colours per frame are enough).
    """
    fig, update, extras, positions, numbers, _ = _build(
        image, kernel, stride, padding, numbers, max_frames, crop, title, dpi)
    anim = FuncAnimation(fig, lambda n: anim.draw_frame(n), frames=len(positions),
                         blit=False, interval=interval or (700 if numbers else 200),
                         repeat=True, cache_frame_data=False)
    anim.figure = fig
    anim.frame_positions = positions
    anim.draw_frame = update
    for key, value in extras.items():
        setattr(anim, key, value)
    update(0)
    return anim


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
    build = _build_small if numbers else _build_large
    fig, update, extras = build(img, k, xp, pad, stride, out, positions, crop, dpi)
    sh, sw = stride
    fig.suptitle(title or f"Sliding a {kh}\u00d7{kw} kernel: stride "
                 f"{sh if sh == sw else stride}, padding {padding}", fontsize=13,
                 fontweight="bold")
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


def _build_small(img, k, xp, pad, stride, out, positions, crop, dpi):
    hp, wp = xp.shape
    kh, kw = k.shape
    oh, ow = out.shape
    cell = CELL
    widths = [wp, kw, kw, ow]
    rows = max(hp, oh)
    lines = _equation(0, 0, xp[:kh, :kw], k, float(out.flat[0]), numbers=True).count("\n") + 1
    eq_rows = (0.27 * lines + 0.4) / cell
    height = cell * (rows + eq_rows) + 0.9
    fig = new_figure((cell * sum(widths) + 2.2, height), layout=None)
    fig.set_dpi(dpi)
    gs = fig.add_gridspec(2, 4, width_ratios=widths, height_ratios=[rows, eq_rows],
                          left=0.02, right=0.98, top=1 - 0.75 / height, bottom=0.01,
                          wspace=0.34, hspace=0.04)
    ax_in, ax_k, ax_p, ax_out = (fig.add_subplot(gs[0, i]) for i in range(4))
    eq = _equation_box(fig.add_subplot(gs[1, :]), 12.5)

    # input: gray like an image, padding hatched, the patch outlined in orange
    scale = colour_scale([img], image=True)
    im_in = ax_in.imshow(xp, interpolation="nearest", **scale)
    _cell_axes(ax_in, hp, wp)
    _cell_grid(ax_in, hp, wp)
    colors = text_color(im_in.cmap(im_in.norm(xp)))
    top, bottom, left, right = pad
    for i in range(top, hp - bottom):
        for j in range(left, wp - right):
            ax_in.text(j, i, format_number(xp[i, j]), ha="center", va="center", fontsize=12,
                       color=colors[i, j], zorder=2)
    _draw_padding(ax_in, pad, hp, wp)
    ax_in.set_title(f"input {img.shape[0]}\u00d7{img.shape[1]}"
                    + (", zero padding hatched" if any(pad) else ""), fontsize=12)
    shade = Rectangle((-0.5, -0.5), kw, kh, facecolor=HIGHLIGHT, alpha=0.18, zorder=3)
    outline = Rectangle((-0.5, -0.5), kw, kh, fill=False, edgecolor=HIGHLIGHT, lw=3.5, zorder=4,
                        clip_on=False)
    ax_in.add_patch(shade)
    ax_in.add_patch(outline)
    _draw_kernel_panel(ax_k, k, fit_fontsize(cell, max(len(format_number(v)) for v in k.ravel()),
                                             largest=12))

    # products: one colour scale over every frame
    all_products = [_patch(xp, r, c, stride, k)[2] * k for r, c in positions]
    plim = max(float(np.abs(p).max()) for p in all_products) or 1.0
    im_p = ax_p.imshow(all_products[0], cmap=DIVERGING, vmin=-plim, vmax=plim,
                       interpolation="nearest")
    _cell_axes(ax_p, kh, kw)
    grid_p = _cell_grid(ax_p, kh, kw)
    p_size = fit_fontsize(cell, max(len(format_number(v)) for p in all_products for v in p.ravel()),
                          largest=12)
    p_texts = _cell_texts(ax_p, all_products[0], np.full(k.shape, "black"), p_size)
    ax_p.set_title("patch \u00d7 kernel", fontsize=12)

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
    ax_out.set_title(f"output {oh}\u00d7{ow}", fontsize=12)

    for left_ax, right_ax, sign in ((ax_in, ax_k, "\u00d7"), (ax_k, ax_p, "="),
                                    (ax_p, ax_out, "\u03a3 \u2192")):
        x = (left_ax.get_position().x1 + right_ax.get_position().x0) / 2
        y = (ax_k.get_position().y0 + ax_k.get_position().y1) / 2
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
        eq.set_text(_equation(r, c, patch, k, total, numbers=True))
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
                         "palette": True}


def _build_large(img, k, xp, pad, stride, out, positions, crop, dpi):
    hp, wp = xp.shape
    kh, kw = k.shape
    oh, ow = out.shape
    ch, cw = min(hp, max(crop, kh + 4)), min(wp, max(crop, kw + 4))
    fig = new_figure((9.3, 4.4), layout=None)
    fig.set_dpi(dpi)
    gs = fig.add_gridspec(2, 4, width_ratios=[1, 1, 0.55, 1], height_ratios=[4, 0.8],
                          left=0.02, right=0.97, top=0.85, bottom=0.02, wspace=0.15, hspace=0.12)
    ax_full, ax_zoom, ax_k, ax_out = (fig.add_subplot(gs[0, i]) for i in range(4))
    eq = _equation_box(fig.add_subplot(gs[1, :]), 13)
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

    _draw_kernel_panel(ax_k, k, fit_fontsize(0.55 * 9.3 / 3.55 / kw,
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
        zoom_title.set_text(f"zoom: rows {y0 - top}\u2013{y0 - top + ch - 1}, "
                            f"cols {x0 - left}\u2013{x0 - left + cw - 1}")
        shade.set_xy((j - x0 - 0.5, i - y0 - 0.5))
        outline.set_xy((j - x0 - 0.5, i - y0 - 0.5))
        crop_box.set_xy((x0 - left - 0.5, y0 - top - 0.5))
        im_out.set_data(np.where(flat <= r * ow + c, out, np.nan))
        cursor.set_data([c], [r])
        eq.set_text(_equation(r, c, patch, k, total, numbers=False))
        return []

    plan = {"transient": [crop_box, im_zoom, im_tint, grid_zoom, zoom_title, shade, outline,
                          im_out, cursor, eq],
            "committed": lambda prev, n: [], "all_committed": []}
    return fig, update, {"sum_text": eq, "blit_plan": plan}


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
