"""Render every image in assets/ from cnnlib, so that none of them is drawn by hand.

Run ``python assets/make_assets.py`` (from anywhere) to rewrite them all; tests/test_assets.py
checks that the committed files equal what this script renders today. Each asset has a
``render_*`` function that returns its pixels and a ``make_*`` function that writes the file;
``main`` calls every ``make_*``. The PNGs are drawn with numpy and Pillow only (no matplotlib),
so the same code gives the same pixels.
"""

import argparse
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # the cnnlib next to this script, installed or not

import cnnlib as cl  # noqa: E402

GAP = 8  # white pixels between and around the panels
LABEL_HEIGHT = 30


def render_river():
    """The book's river scene, RGB at its default size: uint8 array, shape (256, 384, 3)."""
    return _to_uint8(cl.river(gray=False))


def detector_responses(image):
    """|response| of the zero-sum vertical and horizontal line detectors, same size as ``image`` (H, W)."""
    return [np.abs(cl.correlate2d(image, cl.kernel(name), padding="same"))
            for name in ("vertical_line_zero_sum", "horizontal_line_zero_sum")]


def render_river_detectors():
    """The seed's three panels: original, vertical detector, horizontal detector; uint8 (H, W, 3).

    The detectors are the zero-sum line kernels, computed in float. Each map shows
    |response| on one common scale (its 99.5th percentile over both maps is white), so
    the two panels can be compared: the vertical one lights up trunks and posts, the
    horizontal one ripples, banks and the horizon.
    """
    image = cl.river(gray=True)
    vertical, horizontal = detector_responses(image)
    scale = np.percentile(np.concatenate([vertical.ravel(), horizontal.ravel()]), 99.5)
    panels = [image, np.clip(vertical / scale, 0, 1), np.clip(horizontal / scale, 0, 1)]
    labels = ["original", "vertical line detector", "horizontal line detector"]
    return _side_by_side([_to_uint8(p) for p in panels], labels)


def make_river(out_dir=HERE):
    """Write ``river.png``."""
    return _write(render_river(), Path(out_dir) / "river.png")


def make_river_detectors(out_dir=HERE):
    """Write ``river-detectors.png``."""
    return _write(render_river_detectors(), Path(out_dir) / "river-detectors.png")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(HERE), help="folder to write into (default: assets/)")
    out_dir = Path(parser.parse_args(argv).out)
    out_dir.mkdir(parents=True, exist_ok=True)
    for make in (make_river, make_river_detectors):
        print("wrote", make(out_dir))


# --------------------------------------------------------------------------- helpers

def _to_uint8(image):
    """Float in [0, 1], (H, W) or (H, W, 3) -> uint8 (H, W, 3)."""
    image = np.round(np.clip(image, 0, 1) * 255).astype(np.uint8)
    return np.repeat(image[..., None], 3, axis=-1) if image.ndim == 2 else image


def _label(text, width):
    """Black text centred on a white strip (H = LABEL_HEIGHT, width), Pillow's built-in bitmap font at 2x."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.load_default_imagefont()
    left, top, right, bottom = font.getbbox(text)
    small = Image.new("L", (right - left, bottom - top), 255)
    ImageDraw.Draw(small).text((-left, -top), text, fill=0, font=font)
    big = np.asarray(small.resize((small.width * 2, small.height * 2), Image.Resampling.NEAREST))
    strip = np.full((LABEL_HEIGHT, width), 255, np.uint8)
    y0, x0 = (LABEL_HEIGHT - big.shape[0]) // 2, (width - big.shape[1]) // 2
    strip[y0:y0 + big.shape[0], x0:x0 + big.shape[1]] = big
    return np.repeat(strip[..., None], 3, axis=-1)


def _side_by_side(panels, labels):
    """Panels (H, W, 3) in a row with labels above, on white with GAP pixels between."""
    height, width = panels[0].shape[:2]
    columns = [np.concatenate([_label(text, width), panel], axis=0) for panel, text in zip(panels, labels)]
    gap = np.full((LABEL_HEIGHT + height, GAP, 3), 255, np.uint8)
    row = np.concatenate([gap] + [part for column in columns for part in (column, gap)], axis=1)
    border = np.full((GAP, row.shape[1], 3), 255, np.uint8)
    return np.concatenate([row, border], axis=0)


def _write(pixels, path):
    from PIL import Image

    Image.fromarray(pixels).save(path, optimize=True)
    return path


if __name__ == "__main__":
    main()
