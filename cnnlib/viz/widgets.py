"""Live ipywidgets UIs for notebooks: a kernel editor and a slider explorer.

Both work with the inline matplotlib backend and need no extension. The kernel editor
colours its feature map with a colormap lookup table and sends it to an
``ipywidgets.Image`` as PNG bytes, a few milliseconds per edit even on a 256x256 image;
:func:`explore` draws its function's figure as a PNG into an ``ipywidgets.Output`` after
every change (figures made with cnnlib are not kept by pyplot, so nothing else would
show them). Each live UI has a static twin for the
rendered book (:func:`static_twin`, :func:`kernel_gallery`): a frame player precomputed
over the same values, which needs no kernel.
"""

import base64
import html
import inspect
import io
import numbers
from fractions import Fraction

import numpy as np

import matplotlib

from ..conv import correlate2d
from .playback import _value_label, param_player
from .plot import DIVERGING, SEQUENTIAL, format_number

__all__ = ["KernelEditor", "kernel_editor", "Explorer", "explore", "static_twin",
           "kernel_gallery", "kernel_gallery_frame", "normalise_kernel", "parse_weight",
           "editor_colors", "map_colors", "colorize"]


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
    clipped = np.clip(fmap, vmin, vmax)  # what the colormap would do, without overflowing
    return matplotlib.colormaps[cmap](norm(clipped), bytes=True)[..., :3]


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


_FLOAT32_MAX = float(np.finfo(np.float32).max)


def parse_weight(text):
    """The number a reader typed into a weight box: ``2``, ``-0.5``, ``1e-3``, ``1/9``.

    Parameters
    ----------
    text : str

    Returns
    -------
    float
        Finite, and finite in float32 too (the precision the map is computed in).

    Raises
    ------
    ValueError
        Empty, not a number, not finite, or too large for float32, with the text typed.
    """
    cleaned = str(text).strip().replace("\u2212", "-")
    if not cleaned:
        raise ValueError("a weight is empty; type a number such as 0.5 or 1/9")
    try:
        value = float(Fraction(cleaned))
    except (ValueError, ZeroDivisionError, OverflowError):
        try:
            value = float(cleaned)
        except ValueError:
            raise ValueError(f"{text!r} is not a number; type one such as 0.5 or 1/9") \
                from None
    if not np.isfinite(value):
        raise ValueError(f"{text!r} is not a finite number; type one such as 0.5 or 1/9")
    if abs(value) > _FLOAT32_MAX:
        raise ValueError(f"{text!r} is too large: weights are float32, at most "
                         f"{_FLOAT32_MAX:.3g} in size")
    return value


COLOUR_SCALES = ("fixed", "fit to the map")


def editor_colors(fmap, scale, image_range=1.0):
    """Colormap and limits of the kernel editor's map.

    ``"fixed"`` keeps the input's range whatever the kernel: ``[0, image_range]``
    sequential, or ``[-image_range, image_range]`` diverging for a signed map, so that a
    kernel that scales the image (a sum of 3, or normalising) changes the picture.
    ``"fit to the map"`` stretches the colours to the map (:func:`map_colors`).

    Parameters
    ----------
    fmap : ndarray, shape (H, W)
    scale : {"fixed", "fit to the map"}
    image_range : float
        The largest absolute value of the input.

    Returns
    -------
    cmap_name : str
    vmin, vmax : float
    """
    if scale not in COLOUR_SCALES:
        raise ValueError(f"scale must be one of {COLOUR_SCALES}, got {scale!r}")
    cmap, vmin, vmax = map_colors(fmap)
    if scale == "fit to the map":
        return cmap, vmin, vmax
    top = float(image_range) if image_range > 0 else 1.0
    return (cmap, -top, top) if vmin < 0 else (cmap, 0.0, top)


