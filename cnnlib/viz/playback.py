"""Players that need no Python kernel and no internet, GIFs, and parameter players.

:func:`player` turns an animation into a self-contained HTML player (play/pause, step
and speed buttons, a frame slider); :func:`save_gif` writes a small looping GIF;
:func:`param_player` precomputes a figure for each value of a parameter: the static twin
of a live slider. The player's markup and script live in ``player.html``,
``player_source.html`` and ``player.js`` beside this module. Frames are PNGs with
:data:`~cnnlib.viz.plot.PIXEL_RATIO` pixels per CSS pixel, shown at the figure's size
(72 CSS px per inch), so they stay sharp on 2x screens; the page shows the first frame
and fetches the others the first time the reader uses the player. Animations made by
:func:`cnnlib.viz.animate.sliding_window` render by blitting (``anim.blit_plan``), a few
times faster than a full redraw per frame.

A phone's column is about half the book's: frames drawn for the book would be shown at
half their size there, their text unreadable. So a player also draws its frames for
:data:`~cnnlib.viz.plot.PHONE_COLUMN` (the figures laid out for it, panels stacked), and
a screen whose text column is narrower than the wide frames shows that set instead: the
first frame through ``<picture>``, so a page downloads one first frame per player, the
others chosen by the script, which follows the screen if its width changes.
"""

import base64
import html
import io
import json
import math
import uuid
import warnings
from importlib import resources
from string import Template

import numpy as np

import matplotlib
import matplotlib.pyplot as plt
from matplotlib.animation import AbstractMovieWriter, FuncAnimation
from matplotlib.backends.backend_agg import FigureCanvasAgg

from .plot import CSS_DPI, PHONE_COLUMN, PIXEL_RATIO, column

__all__ = ["Player", "player", "save_gif", "render_frames", "param_frames", "param_player"]


# ------------------------------------------------------------------------ rendering
class _Canvas(FigureCanvasAgg):
    """An Agg canvas that leaves drawing to :class:`_FrameGrabber` while it records."""

    def draw_idle(self, *args, **kwargs):
        pass


class _FrameGrabber(AbstractMovieWriter):
    """A movie writer for ``Animation.save`` that keeps frames as Pillow images.

    ``keep`` lists the frame indices to render (default all); ``scale`` multiplies the
    figure's dpi while recording (``dpi`` keeps the figure's own). With a ``plan`` (an animation's ``blit_plan``), the still parts are
    drawn once and each frame redraws only what moves.
    """

    def __init__(self, keep=None, scale=1, plan=None):
        super().__init__()
        self.keep, self.scale, self.plan = keep, scale, plan
        self.images, self.index, self.previous, self.background = [], -1, None, None

    def setup(self, fig, outfile, dpi=None):
        super().setup(fig, outfile, dpi)
        self.old_canvas, self.old_dpi = fig.canvas, fig.dpi
        fig.set_dpi(self.scale * fig.dpi)
        self.canvas = _Canvas(fig)

    def grab_frame(self, **savefig_kwargs):
        self.index += 1
        if self.keep is not None and self.index not in self.keep:
            return
        fig, canvas, n = self.fig, self.canvas, self.index
        if self.plan is None:
            canvas.draw()
        else:
            if self.background is None:  # the still parts, drawn once
                moving = self.plan["transient"] + self.plan["all_committed"]
                shown = [a.get_visible() for a in moving]
                for a in moving:
                    a.set_visible(False)
                canvas.draw()
                for a, visible in zip(moving, shown):
                    a.set_visible(visible)
                self.background = canvas.copy_from_bbox(fig.bbox)
            canvas.restore_region(self.background)
            for a in self.plan["committed"](self.previous, n):
                fig.draw_artist(a)
            self.background = canvas.copy_from_bbox(fig.bbox)
            for a in self.plan["transient"]:
                fig.draw_artist(a)
            self.previous = n
        self.images.append(_canvas_image(canvas))

    def finish(self):
        fig = self.fig
        fig.set_dpi(self.old_dpi)
        fig.set_canvas(self.old_canvas)


def _canvas_image(canvas):
    from PIL import Image
    w, h = canvas.get_width_height(physical=True)
    return Image.frombuffer("RGBA", (w, h), canvas.buffer_rgba(), "raw", "RGBA", 0,
                            1).convert("RGB")


