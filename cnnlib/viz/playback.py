"""Players that need no Python kernel and no internet, GIFs, and parameter players.

:func:`player` turns an animation into self-contained HTML (every frame an embedded
PNG, play/pause, step and speed buttons, a frame slider, inline JavaScript);
:func:`save_gif` writes a small looping GIF; :func:`param_player` precomputes a figure
for each value of a parameter: the static twin of a live slider. Animations made by
:func:`cnnlib.viz.animate.sliding_window` render by blitting, a few times faster than
a full redraw per frame.
"""

import io
import math
import warnings

import numpy as np

import matplotlib
import matplotlib.pyplot as plt
from matplotlib.animation import FuncAnimation

__all__ = ["Player", "player", "save_gif", "render_frames", "param_frames", "param_player"]


# ------------------------------------------------------------------------ rendering
def _encode_png(canvas):
    from PIL import Image
    w, h = canvas.get_width_height(physical=True)
    rgb = Image.frombuffer("RGBA", (w, h), canvas.buffer_rgba(), "raw", "RGBA", 0, 1).convert("RGB")
    return rgb


def render_frames(anim, frames=None):
    """Render an animation's frames to RGB Pillow images, in order.

    An animation from :func:`sliding_window` is drawn by blitting: the still parts once,
    then only what moves, which is several times faster than a full redraw per frame.
    Any other ``FuncAnimation`` is drawn in full for each frame.

    Parameters
    ----------
    anim : matplotlib.animation.FuncAnimation
    frames : sequence of int, optional
        Frame indices in increasing order (default: all frames).

    Returns
    -------
    list of PIL.Image.Image, mode "RGB"
    """
    return list(_iter_frames(anim, frames))


