"""The committed images in assets/ equal what assets/make_assets.py renders today.

They are compared as decoded pixels, not bytes: PNG encoders may compress the same pixels
differently. The tolerance is one 8-bit level: the scene is computed in float32, and a
different numpy or BLAS build can move a value across a rounding boundary (x.5 / 255) and
nothing more; a change to the drawing moves thousands of pixels by many levels.
"""

import importlib.util
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

ASSETS = Path(__file__).resolve().parent.parent / "assets"


def _script():
    spec = importlib.util.spec_from_file_location("make_assets", ASSETS / "make_assets.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_assets = _script()


@pytest.mark.parametrize("name, render", [("river.png", make_assets.render_river),
                                          ("river-detectors.png", make_assets.render_river_detectors)])
def test_committed_asset_matches_what_the_script_renders(name, render):
    committed = np.asarray(Image.open(ASSETS / name).convert("RGB"), dtype=np.int16)
    rendered = render().astype(np.int16)
    assert committed.shape == rendered.shape, f"{name}: rerun python assets/make_assets.py"
    difference = np.abs(committed - rendered)
    assert difference.max() <= 1, f"{name} is out of date: rerun python assets/make_assets.py"
    assert (difference > 0).mean() < 0.001, f"{name} is out of date: rerun python assets/make_assets.py"


def test_make_functions_write_what_render_returns(tmp_path):
    path = make_assets.make_river(tmp_path)
    np.testing.assert_array_equal(np.asarray(Image.open(path).convert("RGB")), make_assets.render_river())


def test_three_panel_figure_has_three_labelled_panels():
    pixels = make_assets.render_river_detectors()
    gap, label, (height, width) = make_assets.GAP, make_assets.LABEL_HEIGHT, (256, 384)
    assert pixels.shape == (label + height + gap, 4 * gap + 3 * width, 3)
    for i in range(3):
        left = gap + i * (width + gap)
        panel = pixels[label:label + height, left:left + width]
        strip = pixels[:label, left:left + width]
        assert panel.std() > 10, i           # something drawn
        assert (strip < 128).any(), i         # a label written
    vertical = pixels[label:label + height, 2 * gap + width:2 * gap + 2 * width]
    horizontal = pixels[label:label + height, 3 * gap + 2 * width:3 * gap + 3 * width]
    assert not np.array_equal(vertical, horizontal)