def _record(anim, frames=None, scale=1):
    """Frames ``frames`` (default all) of ``anim`` as RGB images at ``scale`` times its
    figure's dpi, through the public ``Animation.save``; return the images, the figure
    and its own dpi."""
    grabber = _FrameGrabber(None if frames is None else set(frames), scale,
                            getattr(anim, "blit_plan", None))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # no file is written
        anim.save("frames", writer=grabber)
    return grabber.images, grabber.fig, grabber.old_dpi


def render_frames(anim, frames=None):
    """Render an animation's frames to RGB Pillow images, in order, at its figure's dpi.

    An animation from :func:`sliding_window` is drawn by blitting: the still parts once,
    then only what moves, which is several times faster than a full redraw per frame.
    Any other ``FuncAnimation`` is drawn in full for each frame.

    Parameters
    ----------
    anim : matplotlib.animation.FuncAnimation
    frames : sequence of int, optional
        Frame indices (default: all frames).

    Returns
    -------
    list of PIL.Image.Image, mode "RGB"
    """
    return _record(anim, frames)[0]


# ----------------------------------------------------------------------------- output
def _asset(name):
    """The text of a file shipped beside this module (``player.html``, ``player.js``)."""
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def _data_uri(png):
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _png_size(png):
    return tuple(int.from_bytes(png[16 + 4 * i:20 + 4 * i], "big") for i in (0, 1))


def _css_size(png, density):
    """(width, height) in CSS px of a frame with ``density`` pixels per CSS pixel."""
    return tuple(round(v / density) for v in _png_size(png))


PAGE_GUTTER = 32
"""int: CSS px of a screen narrower than 960 px that the book's text column does not take
(the page's padding): a player's wide frames are shown at their size on a screen at least
their width plus this, and its phone frames on a narrower one."""


def _player_html(pngs, labels, interval, alt, density, narrow=None):
    """A self-contained player: the first frame an <img>, the others in a JSON list.

    ``density`` is pixels per CSS pixel: a frame is shown at its pixel size over it.
    ``narrow``, if given, is a second set of frames for a phone, as ``(pngs, density)``:
    its first frame is a ``<source>`` of the first frame's ``<picture>``, chosen on a
    screen whose text column is narrower than the wide frames (see :data:`PAGE_GUTTER`),
    the rest are listed in the JSON.
    """
    width, height = _css_size(pngs[0], density)
    data = {"src": [_data_uri(p) for p in pngs[1:]], "labels": list(labels), "alt": alt,
            "width": width, "height": height}
    source = ""
    if narrow is not None:
        narrow_pngs, narrow_density = narrow
        narrow_width, narrow_height = _css_size(narrow_pngs[0], narrow_density)
        media = f"(max-width: {width + PAGE_GUTTER - 1}px)"
        data["narrow"] = {"src": [_data_uri(p) for p in narrow_pngs[1:]], "media": media,
                          "width": narrow_width, "height": narrow_height}
        source = Template(_asset("player_source.html")).substitute(
            media=html.escape(media), first=_data_uri(narrow_pngs[0]), width=narrow_width,
            height=narrow_height).strip()
    return Template(_asset("player.html")).substitute(
        uid="cnnlib-player-" + uuid.uuid4().hex[:12], interval=int(interval),
        first=_data_uri(pngs[0]), width=width, height=height, alt=html.escape(alt),
        count=len(pngs), data=json.dumps(data).replace("</", "<\\/"), last=len(pngs) - 1,
        source=source, script=_asset("player.js"))


class Player:
    """A self-contained HTML frame player: displays itself in notebooks and in the book.

    Every frame is a PNG; play, pause, step buttons and a slider are plain JavaScript
    (``player.js``), so the player needs neither a Python kernel nor the internet.
    Without JavaScript the first frame still shows.

    Attributes
    ----------
    data : str
        The HTML.
    n_frames : int
        Number of frames embedded (in each set).
    phone : bool
        Whether the player holds a second set of frames drawn for a phone's column.
    """

    def __init__(self, html, n_frames, phone=False):
        self.data = html
        self.n_frames = n_frames
        self.phone = phone

    def _repr_html_(self):
        return self.data

    def __repr__(self):
        sets = " (and as many for phones)" if self.phone else ""
        return (f"<Player: {self.n_frames} frames{sets}, "
                f"{len(self.data) / 1e6:.2f} MB of HTML>")

    def save(self, path):
        """Write the player as a standalone HTML file."""
        with open(path, "w", encoding="utf-8") as f:
            f.write(self.data)