def _iter_frames(anim, frames=None):
    """The frames of :func:`render_frames`, one at a time (stop early by closing it)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    fig = anim._fig
    all_frames = list(anim.new_saved_frame_seq())
    frames = list(range(len(all_frames))) if frames is None else list(frames)
    canvas = FigureCanvasAgg(fig)
    plan = getattr(anim, "_plan", None)
    if plan is None:
        for n in frames:
            anim._func(all_frames[n], *anim._args)
            canvas.draw()
            yield _encode_png(canvas)
        return
    moving = plan["transient"] + plan["all_committed"]
    for a in moving:
        a.set_animated(True)
    try:
        canvas.draw()
        background = canvas.copy_from_bbox(fig.bbox)
        prev = None
        for n in frames:
            anim.draw_frame(n)
            canvas.restore_region(background)
            for a in plan["committed"](prev, n):
                fig.draw_artist(a)
            background = canvas.copy_from_bbox(fig.bbox)
            for a in plan["transient"]:
                fig.draw_artist(a)
            yield _encode_png(canvas)
            prev = n
    finally:
        for a in moving:
            a.set_animated(False)


# ----------------------------------------------------------------------------- output
_ICONS = {
    "first": '<path d="M15 2L8 8l7 6zM9 2L2 8l7 6zM0.5 2H2v12H0.5z"/>',
    "prev": '<path d="M13 2L5 8l8 6zM3 2h2v12H3z"/>',
    "play": '<path d="M4 2l10 6-10 6z"/>',
    "pause": '<path d="M3 2h4v12H3zM9 2h4v12H9z"/>',
    "next": '<path d="M3 2l8 6-8 6zM11 2h2v12h-2z"/>',
    "last": '<path d="M1 2l7 6-7 6zM7 2l7 6-7 6zM14 2h1.5v12H14z"/>',
    "slower": '<path d="M3 7h10v2H3z"/>',
    "faster": '<path d="M7 3h2v4h4v2H9v4H7V9H3V7h4z"/>',
}

_BUTTONS = [("first", "First frame"), ("prev", "Previous frame"), ("play", "Play / pause"),
            ("next", "Next frame"), ("last", "Last frame"), ("slower", "Slower"),
            ("faster", "Faster")]

_SCRIPT = """
<script>
(function () {
  var root = document.getElementById("%(uid)s");
  if (!root || root.dataset.ready) { return; }
  root.dataset.ready = "1";
  var frames = root.querySelectorAll(".cnnlib-frame");
  var labels = %(labels)s;
  var slider = root.querySelector("input[type=range]");
  var label = root.querySelector(".cnnlib-label");
  var playIcon = root.querySelector("[data-act=play]");
  var n = frames.length, current = 0, timer = null, interval = %(interval)d;
  var loop = root.querySelector("input[type=checkbox]");
  function show(i) {
    frames[current].style.display = "none";
    current = Math.max(0, Math.min(n - 1, i));
    frames[current].style.display = "";
    slider.value = current;
    label.textContent = labels[current];
  }
  function stop() { if (timer) { clearInterval(timer); timer = null; }
                    playIcon.innerHTML = %(play_svg)s; }
  function tick() {
    if (current + 1 < n) { show(current + 1); }
    else if (loop.checked) { show(0); } else { stop(); }
  }
  function start() { if (current + 1 >= n) { show(0); }
                     timer = setInterval(tick, interval); playIcon.innerHTML = %(pause_svg)s; }
  var actions = {
    first: function () { stop(); show(0); }, prev: function () { stop(); show(current - 1); },
    play: function () { if (timer) { stop(); } else { start(); } },
    next: function () { stop(); show(current + 1); }, last: function () { stop(); show(n - 1); },
    slower: function () { interval = Math.min(5000, interval * 1.5);
                          if (timer) { stop(); start(); } },
    faster: function () { interval = Math.max(20, interval / 1.5);
                          if (timer) { stop(); start(); } }
  };
  root.querySelectorAll("button").forEach(function (b) {
    b.addEventListener("click", function () { actions[b.dataset.act](); });
  });
  slider.addEventListener("input", function () { stop(); show(parseInt(slider.value, 10)); });
  root.querySelector(".cnnlib-controls").style.display = "";
  show(0);
})();
</script>
"""


def _svg(name):
    return (f'<svg width="14" height="14" viewBox="0 0 16 16" fill="currentColor" '
            f'aria-hidden="true" style="vertical-align:middle">{_ICONS[name]}</svg>')


def _player_html(pngs, labels, interval, alt):
    """A self-contained player: every frame an <img>, a slider, buttons, inline JS."""
    import base64
    import html
    import json
    import uuid
    uid = "cnnlib-player-" + uuid.uuid4().hex[:12]
    imgs = []
    for n, png in enumerate(pngs):
        data = base64.b64encode(png).decode("ascii")
        hidden = "" if n == 0 else ' style="display:none"'
        imgs.append(f'<img class="cnnlib-frame" src="data:image/png;base64,{data}" '
                    f'alt="{html.escape(alt)} (frame {n + 1} of {len(pngs)})"{hidden}>')
    buttons = "".join(
        f'<button type="button" data-act="{act}" title="{title}" aria-label="{title}" '
        f'style="margin:0 2px;padding:2px 8px;cursor:pointer">{_svg(act)}</button>'
        for act, title in _BUTTONS)
    controls = (
        f'<div class="cnnlib-controls" style="display:none;margin-top:4px">'
        f'<input type="range" min="0" max="{len(pngs) - 1}" value="0" step="1" '
        f'aria-label="frame" style="width:60%;vertical-align:middle"> '
        f'<span class="cnnlib-label" style="font-family:monospace;margin-left:6px"></span>'
        f'<div style="margin-top:4px">{buttons}'
        f'<label style="margin-left:10px;font-size:90%"><input type="checkbox"> loop</label>'
        f'</div></div>')
    script = _SCRIPT % {"uid": uid, "labels": json.dumps(list(labels)), "interval": interval,
                        "play_svg": json.dumps(_svg("play")),
                        "pause_svg": json.dumps(_svg("pause"))}
    return (f'<div id="{uid}" class="cnnlib-player" style="display:inline-block;'
            f'text-align:center;max-width:100%">'
            f'<div class="cnnlib-frames">{"".join(imgs)}</div>{controls}</div>{script}')


class Player:
    """A self-contained HTML frame player: displays itself in notebooks and in the book.

    Every frame is an embedded PNG; play, pause, step buttons and a slider are plain
    inline JavaScript, so the player needs neither a Python kernel nor the internet.
    Without JavaScript the first frame still shows.

    Attributes
    ----------
    data : str
        The HTML.
    n_frames : int
        Number of frames embedded.
    """

    def __init__(self, html, n_frames):
        self.data = html
        self.n_frames = n_frames

    def _repr_html_(self):
        return self.data

    def __repr__(self):
        return f"<Player: {self.n_frames} frames, {len(self.data) / 1e6:.2f} MB of HTML>"

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


def player(anim, *, fps=None, embed_limit=None, labels=None, alt="animation"):
    """A frame player for an animation that needs no kernel and no internet.

    The frames are rendered once and embedded as PNG in HTML with play/pause, step,
    first/last, speed buttons and a frame slider (the numbered diagrams of
    :func:`sliding_window` with a 256-colour palette per frame, half the bytes). The
    animation's figure is closed, so that no duplicate static image appears in a
    notebook. If the frames would exceed the embed limit, every n-th frame is kept and a
    warning says so.

    Parameters
    ----------
    anim : matplotlib.animation.FuncAnimation
    fps : float, optional
        Playback speed (default: from the animation's interval).
    embed_limit : float, optional
        Size limit in MB (default: ``rcParams["animation.embed_limit"]``, 20 MB).
    labels : sequence of str, optional
        A caption per frame shown next to the slider (default: the output position for
        :func:`sliding_window`, else the frame number).
    alt : str
        Alternative text of the frames.

    Returns
    -------
    Player
        Displays as HTML (``_repr_html_``); ``.data`` is the HTML and ``.n_frames`` the
        number of frames.
    """
    if not isinstance(anim, FuncAnimation):
        raise TypeError(f"anim must be a matplotlib FuncAnimation, got {type(anim).__name__}")
    limit = float(embed_limit if embed_limit is not None
                  else matplotlib.rcParams["animation.embed_limit"])
    if not limit > 0:
        raise ValueError(f"embed_limit must be a positive number of MB, got {embed_limit!r}")
    count = len(list(anim.new_saved_frame_seq()))
    frames = list(range(count))
    if labels is not None:
        labels = list(labels)
        if len(labels) != count:
            raise ValueError(f"got {len(labels)} labels for {count} frames")
    palette = bool(getattr(anim, "_palette", False))  # sliding_window's small layout
    try:
        rendering = _iter_frames(anim, frames)
        first = _to_png(next(rendering), palette)
        budget = 0.9 * limit * 1e6
        step = max(1, math.ceil(len(first) * 1.3 * 4 / 3 * count / budget))
        if step == 1:  # keep rendering where the size estimate left off
            pngs = [first] + [_to_png(im, palette) for im in rendering]
        else:
            rendering.close()
            pngs = [_to_png(im, palette) for im in _iter_frames(anim, frames[::step])]
        # later frames hold more drawing than the first: thin out further if needed
        while len(pngs) > 1 and sum(len(p) for p in pngs) * 4 / 3 > budget:
            step *= 2
            pngs = pngs[::2]
    finally:
        plt.close(anim._fig)
    if step > 1:
        frames = frames[::step]
        warnings.warn(f"{count} frames would exceed the {limit:g} MB embed limit; keeping "
                      f"every {step}th frame ({len(frames)} frames)", stacklevel=2)
    step = frames[1] - frames[0] if len(frames) > 1 else 1
    interval = 1000.0 / fps if fps else anim._interval * step
    labels = [labels[n] for n in frames] if labels is not None else _frame_labels(anim, frames)
    return Player(_player_html(pngs, labels, int(interval), alt), len(pngs))


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
    duration = int(round(1000.0 / fps if fps else anim._interval))
    try:
        images = render_frames(anim)
    finally:
        plt.close(anim._fig)
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


def param_frames(draw_fn, name, values, *, dpi=80, **fixed):
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


def param_player(draw_fn, name, values, *, labels=None, fps=1.5, dpi=80, **fixed):
    """The static twin of a slider: one precomputed figure per value, in a frame player.

    Frame ``i`` is the figure ``draw_fn(**{name: values[i]}, **fixed)``, captioned
    ``name = value`` next to the slider (a string value by itself), so a reader of the
    rendered book can step through the values without a kernel.

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
    **fixed
        The other arguments of ``draw_fn``.

    Returns
    -------
    Player
    """
    values, pngs = _param_pngs(draw_fn, name, values, dpi, fixed)
    labels = [_frame_label(name, v) for v in values] if labels is None else list(labels)
    if len(labels) != len(values):
        raise ValueError(f"got {len(labels)} labels for {len(values)} values")
    if not fps > 0:
        raise ValueError(f"fps must be positive, got {fps!r}")
    alt = f"{getattr(draw_fn, '__name__', 'figure')} for each value of {name}"
    return Player(_player_html(pngs, labels, int(1000 / fps), alt), len(pngs))
