"""Live ipywidgets UIs for notebooks: a kernel editor and a slider explorer.

Both work with the inline matplotlib backend and need no extension. The kernel editor
colours its feature map with a colormap lookup table and sends it to an
``ipywidgets.Image`` as PNG bytes, a few milliseconds per edit even on a 256x256 image;
:func:`explore` wraps ``ipywidgets.interactive``. Each live UI has a static twin for the
rendered book (:func:`static_twin`, :func:`kernel_gallery`): a frame player precomputed
over the same values, which needs no kernel.
"""

import inspect
import io
import numbers

import numpy as np

import matplotlib

from ..conv import correlate2d
from .playback import _value_label, param_player
from .plot import DIVERGING, SEQUENTIAL

__all__ = ["KernelEditor", "kernel_editor", "explore", "static_twin", "kernel_gallery",
           "kernel_gallery_frame",
           "normalise_kernel", "map_colors", "colorize", "WithTwin", "with_twin",
           "explore_with_twin"]


def _ipywidgets():
    import ipywidgets
    return ipywidgets


def normalise_kernel(k):
    """Scale a kernel so that its output stays in the input's range.

    A kernel whose weights sum to ``s != 0`` is divided by ``|s|`` (a blur then sums to
    1); a zero-sum kernel (an edge detector) is divided by the sum of its positive weights.

    Parameters
    ----------
    k : ndarray, shape (KH, KW)

    Returns
    -------
    ndarray, shape (KH, KW)
    """
    k = np.asarray(k, dtype=np.float64)
    total = k.sum()
    if abs(total) > 1e-12:
        return k / abs(total)
    positive = k[k > 0].sum()
    return k / positive if positive > 0 else k.copy()


def _check_image(image):
    img = np.asarray(image)
    if img.ndim == 3 and img.shape[-1] in (3, 4):
        raise ValueError(f"image must be one gray channel (H, W), got a colour image {img.shape}; "
                         f"convert it with cnnlib.images.to_gray")
    if img.ndim != 2 or img.size == 0:
        raise ValueError(f"image must have shape (H, W), got {img.shape}")
    if not np.issubdtype(img.dtype, np.number):
        raise TypeError(f"image must be numeric, got dtype {img.dtype}")
    return img.astype(np.float32)


def map_colors(fmap):
    """Colormap and limits for a feature map: diverging and symmetric around 0 if signed,
    sequential from 0 otherwise (the conventions of :mod:`cnnlib.viz.plot`).

    Parameters
    ----------
    fmap : ndarray, shape (H, W)

    Returns
    -------
    cmap_name : str
    vmin, vmax : float
    """
    finite = fmap[np.isfinite(fmap)]
    if finite.size and finite.min() < 0:
        lim = float(np.abs(finite).max()) or 1.0
        return DIVERGING, -lim, lim
    top = float(finite.max()) if finite.size else 1.0
    return SEQUENTIAL, 0.0, top if top > 0 else 1.0


def colorize(fmap, cmap, vmin, vmax):
    """Map values to RGB bytes with a colormap, as ``imshow`` would.

    Parameters
    ----------
    fmap : ndarray, shape (H, W)
    cmap : str
    vmin, vmax : float

    Returns
    -------
    ndarray, shape (H, W, 3), uint8
    """
    norm = matplotlib.colors.Normalize(vmin, vmax)
    return matplotlib.colormaps[cmap](norm(fmap), bytes=True)[..., :3]