def _frame_labels(anim, frames):
    positions = getattr(anim, "frame_positions", None)
    if positions is not None:
        return [f"output[{positions[n][0]}, {positions[n][1]}]  ({i + 1}/{len(frames)})"
                for i, n in enumerate(frames)]
    return [f"frame {i + 1}/{len(frames)}" for i in range(len(frames))]


def _to_png(image, palette=False):
    """PNG bytes of a frame, light compression (fast). Exact colours, or with
    ``palette=True`` 256 colours chosen for the frame (fast octree, no dithering; off by
    a level or two, more only at a few anti-aliased edges): half the bytes, a little
    faster, and no visible change on a diagram of flat cells and text."""
    from PIL import Image
    if palette:
        image = image.quantize(colors=256, method=Image.Quantize.FASTOCTREE,
                               dither=Image.Dither.NONE)
    buf = io.BytesIO()
    image.save(buf, format="png", compress_level=3)
    return buf.getvalue()


def _interval(anim):
    """Milliseconds between an animation's frames."""
    return float(anim.event_source.interval)


def _animation_pngs(anim):
    """PNGs of every frame of ``anim`` at PIXEL_RATIO times its dpi (the numbered diagram
    of :func:`sliding_window` with a palette), and their pixels per CSS pixel. The
    animation's figure is closed."""
    palette = bool(getattr(anim, "palette", False))
    fig = None
    try:
        images, fig, dpi = _record(anim, scale=PIXEL_RATIO)
        return [_to_png(im, palette) for im in images], PIXEL_RATIO * dpi / CSS_DPI
    finally:
        if fig is not None:
            plt.close(fig)


def _fits_a_phone(png, density):
    """Whether a frame is at most :data:`~cnnlib.viz.plot.PHONE_COLUMN` wide on the page."""
    return _png_size(png)[0] / density <= PHONE_COLUMN * CSS_DPI + 0.5


def _phone_set(anim, pngs, density):
    """The frames of ``anim`` drawn for a phone, as ``(pngs, density)``; None when the
    wide frames fit a phone already or the animation has no layout for one (no
    ``anim.for_column``, or it returns None)."""
    for_column = getattr(anim, "for_column", None)
    if for_column is None or _fits_a_phone(pngs[0], density):
        return None
    narrow = for_column(PHONE_COLUMN)
    if narrow is None:
        return None
    narrow_pngs, narrow_density = _animation_pngs(narrow)
    if len(narrow_pngs) != len(pngs) or not _fits_a_phone(narrow_pngs[0], narrow_density):
        warnings.warn(f"the phone layout gave {len(narrow_pngs)} frames "
                      f"{_png_size(narrow_pngs[0])[0] / narrow_density:.0f} px wide for "
                      f"{len(pngs)} frames; the player keeps the wide frames only",
                      stacklevel=3)
        return None
    return narrow_pngs, narrow_density


def _check_phone(phone):
    if not isinstance(phone, bool):
        raise TypeError(f"phone must be True or False, got {phone!r}")