class KernelEditor:
    """An editable kernel, preset and options, with the feature map drawn live.

    Build it with :func:`kernel_editor`. Attributes that a test or a notebook can use:

    Attributes
    ----------
    widget : ipywidgets.Widget
        The whole UI (the editor also displays itself).
    weights : list of list of ipywidgets.Text, (size, size)
        What the reader types, parsed by :func:`parse_weight`; presets are written as
        fractions where exact (``1/9``), otherwise to 3 significant digits.
    preset : ipywidgets.Dropdown
    normalise, relu : ipywidgets.Checkbox
    scale : ipywidgets.ToggleButtons
        ``"fixed"`` colours (the input's range) or ``"fit to the map"``.
    message : ipywidgets.HTML
        Empty, or why the last input was refused (the previous map stays).
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
        if not np.isfinite(self.image).all():
            raise ValueError("image holds NaN or infinite values")
        self.size = size
        self._descriptions = DESCRIPTIONS
        self._kernels = KERNELS
        self._busy = False
        self._image_range = float(np.abs(self.image).max())
        h, wd = self.image.shape
        px = int(display_size)
        view = w.Layout(width=f"{px}px", height=f"{round(px * h / wd)}px")

        self.weights = [[w.Text(value="0", continuous_update=False,
                                layout=w.Layout(width="64px"))
                         for _ in range(size)] for _ in range(size)]
        self.preset = w.Dropdown(options=["custom"] + list(KERNELS), value=preset,
                                 description="preset")
        self.normalise = w.Checkbox(value=False, description="normalise (weights sum to 1)",
                                    indent=False)
        self.relu = w.Checkbox(value=False, description="ReLU (keep positive)", indent=False)
        self.scale = w.ToggleButtons(options=list(COLOUR_SCALES), value="fixed",
                                     description="colours",
                                     style={"button_width": "100px"})
        self.description = w.HTML()
        self.message = w.HTML()
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
        controls = w.VBox([self.preset, w.HTML("<b>weights</b> (numbers or fractions "
                                               "such as 1/9; Enter to apply)"),
                           grid, self.message, self.normalise, self.relu, self.scale,
                           self.description], layout=w.Layout(width="320px"))
        self.widget = w.HBox([
            controls,
            w.VBox([w.HTML("<b>input</b>"), self.input_view]),
            w.VBox([self.map_title, w.HBox([self.map_view, self.colorbar])]),
        ])

        self._load_preset(preset)
        for box in (b for row in self.weights for b in row):
            box.observe(self._on_weight, names="value")
        self.preset.observe(self._on_preset, names="value")
        for option in (self.normalise, self.relu, self.scale):
            option.observe(self.update, names="value")

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
                    self.weights[i][j].value = format_number(k[i, j], digits=3)
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
        self.weights[i][j].value = str(value)

    def _read_kernel(self):
        k = np.zeros((self.size, self.size))
        for i, row in enumerate(self.weights):
            for j, box in enumerate(row):
                try:
                    k[i, j] = parse_weight(box.value)
                except ValueError as err:
                    raise ValueError(f"weight in row {i + 1}, column {j + 1}: {err}") from None
        return k

    def _refuse(self, reason):
        self.message.value = (f'<span style="color:#b00020">{html.escape(reason)}. '
                              f'The map shows the last valid kernel.</span>')

    def update(self, change=None):
        """Recompute the feature map from the boxes and redraw it (a few ms at 256x256).

        A box that holds no finite float32 number, or a kernel whose map overflows
        float32, leaves the previous map in place and says why in :attr:`message`.
        """
        try:
            k = self._read_kernel()
        except ValueError as err:
            self._refuse(str(err))
            return
        note = ""
        if self.normalise.value:
            total = k.sum()
            k = normalise_kernel(k)
            if abs(total) <= 1e-12 and k.any():
                note = " (sums to 0: divided by its positive weights)"
        k = k.astype(np.float32)
        with np.errstate(over="ignore", invalid="ignore"):
            fmap = correlate2d(self.image, k, padding="same")
        if not np.isfinite(fmap).all():
            self._refuse("this kernel overflows: the map would exceed float32's "
                         f"{_FLOAT32_MAX:.3g}; use smaller weights")
            return
        if self.relu.value:
            fmap = np.maximum(fmap, 0)
        self.message.value = ""
        self.kernel = k
        self.feature_map = fmap
        self.colors = editor_colors(fmap, self.scale.value, self._image_range)
        self.map_png = _png(colorize(fmap, *self.colors), self._display_size)
        self.map_view.value = self.map_png
        details = ", ReLU" if self.relu.value else ""
        details += ", normalised" + note if self.normalise.value else ""
        self.map_title.value = (f"<b>feature map</b> (padding same{details}): "
                                f"range [{fmap.min():.3g}, {fmap.max():.3g}]")
        self.colorbar.value = _colorbar_html(*self.colors, self._colorbar_height)

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


def kernel_editor(image, size=3, *, preset="sharpen", display_size=256):
    """A live 3x3 (or 5x5) kernel editor over a gray image, for a running notebook.

    Type weights into the grid (numbers or fractions such as ``1/9``, applied on Enter),
    or pick a preset from ``cnnlib.filters.KERNELS`` (with its description); tick
    "normalise" to scale the weights to sum to 1 and "ReLU" to keep only positive
    responses. The feature map (``padding="same"``) redraws at once beside the input,
    signed maps in blue-white-red centred at 0. Its colours are fixed to the input's
    range by default, so a kernel that brightens the image (a sum of 3) shows it, and
    normalising shows it back; "fit to the map" stretches them to the map's own range.
    A weight that is not a finite number, or a kernel whose map overflows, gives a
    message and keeps the previous map. In the rendered book show its static twin,
    :func:`kernel_gallery`, instead.

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
    from .plot import (MIN_FONT, _draw_kernel, _symmetric_limit, _wrap, colour_scale,
                       column_width, finish, fit_fontsize, format_number, new_figure)
    img = _check_image(image)
    if not isinstance(name, str) or name not in KERNELS:
        raise ValueError(f"unknown kernel {name!r}; known: {', '.join(sorted(KERNELS))}")
    k = KERNELS[name]
    fmap = correlate2d(img, k, padding=padding)
    if relu:
        fmap = np.maximum(fmap, 0)
    h, w = img.shape
    kernel_width = 0.55 * panel_size
    room = column_width()
    if 2 * panel_size + kernel_width + 0.9 <= room:  # input, kernel and map in a row
        fig = new_figure((2 * panel_size + kernel_width + 0.9, panel_size * h / w + 1.3))
        ax_in, ax_k, ax_map = fig.subplots(1, 3, width_ratios=[panel_size, kernel_width,
                                                               panel_size])
    else:  # a narrow column: the kernel on top, input and map side by side below it
        side = (room - 1.0) / 2
        kernel_width = min(kernel_width, 1.4)
        fig = new_figure((room, kernel_width + side * h / w + 2.0))
        grid = fig.add_gridspec(2, 2, height_ratios=[kernel_width + 0.3, side * h / w + 0.6])
        ax_k = fig.add_subplot(grid[0, :])
        ax_in, ax_map = fig.add_subplot(grid[1, 0]), fig.add_subplot(grid[1, 1])
    ax_in.imshow(img, interpolation="nearest", **colour_scale([img], image=True))
    ax_in.set_title("input")
    longest = max(len(format_number(v, digits=2)) for v in k.ravel())
    fontsize = fit_fontsize(0.9 * kernel_width / max(k.shape), longest, largest=16)
    _draw_kernel(ax_k, k, _symmetric_limit([k]), fontsize=fontsize)
    ax_k.set_title("kernel")
    cmap, mlo, mhi = map_colors(fmap)
    im = ax_map.imshow(fmap, cmap=cmap, vmin=mlo, vmax=mhi, interpolation="nearest")
    ax_map.set_title(_wrap(f"feature map, padding {padding}" + (", ReLU" if relu else ""),
                           ax_map))
    for ax in (ax_in, ax_map):
        ax.set_xticks([])
        ax.set_yticks([])
    fig.colorbar(im, ax=ax_map, shrink=0.85).ax.tick_params(labelsize=MIN_FONT)
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
    """Live controls over ``fn``'s parameters, with ``fn``'s figure shown below them.

    Each parameter given as a list, tuple or range of values gets a slider (numbers)
    or a dropdown (anything else) over exactly those values; any other value, an ndarray
    included, is passed as is. Only the parameters given here get controls: a parameter
    of ``fn`` that has a default and is not given keeps its default. ``fn`` returns a
    matplotlib Figure (or anything Jupyter can display); the widget draws it once built
    and again after every change. If ``fn`` raises, its message is shown instead and
    the controls keep working. :func:`static_twin` with the same arguments gives the
    same figures as a player.

    Parameters
    ----------
    fn : callable returning a matplotlib Figure
    **params
        ``name=[v0, v1, ...]`` (a list, tuple or range) to vary, ``name=value`` to fix;
        to vary over the rows of an array ``a``, pass ``list(a)``.

    Returns
    -------
    Explorer
        Displays as the controls above the output; ``update`` is the redraw handler.
    """
    if not callable(fn):
        raise TypeError(f"fn must be callable, got {type(fn).__name__}")
    varying, fixed = _split_params(params)
    fixed = {**{name: value for name, value in _defaults(fn).items()
                if name not in varying}, **fixed}
    return Explorer(fn, varying, fixed)


