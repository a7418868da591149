"""Explorables: figures that recompute in the browser, live in Jupyter and in the static book.

Each explorable is one class here and one JavaScript file beside it, a ``render({model,
el})`` that draws from the class's state (plain data: numbers, lists, base64 float32). The
convolution maths exists once, in ``conv.js``, and is tested against :mod:`cnnlib.conv`.
Show one by making it the last expression of a cell: Jupyter shows a live anywidget, the
rendered book the same ``render`` mounted from the saved state (no kernel, no network).

* ``ConvExplorer(image, kernel, *, stride=1, padding=0)``: a small grid whose cells
  toggle, a typed or preset kernel, stride 1-3 and padding 0-2, step and play; click an
  output cell to see its patch, its products and their sum; the output-size formula with
  the current numbers and the exact ``cl.correlate2d(...)`` call.
* ``KernelEditor(image, kernel="vertical_line_zero_sum", *, relu=False, absolute=False,
  eight_bit=False)``: a 3x3 kernel typed or picked from presets, its feature map on a
  signed scale with a colour bar, ReLU and ``|z|`` toggles, the 8-bit display pitfall,
  the value under the pointer.
"""

from ._base import Explorable, encode_array, decode_array
from .conv_explorer import ConvExplorer
from .kernel_editor import KernelEditor

__all__ = ["Explorable", "encode_array", "decode_array", "ConvExplorer", "KernelEditor"]