def player(anim, *, fps=None, embed_limit=None, labels=None, alt="animation", phone=True):
    """A frame player for an animation that needs no kernel and no internet.

    The frames are rendered once, at :data:`~cnnlib.viz.plot.PIXEL_RATIO` times the
    figure's dpi, as PNG (the numbered diagrams of :func:`sliding_window` with a
    256-colour palette per frame, half the bytes), and shown at the figure's size in
    HTML with play/pause, step, first/last, speed buttons and a frame slider. The
    animation's figure is closed, so that no duplicate static image appears in a
    notebook. If the frames would exceed the embed limit, every n-th frame is kept and a
    warning says so.

    With ``phone=True`` an animation that can lay itself out for a narrower column
    (``anim.for_column(width)``, as :func:`sliding_window` and
    :func:`cnnlib.viz.training.kernel_replay` can) is rendered a second time for
    :data:`~cnnlib.viz.plot.PHONE_COLUMN`, and a screen whose column is narrower than the
    wide frames shows that set at its size. Frames that fit a phone already, and
    animations without such a layout, keep one set.

    Parameters
    ----------
    anim : matplotlib.animation.FuncAnimation
    fps : float, optional
        Playback speed (default: from the animation's interval).
    embed_limit : float, optional
        Size limit in MB of both sets together (default:
        ``rcParams["animation.embed_limit"]``, 20 MB).
    labels : sequence of str, optional
        A caption per frame shown next to the slider (default: the output position for
        :func:`sliding_window`, else the frame number).
    alt : str
        Alternative text of the frames.
    phone : bool
        Also render the frames for a phone's column (default True).

    Returns
    -------
    Player
        Displays as HTML (``_repr_html_``); ``.data`` is the HTML, ``.n_frames`` the
        number of frames and ``.phone`` whether it holds a set for phones.
    """
    if not isinstance(anim, FuncAnimation):
        raise TypeError(f"anim must be a matplotlib FuncAnimation, got {type(anim).__name__}")
    _check_phone(phone)
    limit = float(embed_limit if embed_limit is not None
                  else matplotlib.rcParams["animation.embed_limit"])
    if not limit > 0:
        raise ValueError(f"embed_limit must be a positive number of MB, got {embed_limit!r}")
    count = len(list(anim.new_saved_frame_seq()))
    if labels is not None:
        labels = list(labels)
        if len(labels) != count:
            raise ValueError(f"got {len(labels)} labels for {count} frames")
    pngs, density = _animation_pngs(anim)
    narrow = _phone_set(anim, pngs, density) if phone else None
    narrow_pngs = narrow[0] if narrow else []
    frames, step = list(range(count)), 1
    while len(pngs) > 1 and sum(map(len, pngs + narrow_pngs)) * 4 / 3 > 0.9 * limit * 1e6:
        step, pngs, narrow_pngs = step * 2, pngs[::2], narrow_pngs[::2]
    if step > 1:
        frames = frames[::step]
        warnings.warn(f"{count} frames would exceed the {limit:g} MB embed limit; keeping "
                      f"every {step}th frame ({len(frames)} frames)", stacklevel=2)
    interval = 1000.0 / fps if fps else _interval(anim) * step
    labels = [labels[n] for n in frames] if labels is not None else _frame_labels(anim, frames)
    narrow = (narrow_pngs, narrow[1]) if narrow else None
    return Player(_player_html(pngs, labels, int(interval), alt, density, narrow), len(pngs),
                  phone=narrow is not None)


