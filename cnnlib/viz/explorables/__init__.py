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
* ``SGDExplorer(patches, target_kernel, start_kernel, *, rates=..., lr=1.0,
  batch_size=16, momentum=0.9, seed=0)``: a random 3x3 kernel learns the target by SGD
  in the page: learning-rate slider (diverging rates included), step, play, reset, a live
  loss curve and the kernel drawn at each step beside the target.
* ``ShiftExplorer(image, kernel, *, max_shift=12)``: shift the input by sliders, dragging
  or arrow keys; the map of the moved input beside the original map moved, with the
  border band where they may differ marked.
* ``FlipExplorer(image, kernel, *, convolution=False)``: a correlation/convolution toggle
  that flips the kernel as applied, with both outputs shown.
* ``KernelEditor(image, kernel="vertical_line_zero_sum", *, relu=False, absolute=False,
  eight_bit=False)``: a 3x3 kernel typed or picked from presets, its feature map on a
  signed scale with a colour bar, ReLU and ``|z|`` toggles, the 8-bit display pitfall,
  the value under the pointer.
* ``UnitExplorer(image, layers, *, channel=0, row=0, col=0)``: any unit of any channel of
  a network's layer-1 or layer-2 maps, clicked or reached by the arrow keys; its value and
  its receptive field outlined on the input.
* ``BackpropExplorer(image, kernel, upstream, *, selected=(0, 0))``: click a cell of the
  upstream gradient of a correlation: the input window it saw is outlined, and its shares
  of the input and weight gradients are drawn beside the full gradients.
"""

from ._base import Explorable, encode_array, decode_array
from .backprop_explorer import BackpropExplorer
from .conv_explorer import ConvExplorer
from .flip_explorer import FlipExplorer
from .kernel_editor import KernelEditor
from .sgd_explorer import SGDExplorer
from .shift_explorer import ShiftExplorer
from .unit_explorer import UnitExplorer

__all__ = ["Explorable", "encode_array", "decode_array", "BackpropExplorer", "ConvExplorer", "FlipExplorer", "KernelEditor",
           "SGDExplorer", "ShiftExplorer", "UnitExplorer"]
