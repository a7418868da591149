"""The mechanism shared by every explorable: one JavaScript ``render``, two homes.

In Jupyter an explorable is an anywidget whose ES module is built at run time from the
package's classic scripts (``conv.js``, ``draw.js`` and the explorable's own file) plus one
``export default``. In the static book the same cell output carries a ``text/html`` form:
a ``<div data-explorable=...>`` holding the state as JSON, the stylesheet and the classic
scripts inline, so a page opened from disk with the network off mounts the same ``render``
with an in-page model (``mount.js``).
"""

import base64
import html
import json
from pathlib import Path

import numpy as np
import anywidget
import traitlets

HERE = Path(__file__).resolve().parent
SHARED = ("conv.js", "draw.js")


def _read(name):
    return (HERE / name).read_text(encoding="utf-8")


def script(name):
    """The classic-script source an explorable needs: shared files, then its own."""
    return "\n".join(_read(f) for f in SHARED + (f"{name}.js",))


def encode_array(a, name):
    """A 2-D float array as plain data: ``{"height", "width", "float32": base64}``.

    Parameters
    ----------
    a : array_like, shape (H, W)
        Finite real values; stored as little-endian float32.
    """
    arr = np.asarray(a)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be a real numeric array, got dtype {arr.dtype}")
    if arr.ndim != 2 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty 2-D array (H, W), got shape {arr.shape}")
    with np.errstate(over="ignore", invalid="ignore"):
        arr = arr.astype("<f4")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} must be finite in float32, got NaN, inf or a value "
                         f"beyond 3.4e38")
    return {"height": int(arr.shape[0]), "width": int(arr.shape[1]),
            "float32": base64.b64encode(arr.tobytes()).decode("ascii")}


def decode_array(entry):
    """Inverse of :func:`encode_array`: ndarray of shape (H, W), float32."""
    data = np.frombuffer(base64.b64decode(entry["float32"]), dtype="<f4")
    return data.reshape(entry["height"], entry["width"]).astype(np.float32)


def kernel_list(kernel, name="kernel", shape=(3, 3)):
    """A kernel as a flat list of finite floats, row by row, checked for its shape."""
    k = np.asarray(kernel)
    if k.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be real numbers, got dtype {k.dtype}")
    if shape is not None and k.shape != shape:
        raise ValueError(f"{name} must have shape {shape}, got {k.shape}")
    with np.errstate(over="ignore", invalid="ignore"):
        k = k.astype(np.float32)
    if not np.isfinite(k).all():
        raise ValueError(f"{name} must be finite float32 numbers, got {k.tolist()}")
    return [float(v) for v in k.ravel()]


class Explorable(anywidget.AnyWidget):
    """Base class: subclasses set ``_name`` (the JavaScript file's stem) and their traits.

    Every trait tagged ``sync=True`` whose name does not start with ``_`` is the state the
    browser reads; it is plain data (numbers, lists, strings, base64 float32).
    """

    _name = None

    def __init_subclass__(cls, **kwargs):
        if cls.__dict__.get("_name"):
            render = f"globalThis.cnnlib.draw.renderSafely({cls._name!r}, args)"
            cls._esm = script(cls._name) + (
                f"\nexport default {{ render(args) {{ return {render}; }} }};\n")
            cls._css = _read("explorables.css")
        super().__init_subclass__(**kwargs)

    def state(self):
        """The explorable's state as a dict of plain data (what the page receives)."""
        names = [n for n in self.traits(sync=True) if not n.startswith("_")
                 and n not in traitlets.HasTraits.class_trait_names()
                 and n not in anywidget.AnyWidget.class_trait_names()]
        return {n: getattr(self, n) for n in sorted(names)}

    def to_html(self):
        """The static form: state as JSON in a div, then the stylesheet and scripts inline."""
        state = html.escape(json.dumps(self.state(), separators=(",", ":")), quote=True)
        return (f'<div class="cnnlib-explorable" data-explorable="{self._name}" '
                f'data-state="{state}"></div>\n'
                f"<style>{_read('explorables.css')}</style>\n"
                f"<script>{script(self._name)}\n{_read('mount.js')}</script>")

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle is None:
            return {"text/html": self.to_html()}
        data, metadata = bundle
        data["text/html"] = self.to_html()
        return data, metadata

    def __repr__(self):
        return f"{type(self).__name__}()"