def save_gif(anim, path, *, fps=None, colors=128):
    """Write an animation as a looping GIF (Pillow), small enough for a README.

    All frames share one palette of ``colors`` colours taken from a sample of frames,
    and each frame stores only the region that changed.

    Parameters
    ----------
    anim : matplotlib.animation.FuncAnimation
    path : str or path-like
    fps : float, optional
        Frames per second (default: from the animation's interval).
    colors : int
        Palette size, 2 to 256.

    Returns
    -------
    path : the path written
    """
    from PIL import Image
    if not isinstance(anim, FuncAnimation):
        raise TypeError(f"anim must be a matplotlib FuncAnimation, got {type(anim).__name__}")
    if (isinstance(colors, bool) or not isinstance(colors, (int, np.integer))
            or not 2 <= colors <= 256):
        raise ValueError(f"colors must be an int from 2 to 256, got {colors!r}")
    duration = int(round(1000.0 / fps if fps else _interval(anim)))
    fig = None
    try:
        images, fig, _ = _record(anim)
    finally:
        if fig is not None:
            plt.close(fig)
    sample = images[:: max(1, len(images) // 5)]
    w, h = images[0].size
    montage = Image.new("RGB", (w, h * len(sample)))
    for n, im in enumerate(sample):
        montage.paste(im, (0, h * n))
    palette = montage.quantize(colors=int(colors), method=Image.Quantize.MEDIANCUT, dither=0)
    frames = [im.quantize(palette=palette, dither=Image.Dither.NONE) for im in images]
    frames[0].save(path, format="gif", save_all=True, append_images=frames[1:],
                   duration=duration, loop=0, optimize=True)
    return path


def _figure_png(fig, dpi):
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def _param_pngs(draw_fn, name, values, dpi, fixed):
    if not callable(draw_fn):
        raise TypeError(f"draw_fn must be callable, got {type(draw_fn).__name__}")
    if not isinstance(name, str):
        raise TypeError(f"name must be the parameter's name as a str, got {name!r}")
    if name in fixed:
        raise ValueError(f"parameter {name!r} is both varied and fixed")
    values = list(values)
    if not values:
        raise ValueError(f"values for {name!r} is empty: expected at least one value")
    pngs = []
    for v in values:
        fig = draw_fn(**{name: v}, **fixed)
        if not isinstance(fig, matplotlib.figure.Figure):
            raise TypeError(f"draw_fn must return a matplotlib Figure, got {type(fig).__name__} "
                            f"for {name}={v!r}")
        pngs.append(_figure_png(fig, dpi))
        plt.close(fig)
    return values, pngs


def param_frames(draw_fn, name, values, *, dpi=CSS_DPI, **fixed):
    """Render ``draw_fn(**{name: v}, **fixed)`` for each value to an RGBA array.

    These are exactly the frames that :func:`param_player` embeds.

    Parameters
    ----------
    draw_fn : callable returning a matplotlib Figure
    name : str
        The parameter that varies.
    values : sequence
    dpi : float
    **fixed
        The other arguments of ``draw_fn``.

    Returns
    -------
    list of ndarray, shape (H, W, 4), uint8
    """
    _, pngs = _param_pngs(draw_fn, name, values, dpi, fixed)
    return [_png_to_array(p) for p in pngs]


def _png_to_array(png):
    return (plt.imread(io.BytesIO(png), format="png") * 255).round().astype(np.uint8)


def _value_label(name, v):
    return f"{name} = {v:g}" if isinstance(v, float) else f"{name} = {v!r}"


def _frame_label(name, v):
    """A player's caption for value ``v``: a string as is (a kernel's name, say, short
    enough to stay on the slider's line), anything else as ``name = value``."""
    return v if isinstance(v, str) else _value_label(name, v)


def param_player(draw_fn, name, values, *, labels=None, fps=1.5, dpi=CSS_DPI, phone=True,
                 **fixed):
    """The static twin of a slider: one precomputed figure per value, in a frame player.

    Frame ``i`` is the figure ``draw_fn(**{name: values[i]}, **fixed)``, captioned
    ``name = value`` next to the slider (a string value by itself), so a reader of the
    rendered book can step through the values without a kernel.

    With ``phone=True`` every figure is drawn a second time inside
    ``with cnnlib.viz.plot.column(PHONE_COLUMN):``, so that figures made with
    :func:`~cnnlib.viz.plot.new_figure` and :func:`~cnnlib.viz.plot.grid_layout` are laid
    out for a phone, and a screen whose column is narrower than the wide frames shows that
    set. Figures that fit a phone already, and a ``draw_fn`` whose figures stay wider than
    a phone's column, keep one set.

    Parameters
    ----------
    draw_fn : callable returning a matplotlib Figure
    name : str
    values : sequence
    labels : sequence of str, optional
        Caption of each value (default ``"name = value"``, or the value itself when it is
        a string).
    fps : float
        Playback speed.
    dpi : float
    phone : bool
        Also draw the figures for a phone's column (default True).
    **fixed
        The other arguments of ``draw_fn``.

    Returns
    -------
    Player
    """
    _check_phone(phone)
    values, pngs = _param_pngs(draw_fn, name, values, PIXEL_RATIO * dpi, fixed)
    labels = [_frame_label(name, v) for v in values] if labels is None else list(labels)
    if len(labels) != len(values):
        raise ValueError(f"got {len(labels)} labels for {len(values)} values")
    if not fps > 0:
        raise ValueError(f"fps must be positive, got {fps!r}")
    alt = f"{getattr(draw_fn, '__name__', 'figure')} for each value of {name}"
    density = PIXEL_RATIO * dpi / CSS_DPI
    narrow = None
    if phone and not _fits_a_phone(pngs[0], density):
        with column(PHONE_COLUMN):
            _, narrow_pngs = _param_pngs(draw_fn, name, values, PIXEL_RATIO * dpi, fixed)
        if all(_fits_a_phone(p, density) for p in narrow_pngs):
            narrow = (narrow_pngs, density)
    return Player(_player_html(pngs, labels, int(1000 / fps), alt, density, narrow),
                  len(pngs), phone=narrow is not None)