def _png(rgb, min_side=256):
    """PNG bytes of an RGB array, enlarged by pixel repetition to at least ``min_side``."""
    from PIL import Image
    factor = max(1, -(-min_side // max(rgb.shape[:2])))
    if factor > 1:
        rgb = rgb.repeat(factor, axis=0).repeat(factor, axis=1)
    buf = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(rgb)).save(buf, format="png", compress_level=1)
    return buf.getvalue()


def _colorbar_html(cmap, vmin, vmax, height):
    stops = ", ".join(matplotlib.colors.to_hex(c)
                      for c in matplotlib.colormaps[cmap](np.linspace(0, 1, 11)))
    mid = "0" if vmin < 0 else f"{(vmin + vmax) / 2:.3g}"
    return (f'<div style="display:flex;align-items:stretch;height:{height}px;font-size:11px">'
            f'<div style="width:14px;border:1px solid #555;'
            f'background:linear-gradient(to top, {stops})"></div>'
            f'<div style="display:flex;flex-direction:column;justify-content:space-between;'
            f'margin-left:4px"><span>{vmax:.3g}</span><span>{mid}</span>'
            f'<span>{vmin:.3g}</span></div></div>')


class KernelEditor:
    """An editable kernel, preset and options, with the feature map drawn live.

    Build it with :func:`kernel_editor`. Attributes that a test or a notebook can use:

    Attributes
    ----------
    widget : ipywidgets.Widget
        The whole UI (the editor also displays itself).
    weights : list of list of ipywidgets.FloatText, (size, size)
    preset : ipywidgets.Dropdown
    normalise, relu : ipywidgets.Checkbox
    kernel : ndarray, shape (size, size)
        The kernel as applied (after normalising).
    feature_map : ndarray, shape (H, W)
        The current map (``padding="same"``, after ReLU if ticked).
    colors : (str, float, float)
        The colormap and limits the map is drawn with.
    map_png : bytes
        The PNG shown for the map.
    """

    def __init__(self, image, size=3, preset="sharpen", display_size=256):
        from ..filters import DESCRIPTIONS, KERNELS
        w = _ipywidgets()
        if isinstance(size, bool) or size not in (3, 5):
            raise ValueError(f"size must be 3 or 5, got {size!r}")
        if preset not in KERNELS:
            raise ValueError(f"unknown preset {preset!r}; known: {', '.join(sorted(KERNELS))}")
        self.image = _check_image(image)
        self.size = size
        self._descriptions = DESCRIPTIONS
        self._kernels = KERNELS
        self._busy = False
        h, wd = self.image.shape
        px = int(display_size)
        view = w.Layout(width=f"{px}px", height=f"{round(px * h / wd)}px")

        self.weights = [[w.FloatText(value=0.0, step=0.5, layout=w.Layout(width="64px"))
                         for _ in range(size)] for _ in range(size)]
        self.preset = w.Dropdown(options=["custom"] + list(KERNELS), value=preset,
                                 description="preset")
        self.normalise = w.Checkbox(value=False, description="normalise (weights sum to 1)",
                                    indent=False)
        self.relu = w.Checkbox(value=False, description="ReLU (keep positive)", indent=False)
        self.description = w.HTML()
        lo, hi = float(self.image.min()), float(self.image.max())
        vmin, vmax = (0.0, 1.0) if lo >= 0 and hi <= 1 else (lo, hi if hi > lo else lo + 1)
        self.input_view = w.Image(format="png", layout=view,
                                  value=_png(colorize(self.image, "gray", vmin, vmax), px))
        self.map_view = w.Image(format="png", layout=view)
        self.map_title = w.HTML()
        self.colorbar = w.HTML()
        self._colorbar_height = round(px * h / wd)
        self._display_size = px

        grid = w.GridBox([b for row in self.weights for b in row],
                         layout=w.Layout(grid_template_columns=f"repeat({size}, 70px)"))
        controls = w.VBox([self.preset, w.HTML("<b>weights</b>"), grid, self.normalise,
                           self.relu, self.description], layout=w.Layout(width="300px"))
        self.widget = w.HBox([
            controls,
            w.VBox([w.HTML("<b>input</b>"), self.input_view]),
            w.VBox([self.map_title, w.HBox([self.map_view, self.colorbar])]),
        ])

        self._load_preset(preset)
        for box in (b for row in self.weights for b in row):
            box.observe(self._on_weight, names="value")
        self.preset.observe(self._on_preset, names="value")
        self.normalise.observe(self.update, names="value")
        self.relu.observe(self.update, names="value")

    # ------------------------------------------------------------------ handlers
    def _load_preset(self, name):
        k = np.zeros((self.size, self.size))
        preset = self._kernels[name]
        off = (self.size - preset.shape[0]) // 2
        k[off:off + preset.shape[0], off:off + preset.shape[1]] = preset
        self._busy = True
        try:
            for i in range(self.size):
                for j in range(self.size):
                    self.weights[i][j].value = round(float(k[i, j]), 4)
        finally:
            self._busy = False
        self.description.value = f"<i>{name}</i>: {self._descriptions[name]}"
        self.update()

    def _on_preset(self, change):
        if change["new"] != "custom" and not self._busy:
            self._load_preset(change["new"])

    def _on_weight(self, change):
        if self._busy:
            return
        if self.preset.value != "custom":
            self._busy = True
            try:
                self.preset.value = "custom"
            finally:
                self._busy = False
            self.description.value = "<i>custom</i>: your own weights"
        self.update()

    def set_weight(self, i, j, value):
        """Set weight (i, j) as if typed in its box (runs the handler)."""
        self.weights[i][j].value = float(value)

    def update(self, change=None):
        """Recompute the feature map from the boxes and redraw it (a few ms at 256x256)."""
        k = np.array([[b.value for b in row] for row in self.weights], dtype=np.float32)
        if self.normalise.value:
            k = normalise_kernel(k).astype(np.float32)
        self.kernel = k
        fmap = correlate2d(self.image, k, padding="same")
        if self.relu.value:
            fmap = np.maximum(fmap, 0)
        self.feature_map = fmap
        self.colors = map_colors(fmap)
        self.map_png = _png(colorize(fmap, *self.colors), self._display_size)
        self.map_view.value = self.map_png
        relu = ", ReLU" if self.relu.value else ""
        self.map_title.value = (f"<b>feature map</b> (padding same{relu}): "
                                f"range [{fmap.min():.3g}, {fmap.max():.3g}]")
        self.colorbar.value = _colorbar_html(*self.colors, self._colorbar_height)

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


def kernel_editor(image, size=3, *, preset="sharpen", display_size=256):
    """A live 3x3 (or 5x5) kernel editor over a gray image, for a running notebook.

    Type weights into the grid, or pick a preset from ``cnnlib.filters.KERNELS`` (with its
    description); tick "normalise" to scale the weights to sum to 1 and "ReLU" to keep
    only positive responses. The feature map (``padding="same"``) redraws at once beside
    the input, signed maps in blue-white-red centred at 0. In the rendered book show its
    static twin, :func:`kernel_gallery`, instead.

    Parameters
    ----------
    image : ndarray, shape (H, W)
    size : {3, 5}
        A 5x5 editor holds the 3x3 presets in its centre.
    preset : str
        The kernel to start with.
    display_size : int
        Width of each picture on screen, in pixels.

    Returns
    -------
    KernelEditor
        Displays as the widget; ``update`` is the redraw handler.
    """
    return KernelEditor(image, size=size, preset=preset, display_size=display_size)


def kernel_gallery_frame(image, name, *, relu=False, padding="same", panel_size=3.2):
    """One frame of :func:`kernel_gallery`: the input, the kernel with its weights, the map.

    The kernel is drawn as :func:`cnnlib.viz.plot.show_kernel` draws it, each weight
    written in its cell; the map is coloured as the kernel editor colours it
    (:func:`map_colors`), with a colorbar, and the kernel's description is the caption.

    Parameters
    ----------
    image : ndarray, shape (H, W)
    name : str
        A kernel of ``cnnlib.filters.KERNELS``.
    relu : bool
        Show ``max(map, 0)``.
    padding : int, (int, int), "valid" or "same"
        As in :func:`cnnlib.conv.correlate2d`. With ``"same"`` (the editor's) the
        zero padding makes a bright frame around the map of a zero-sum kernel on a bright
        image, which then sets the colour scale; ``"valid"`` leaves the border out.
    panel_size : float
        Inches per picture.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from ..filters import DESCRIPTIONS, KERNELS
    from .plot import _draw_kernel, _symmetric_limit, finish, format_number, new_figure
    img = _check_image(image)
    if not isinstance(name, str) or name not in KERNELS:
        raise ValueError(f"unknown kernel {name!r}; known: {', '.join(sorted(KERNELS))}")
    k = KERNELS[name]
    fmap = correlate2d(img, k, padding=padding)
    if relu:
        fmap = np.maximum(fmap, 0)
    h, w = img.shape
    kernel_width = 0.55 * panel_size
    fig = new_figure((2 * panel_size + kernel_width + 0.9, panel_size * h / w + 1.3))
    ax_in, ax_k, ax_map = fig.subplots(1, 3, width_ratios=[panel_size, kernel_width,
                                                           panel_size])
    lo, hi = float(img.min()), float(img.max())
    vmin, vmax = (0.0, 1.0) if lo >= 0 and hi <= 1 else (lo, hi if hi > lo else lo + 1)
    ax_in.imshow(img, cmap="gray", vmin=vmin, vmax=vmax, interpolation="nearest")
    ax_in.set_title("input")
    longest = max(len(format_number(v, digits=2)) for v in k.ravel())
    cell_pt = 72 * 0.9 * kernel_width / max(k.shape)
    fontsize = float(np.clip(0.85 * cell_pt / (0.62 * max(longest, 2)), 6, 16))
    _draw_kernel(ax_k, k, _symmetric_limit([k]), fontsize=fontsize)
    ax_k.set_title("kernel")
    cmap, mlo, mhi = map_colors(fmap)
    im = ax_map.imshow(fmap, cmap=cmap, vmin=mlo, vmax=mhi, interpolation="nearest")
    ax_map.set_title(f"feature map, padding {padding}" + (", ReLU" if relu else ""))
    for ax in (ax_in, ax_map):
        ax.set_xticks([])
        ax.set_yticks([])
    fig.colorbar(im, ax=ax_map, shrink=0.85)
    return finish(fig, name, DESCRIPTIONS[name])


def kernel_gallery(image, names=None, *, relu=False, padding="same", fps=1.0, dpi=72):
    """The static twin of :func:`kernel_editor`: the input, each preset's kernel with its
    weights, and its map, in a player (one frame per preset, see
    :func:`kernel_gallery_frame`).

    Parameters
    ----------
    image : ndarray, shape (H, W)
    names : sequence of str, optional
        Kernels of ``cnnlib.filters.KERNELS`` (default: all).
    relu : bool
    padding : int, (int, int), "valid" or "same"
        ``"same"`` as in the editor; ``"valid"`` keeps the zero-padding border out of
        the maps, so that it does not set the colour scale of zero-sum kernels.
    fps : float
    dpi : float

    Returns
    -------
    cnnlib.viz.playback.Player
    """
    from ..filters import KERNELS
    img = _check_image(image)
    names = list(KERNELS) if names is None else list(names)
    for n in names:
        if not isinstance(n, str) or n not in KERNELS:
            raise ValueError(f"unknown kernel {n!r}; known: {', '.join(sorted(KERNELS))}")
    return param_player(kernel_gallery_frame, "name", names, labels=names, fps=fps, dpi=dpi,
                        image=img, relu=relu, padding=padding)


# ------------------------------------------------------------------------ explore
def _sequence(value):
    """``value`` as a list of values to slide over, or None for a fixed value.

    Only a list, a tuple or a range varies; anything else (an ndarray, a string, a
    number, a dict) is one fixed value.
    """
    if isinstance(value, (list, tuple, range)):
        return list(value)
    return None


def _split_params(params):
    """Varying parameters (name -> list of values) and fixed ones (name -> value)."""
    varying, fixed = {}, {}
    for name, value in params.items():
        options = getattr(value, "options", None)  # a selection widget
        seq = list(options) if isinstance(options, (list, tuple)) else _sequence(value)
        if seq is None:
            fixed[name] = value
            continue
        seq = [v[1] if isinstance(v, tuple) and len(v) == 2 and isinstance(v[0], str) else v
               for v in seq]
        if not seq:
            raise ValueError(f"parameter {name!r} has no values")
        varying[name] = seq
    if not varying:
        raise ValueError("give at least one parameter as a list of values, e.g. sigma=[0.5, 1, 2]")
    return varying, fixed


def _slider(ipywidgets, name, values):
    """A slider over exactly ``values`` (numbers), or a dropdown (anything else)."""
    labels = [v if isinstance(v, str) else _value_label(name, v).split(" = ", 1)[1]
              for v in values]
    if len(set(labels)) != len(labels):
        labels = [f"{i}: {lab}" for i, lab in enumerate(labels)]
    options = list(zip(labels, values))
    if all(isinstance(v, numbers.Number) and not isinstance(v, bool) for v in values):
        return ipywidgets.SelectionSlider(options=options, value=values[0], description=name,
                                          continuous_update=False)
    return ipywidgets.Dropdown(options=options, value=values[0], description=name)


def explore(fn, **params):
    """Live sliders over ``fn``'s parameters (``ipywidgets.interactive``), for a notebook.

    Each parameter given as a list, tuple or range of values gets a slider (numbers)
    or a dropdown (anything else) over exactly those values; any other value, an ndarray
    included, is passed as is. Only the parameters given here get controls: a parameter
    of ``fn`` that has a default and is not given keeps its default. ``fn`` returns a
    matplotlib Figure, drawn below the controls.
    :func:`static_twin` with the same arguments gives the same figures as a player.

    Parameters
    ----------
    fn : callable returning a matplotlib Figure
    **params
        ``name=[v0, v1, ...]`` (a list, tuple or range) to vary, ``name=value`` to fix;
        to vary over the rows of an array ``a``, pass ``list(a)``.

    Returns
    -------
    ipywidgets.interactive
        ``.result`` holds the latest Figure; ``.children`` the controls.
    """
    w = _ipywidgets()
    if not callable(fn):
        raise TypeError(f"fn must be callable, got {type(fn).__name__}")
    varying, fixed = _split_params(params)
    controls = {name: _slider(w, name, values) for name, values in varying.items()}
    controls.update({name: w.fixed(value) for name, value in fixed.items()})
    controls.update({name: w.fixed(default) for name, default in _defaults(fn).items()
                     if name not in controls})
    return w.interactive(fn, **controls)


def _defaults(fn):
    """Defaults of ``fn``'s parameters (name -> value); ``interactive`` would give each its
    own widget, so :func:`explore` passes them through unchanged instead."""
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):  # a builtin without a signature
        return {}
    return {name: p.default for name, p in signature.parameters.items()
            if p.default is not inspect.Parameter.empty
            and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}


def static_twin(fn, *, fps=1.5, dpi=80, labels=None, **params):
    """The kernel-free twin of :func:`explore`: ``fn`` precomputed over the values, in a player.

    Exactly one parameter may vary (its list of values becomes the frames); the others
    are fixed. The frames are the figures ``explore`` draws for the same values.

    Parameters
    ----------
    fn : callable returning a matplotlib Figure
    fps : float
    dpi : float
    labels : sequence of str, optional
        Caption of each frame next to the slider (default: a string value as is, any
        other value as ``name = value``). ``labels`` is therefore not available as a
        parameter name of ``fn``.
    **params
        As for :func:`explore`.

    Returns
    -------
    cnnlib.viz.playback.Player
    """
    varying, fixed = _split_params(params)
    if len(varying) != 1:
        raise ValueError(f"a static twin varies one parameter; got {len(varying)} varying: "
                         f"{', '.join(varying)}. Fix all but one")
    (name, values), = varying.items()
    return param_player(fn, name, values, labels=labels, fps=fps, dpi=dpi, **fixed)


# ---------------------------------------------------------------- live or static
class WithTwin:
    """A live widget that shows its static twin wherever no kernel runs.

    It displays as one output holding both the widget view and, as ``text/html``, the
    twin's frame player: JupyterLab shows the live widget; the rendered book, which
    drops widget views (``nb_mime_priority_overrides`` in ``_config.yml``), and a
    static viewer show the player. One notebook cell serves both; no cell tags needed.

    Attributes
    ----------
    live : ipywidgets.Widget or KernelEditor
    twin : cnnlib.viz.playback.Player
    """

    def __init__(self, live, twin):
        if not hasattr(live, "_repr_mimebundle_"):
            raise TypeError(f"live must be a widget, got {type(live).__name__}")
        if not hasattr(twin, "_repr_html_"):
            raise TypeError(f"twin must display as HTML (a Player), got {type(twin).__name__}")
        self.live = live
        self.twin = twin

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.live._repr_mimebundle_(include=include, exclude=exclude) or {}
        if isinstance(bundle, tuple):
            bundle = bundle[0]
        data = dict(bundle)
        data["text/html"] = self.twin._repr_html_()
        return data


def with_twin(live, twin):
    """Pair a live widget with its static twin in one output (see :class:`WithTwin`).

    Parameters
    ----------
    live : ipywidgets.Widget or KernelEditor
        For example ``kernel_editor(image)``.
    twin : cnnlib.viz.playback.Player
        For example ``kernel_gallery(image)``.

    Returns
    -------
    WithTwin
    """
    return WithTwin(live, twin)


def explore_with_twin(fn, *, fps=1.5, dpi=80, labels=None, **params):
    """:func:`explore` live, :func:`static_twin` in the book: one cell for both.

    Parameters
    ----------
    fn : callable returning a matplotlib Figure
    fps, dpi : float
        Of the twin.
    labels : sequence of str, optional
        Captions of the twin's frames, as for :func:`static_twin`.
    **params
        As for :func:`explore`; exactly one parameter may vary.

    Returns
    -------
    WithTwin
    """
    twin = static_twin(fn, fps=fps, dpi=dpi, labels=labels, **params)
    return WithTwin(explore(fn, **params), twin)