def _figure_output(fig):
    """A Jupyter ``display_data`` output holding ``fig`` as a PNG at the figure's dpi,
    drawn as :func:`static_twin` draws its frames."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return {"output_type": "display_data", "metadata": {},
            "data": {"image/png": base64.b64encode(buf.getvalue()).decode("ascii"),
                     "text/plain": repr(fig)}}


def _display_output(result):
    """A Jupyter output for any displayable ``result``, formatted as IPython would."""
    from IPython.core.interactiveshell import InteractiveShell
    data, metadata = InteractiveShell.instance().display_formatter.format(result)
    return {"output_type": "display_data", "data": data, "metadata": metadata}


def _error_output(text):
    return {"output_type": "stream", "name": "stderr", "text": text + "\n"}


class Explorer:
    """Controls over a function's parameters and an ``Output`` showing its result.

    Build it with :func:`explore`.

    Attributes
    ----------
    widget : ipywidgets.VBox
        The whole UI: the controls, then the output (the explorer also displays itself).
    controls : dict of str to ipywidgets.Widget
        One slider or dropdown per varying parameter, in order.
    out : ipywidgets.Output
        What the reader sees: the figure, or the error message of the last change.
    kwargs : dict
        The arguments of the last call, fixed ones included.
    result : object
        What the last successful call returned (the figure shown).
    error : Exception or None
        What the last call raised, if it raised.
    """

    def __init__(self, fn, varying, fixed):
        w = _ipywidgets()
        self.fn = fn
        self.controls = {name: _slider(w, name, values) for name, values in varying.items()}
        self.fixed = fixed
        self.out = w.Output()
        self.widget = w.VBox(list(self.controls.values()) + [self.out])
        self.result = None
        self.error = None
        self.kwargs = {}
        for control in self.controls.values():
            control.observe(self.update, names="value")
        self.update()

    def update(self, change=None):
        """Call ``fn`` with the controls' values and show what it returns or raises."""
        from matplotlib.figure import Figure
        self.kwargs = {**{name: c.value for name, c in self.controls.items()}, **self.fixed}
        try:
            result = self.fn(**self.kwargs)
            if result is None:
                raise ValueError(f"{getattr(self.fn, '__name__', 'fn')} returned None; "
                                 f"it must return the figure to show")
            output = (_figure_output(result) if isinstance(result, Figure)
                      else _display_output(result))
        except Exception as err:  # the reader's function: say what failed, keep the controls
            self.error = err
            values = ", ".join(f"{name}={c.value!r}" for name, c in self.controls.items())
            self.out.outputs = (_error_output(f"{values}: {type(err).__name__}: {err}"),)
            return
        self.error = None
        self.result = result
        self.out.outputs = (output,)

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


def _defaults(fn):
    """Defaults of ``fn``'s parameters (name -> value), which :func:`explore` passes
    through unchanged instead of giving each a control."""
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
