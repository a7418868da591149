"""Render every image in assets/ from cnnlib, so that none of them is drawn by hand.

Run ``python assets/make_assets.py`` (from anywhere) to rewrite them all; tests/test_assets.py
checks that the committed files equal what this script renders today. Each asset has a
``render_*`` function that returns its pixels and a ``make_*`` function that writes the file;
``main`` calls every ``make_*``. The images are drawn with numpy and Pillow only (no matplotlib),
so the same code gives the same pixels. The ``card-*`` files are the chapter map of intro.md.
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


# --------------------------------------------------------------------------- chapter cards
# One small picture per chapter for the map on the book's front page (intro.md): each card
# is CARD_HEIGHT x CARD_WIDTH pixels on white, drawn from cnnlib like the figures above.

CARD_HEIGHT, CARD_WIDTH = 240, 360
CARD_LABEL = 20      # height of a text strip on a card
CARD_FONT = 15       # size of Pillow's built-in FreeType font on a card
RED, BLUE, ORANGE = (178, 24, 43), (33, 102, 172), (230, 159, 0)


def render_card_dot_product():
    """Chapter 1: the zero-sum vertical line kernel sliding over chapter 1's 6x6 image.

    One frame per kernel position (16): the window on the image, the kernel, the output
    filled so far, and the sum of the nine products written out below. Text is drawn
    without antialiasing so that the frames have few colours and the GIF stores them exactly.

    Returns
    -------
    frames : list of ndarray, uint8 (240, 360, 3)
    """
    image = np.array([[1, 2, 7, 1, 0, 1], [0, 1, 8, 2, 1, 0], [1, 2, 9, 1, 0, 1],
                      [0, 1, 8, 2, 1, 1], [2, 1, 7, 1, 0, 0], [1, 2, 8, 1, 1, 0]], dtype=float)
    kernel = cl.kernel("vertical_line_zero_sum")
    output = cl.correlate2d(image, kernel)                               # (4, 4)
    limit = np.abs(output).max()
    cell = 22
    kernel_panel = _number_grid(kernel, cell, digits=0, antialias=False)
    frames = []
    for r, c in np.ndindex(*output.shape):
        shown = np.zeros_like(output)
        shown.flat[:r * output.shape[1] + c + 1] = output.flat[:r * output.shape[1] + c + 1]
        image_panel = _number_grid(image, cell, digits=0, limit=9, gray=True, antialias=False,
                                   mark=(r, c), mark_size=3)
        output_panel = _number_grid(shown, cell, digits=0, limit=limit, antialias=False, mark=(r, c))
        panels = [image_panel, _text("\u00b7", 20, 40, antialias=False, size=48), kernel_panel,
                  _text("=", 20, 40, antialias=False, size=24), output_panel]
        labels = ["image", "", "kernel", "", "output"]
        height = max(p.shape[0] for p in panels)
        columns = [np.concatenate([_text(text, p.shape[1], antialias=False), _pad_to(p, height, p.shape[1])])
                   for p, text in zip(panels, labels)]
        row = np.concatenate(columns, axis=1)
        total = f"sum of the 9 products = {output[r, c]:.0f}"
        sentence = _text(total, row.shape[1], CARD_LABEL + 8, antialias=False)
        frames.append(_on_card(np.concatenate([row, sentence], axis=0)))
    return frames


def render_card_feature_maps():
    """Chapter 2: a piece of the river and three of its feature maps, uint8 (240, 360, 3).

    The piece (44 x 84 pixels, drawn at 2x) holds tree trunks, the bank and the water. The
    maps are computed on the whole gray scene with ``padding="same"`` and drawn on one
    diverging scale (red positive, blue negative, white 0).
    """
    rows, cols = slice(120, 164), slice(180, 264)                          # trunks, bank, water
    names = ["vertical_line_zero_sum", "horizontal_line_zero_sum", "sobel_x"]
    maps = cl.feature_maps(cl.river(gray=True), names, padding="same")[:, rows, cols]   # (3, 44, 84)
    limit = np.percentile(np.abs(maps), 95)
    big = np.ones((2, 2, 1))                                               # 2x2 pixels per pixel
    panels = ([_to_uint8(np.kron(cl.river(gray=False)[rows, cols], big))]
              + [np.kron(_diverging(m, limit), big).astype(np.uint8) for m in maps])
    labels = ["the river", "vertical lines", "horizontal lines", "sobel_x"]
    return _on_card(_grid(panels, labels, ncols=2))


def render_card_correlation():
    """Chapter 3: an impulse through an L-shaped kernel, correlated and convolved; uint8 (240, 360, 3).

    Correlation draws the kernel rotated by 180 degrees, convolution draws it as it is.
    """
    L = np.array([[1, 0, 0], [2, 0, 0], [3, 4, 5]], dtype=float)
    impulse = np.zeros((5, 5))
    impulse[2, 2] = 1.0
    correlated = cl.correlate2d(impulse, L, padding="same")
    convolved = cl.convolve2d(impulse, L, padding="same")
    panels = [_number_grid(L, 35, digits=0), _number_grid(correlated, 21, digits=0, mark=(2, 2)),
              _number_grid(convolved, 21, digits=0, mark=(2, 2))]
    body = _grid(panels, ["kernel", "correlation", "convolution"], ncols=3)
    title = _text("an impulse (orange cell) and the L kernel", body.shape[1], CARD_LABEL + 4)
    return _on_card(np.concatenate([title, body], axis=0))


def render_card_detectors():
    """Chapter 4: the zero-sum line detectors, each beside what it sees in the river; uint8 (240, 360, 3).

    Top row: a piece of the river (35 x 128 pixels, drawn at 2x) with trunks, bank and
    water. Below: each kernel with its numbers, next to |response| on that piece, one
    common gray scale as in ``river-detectors.png`` (white: a strong line).
    """
    rows, cols = slice(112, 147), slice(136, 264)
    vertical, horizontal = detector_responses(cl.river(gray=True))
    scale = np.percentile(np.concatenate([vertical[rows, cols].ravel(), horizontal[rows, cols].ravel()]), 99)
    big = np.ones((2, 2, 1))
    pictures = [_to_uint8(np.kron(cl.river(gray=False)[rows, cols], big))] + [
        _to_uint8(np.kron(np.clip(m[rows, cols] / scale, 0, 1), big[..., 0])) for m in (vertical, horizontal)]
    left = [_text("river", 70, pictures[0].shape[0])] + [
        _pad_to(_number_grid(cl.kernel(name), 22, digits=0), pictures[0].shape[0], 70)
        for name in ("vertical_line_zero_sum", "horizontal_line_zero_sum")]
    gap = np.full((pictures[0].shape[0], GAP, 3), 255, np.uint8)
    lines = [np.concatenate([a, gap, b], axis=1) for a, b in zip(left, pictures)]
    hgap = np.full((GAP, lines[0].shape[1], 3), 255, np.uint8)
    return _on_card(np.concatenate([lines[0], hgap, lines[1], hgap, lines[2]], axis=0))


def learn_vertical_line_kernel(num_steps=400):
    """Chapter 5's experiment: SGD on river patches, from a random 3x3 kernel.

    256 patches of 16x16 from the river (mean removed), targets made by the zero-sum
    vertical line detector, a ``Conv2D(1, 1, 3, bias=False)``, ``mse`` and
    ``SGD(lr=2.0, momentum=0.9)`` on batches of 16, all seeded as in the chapter.

    Returns
    -------
    start, learned : ndarray, shape (3, 3)
        The kernel before the first step and after ``num_steps`` steps.
    """
    image = cl.river()
    rng = np.random.default_rng(0)
    size, n = 16, 256
    rows = rng.integers(0, image.shape[0] - size, n)
    cols = rng.integers(0, image.shape[1] - size, n)
    X = np.stack([image[r:r + size, c:c + size] for r, c in zip(rows, cols)])[:, None] - image.mean()
    T = cl.conv2d(X, cl.kernel("vertical_line_zero_sum")[None, None].astype(np.float32))
    layer = cl.Conv2D(1, 1, 3, bias=False, rng=10)
    start = layer.params["weight"][0, 0].copy()
    optimizer = cl.SGD(lr=2.0, momentum=0.9)
    batches = np.random.default_rng(2)
    for _ in range(num_steps):
        idx = batches.choice(n, size=16, replace=False)
        _, dpred = cl.mse(layer.forward(X[idx]), T[idx])
        layer.backward(dpred)
        optimizer.step(layer)
    return start, layer.params["weight"][0, 0].copy()


def render_card_learning():
    """Chapter 5: a random kernel, what SGD made of it, and the hand-made one; uint8 (240, 360, 3)."""
    num_steps = 400
    start, learned = learn_vertical_line_kernel(num_steps)
    hand = cl.kernel("vertical_line_zero_sum")
    kernels = [start, learned, hand]
    limit = max(np.abs(k).max() for k in kernels)
    panels = [_number_grid(k, 34, digits=1, limit=limit) for k in kernels]
    body = _grid(panels, ["random start", "after SGD", "hand-made"], ncols=3)
    title = _text(f"{num_steps} steps of SGD on river patches", body.shape[1], CARD_LABEL + 4)
    return _on_card(np.concatenate([title, body], axis=0))


def render_card_cats_dogs():
    """Chapter 6: three toy cats above three toy dogs from ``cl.cats_vs_dogs``; uint8 (240, 360, 3)."""
    X, y = cl.cats_vs_dogs(12, size=32, seed=0)
    rows = []
    for label, name in ((0, "cats"), (1, "dogs")):
        faces = [_to_uint8(np.kron(X[i].transpose(1, 2, 0), np.ones((3, 3, 1))))
                 for i in np.flatnonzero(y == label)[:3]]                     # 96x96 each
        gap = np.full((96, GAP, 3), 255, np.uint8)
        row = np.concatenate([_text(name, 44, 96)] + [part for face in faces for part in (gap, face)], axis=1)
        rows += [row, np.full((GAP, row.shape[1], 3), 255, np.uint8)]
    return _on_card(np.concatenate(rows[:-1], axis=0))


def render_card_receptive_field():
    """Chapter 7: a toy dog with the windows one layer-1 unit and one layer-2 unit see; uint8 (240, 360, 3).

    The model is chapter 7's network (conv 3x3 pad 1, ReLU, pool 2, conv 3x3 pad 1);
    ``cl.receptive_field`` gives both windows. Outside the layer-2 window the image is dimmed.
    """
    net = cl.Sequential(cl.Conv2D(3, 8, 3, padding=1, rng=0), cl.ReLU(), cl.MaxPool2D(2),
                        cl.Conv2D(8, 16, 3, padding=1, rng=0))
    X, y = cl.cats_vs_dogs(12, size=32, seed=0)
    face = X[np.flatnonzero(y == 1)[4]].transpose(1, 2, 0)               # (32, 32, 3), a light dog
    field1, field2 = cl.receptive_field(net, 0), cl.receptive_field(net, 3)
    box2 = field2.box(7, 7, (32, 32))
    centre = (box2[0] + box2[2]) // 2, (box2[1] + box2[3]) // 2
    box1 = field1.box(centre[0] - 1, centre[1], (32, 32))
    scale = 6
    dimmed = face * 0.35
    top, left, bottom, right = box2
    dimmed[top:bottom, left:right] = face[top:bottom, left:right]
    picture = _to_uint8(np.kron(dimmed, np.ones((scale, scale, 1))))      # (192, 192, 3)
    _outline(picture, [v * scale for v in box2], BLUE, 3)
    _outline(picture, [v * scale for v in box1], (255, 255, 255), 3)
    legend_width = CARD_WIDTH - picture.shape[1] - 3 * GAP
    legend = np.concatenate([
        _text("a layer-1 unit (white)", legend_width, 24),
        _text(f"sees {field1.size[0]}x{field1.size[1]} pixels", legend_width, 24),
        np.full((36, legend_width, 3), 255, np.uint8),
        _text("a layer-2 unit (blue)", legend_width, 24, color=BLUE),
        _text(f"sees {field2.size[0]}x{field2.size[1]} pixels", legend_width, 24, color=BLUE),
    ], axis=0)
    legend = _pad_to(legend, picture.shape[0], legend_width)
    gap = np.full((picture.shape[0], GAP, 3), 255, np.uint8)
    return _on_card(np.concatenate([picture, gap, legend], axis=1))



def render_card_dense_view():
    """Chapter 8: the 16x36 matrix of a 3x3 convolution on a 6x6 image; uint8 (240, 360, 3).

    Each input pixel is a column and each output a row, drawn as coloured cells: the
    kernel's nine weights (red 2, blue -1) repeat along the bands, every other entry is 0
    (white).
    """
    kernel = cl.kernel("vertical_line_zero_sum")
    units = np.eye(36).reshape(36, 6, 6)                  # each input pixel alone
    matrix = np.stack([cl.correlate2d(u, kernel).ravel() for u in units], axis=1)  # (16, 36)
    cell = 9
    body = np.kron(_diverging(matrix, 2), np.ones((cell, cell, 1), np.uint8))   # (144, 324, 3)
    body[::cell], body[:, ::cell] = 200, 200                                  # light grid lines
    body = np.pad(body, ((0, 1), (0, 1), (0, 0)), constant_values=200)
    title = _text("a 3x3 convolution as a 16x36 matrix", body.shape[1], CARD_LABEL + 4)
    note = _text("the same 9 weights in every row, 0 elsewhere", body.shape[1], CARD_LABEL + 4)
    return _on_card(np.concatenate([title, body, note], axis=0))


def render_card_backprop():
    """Chapter 9: one upstream gradient cell, the kernel, and the input gradient; uint8 (240, 360, 3).

    Chapter 9's example: the input gradient is the full convolution of the upstream
    gradient with the kernel; the orange cell's share lands on the orange window.
    """
    w = np.array([[1, 0, -1], [2, 1, 0], [0, -1, 3]], dtype=float)
    g = np.array([[1, 0, -1, 2], [0, 2, 1, 0], [-1, 0, 1, 1], [2, 1, 0, -2]], dtype=float)
    dx = cl.convolve2d(g, w, padding=2)                                  # (6, 6)
    panels = [_number_grid(g, 17, digits=0, mark=(1, 2)), _number_grid(w, 17, digits=0),
              _number_grid(dx, 17, digits=0, mark=(1, 2), mark_size=3)]
    body = _grid(panels, ["upstream", "kernel", "input gradient"], ncols=3)
    title = _text("the gradient flows back through the kernel", body.shape[1], CARD_LABEL + 4)
    return _on_card(np.concatenate([title, body], axis=0))


def render_card_generalise():
    """Chapter 10: a toy face and three flipped or shifted copies of it; uint8 (240, 360, 3)."""
    X = cl.cats_vs_dogs(100, size=32, seed=10)[0][:1]          # chapter 10's first face
    copies = np.concatenate([X, cl.random_flip_shift(X.repeat(3, axis=0), max_shift=3, rng=1)])
    faces = [_to_uint8(np.kron(face.transpose(1, 2, 0), np.ones((2, 2, 1)))) for face in copies]
    body = _grid(faces, ["original", "copy 1", "copy 2", "copy 3"], ncols=4)
    title = _text("new training images that keep their label", body.shape[1], CARD_LABEL + 4)
    return _on_card(np.concatenate([title, body], axis=0))


def make_river(out_dir=HERE):
    """Write ``river.png``."""
    return _write(render_river(), Path(out_dir) / "river.png")


def make_river_detectors(out_dir=HERE):
    """Write ``river-detectors.png``."""
    return _write(render_river_detectors(), Path(out_dir) / "river-detectors.png")


CARD_ANIMATIONS = {"card-dot-product.gif": render_card_dot_product}

CARDS = {
    "card-feature-maps.png": render_card_feature_maps,
    "card-correlation.png": render_card_correlation,
    "card-detectors.png": render_card_detectors,
    "card-learning.png": render_card_learning,
    "card-cats-dogs.png": render_card_cats_dogs,
    "card-receptive-field.png": render_card_receptive_field,
    "card-dense-view.png": render_card_dense_view,
    "card-backprop.png": render_card_backprop,
    "card-generalise.png": render_card_generalise,
}


def make_card_dot_product(out_dir=HERE):
    """Write ``card-dot-product.gif``, 0.8 s per frame, looping."""
    return _write_gif(render_card_dot_product(), Path(out_dir) / "card-dot-product.gif", duration=800)


def make_card_feature_maps(out_dir=HERE):
    """Write ``card-feature-maps.png``."""
    return _write(render_card_feature_maps(), Path(out_dir) / "card-feature-maps.png")


def make_card_correlation(out_dir=HERE):
    """Write ``card-correlation.png``."""
    return _write(render_card_correlation(), Path(out_dir) / "card-correlation.png")


def make_card_detectors(out_dir=HERE):
    """Write ``card-detectors.png``."""
    return _write(render_card_detectors(), Path(out_dir) / "card-detectors.png")


def make_card_learning(out_dir=HERE):
    """Write ``card-learning.png``."""
    return _write(render_card_learning(), Path(out_dir) / "card-learning.png")


def make_card_cats_dogs(out_dir=HERE):
    """Write ``card-cats-dogs.png``."""
    return _write(render_card_cats_dogs(), Path(out_dir) / "card-cats-dogs.png")


def make_card_receptive_field(out_dir=HERE):
    """Write ``card-receptive-field.png``."""
    return _write(render_card_receptive_field(), Path(out_dir) / "card-receptive-field.png")


def make_card_dense_view(out_dir=HERE):
    """Write ``card-dense-view.png``."""
    return _write(render_card_dense_view(), Path(out_dir) / "card-dense-view.png")


def make_card_backprop(out_dir=HERE):
    """Write ``card-backprop.png``."""
    return _write(render_card_backprop(), Path(out_dir) / "card-backprop.png")


def make_card_generalise(out_dir=HERE):
    """Write ``card-generalise.png``."""
    return _write(render_card_generalise(), Path(out_dir) / "card-generalise.png")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(HERE), help="folder to write into (default: assets/)")
    out_dir = Path(parser.parse_args(argv).out)
    out_dir.mkdir(parents=True, exist_ok=True)
    for make in (make_river, make_river_detectors, make_card_dot_product, make_card_feature_maps,
                 make_card_correlation, make_card_detectors, make_card_learning, make_card_cats_dogs,
                 make_card_receptive_field, make_card_dense_view, make_card_backprop,
                 make_card_generalise):
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


def _font(size=CARD_FONT):
    from PIL import ImageFont

    return ImageFont.load_default(size=size)


def _text(text, width, height=CARD_LABEL, color=(0, 0, 0), size=CARD_FONT, antialias=True):
    """``text`` centred on a white strip, uint8 (height, width, 3); Pillow's built-in FreeType font."""
    from PIL import Image, ImageDraw

    strip = Image.new("RGB", (width, height), (255, 255, 255))
    draw = ImageDraw.Draw(strip)
    draw.fontmode = "L" if antialias else "1"
    draw.text((width / 2, height / 2), text, fill=tuple(color), font=_font(size), anchor="mm")
    return np.asarray(strip).copy()


def _diverging(values, limit):
    """Signed (H, W) -> uint8 (H, W, 3): blue for -limit, white for 0, red for +limit."""
    t = np.clip(np.asarray(values, dtype=np.float64) / limit, -1, 1)[..., None]
    white = np.ones(3)
    red, blue = np.array(RED) / 255, np.array(BLUE) / 255
    rgb = np.where(t >= 0, white + t * (red - white), white - t * (blue - white))
    return _to_uint8(rgb)


def _number_grid(values, cell, digits, limit=None, mark=None, mark_size=1, gray=False, antialias=True):
    """A small array drawn as big cells coloured by sign, each non-zero value written in it.

    values : (H, W); cell : pixels per cell; digits : decimals written (0 for integers);
    limit : value drawn as full red/blue (default: max |values|); mark : (row, col) of the top-left
    cell of a mark_size x mark_size block outlined in orange; gray : cells shaded black (0) to
    white (limit) instead of red/blue; antialias : False draws binary text.
    Returns uint8 (H * cell + 1, W * cell + 1, 3), with gray lines between the cells.
    """
    from PIL import Image, ImageDraw

    values = np.asarray(values, dtype=np.float64)
    limit = np.abs(values).max() if limit is None else limit
    shades = _to_uint8(values / limit) if gray else _diverging(values, limit)
    colours = np.kron(shades, np.ones((cell, cell, 1), np.uint8))
    canvas = Image.fromarray(np.pad(colours, ((0, 1), (0, 1), (0, 0)), constant_values=255))
    draw = ImageDraw.Draw(canvas)
    draw.fontmode = "L" if antialias else "1"
    height, width = values.shape
    for k in range(height + 1):
        draw.line([(0, k * cell), (width * cell, k * cell)], fill=(160, 160, 160))
    for k in range(width + 1):
        draw.line([(k * cell, 0), (k * cell, height * cell)], fill=(160, 160, 160))
    font = _font(max(10, min(cell // 2, 15)))
    for (i, j), v in np.ndenumerate(values):
        if v == 0 and not gray:
            continue
        dark = v < 0.5 * limit if gray else abs(v) > 0.6 * limit
        ink = (255, 255, 255) if dark else (0, 0, 0)
        text = f"{v:.{digits}f}" if digits else f"{v:.0f}"
        draw.text(((j + 0.5) * cell, (i + 0.5) * cell), text, fill=ink, font=font, anchor="mm")
    if mark is not None:
        i, j = mark
        corners = [j * cell, i * cell, (j + mark_size) * cell, (i + mark_size) * cell]
        draw.rectangle(corners, outline=ORANGE, width=3)
    return np.asarray(canvas).copy()


def _pad_to(pixels, height, width):
    """``pixels`` (h, w, 3) centred on white of (height, width, 3); ValueError if it does not fit."""
    h, w = pixels.shape[:2]
    if h > height or w > width:
        raise ValueError(f"picture {h}x{w} does not fit in {height}x{width}")
    out = np.full((height, width, 3), 255, np.uint8)
    top, left = (height - h) // 2, (width - w) // 2
    out[top:top + h, left:left + w] = pixels
    return out


def _on_card(pixels):
    """Centre a picture on a white card of CARD_HEIGHT x CARD_WIDTH."""
    return _pad_to(pixels, CARD_HEIGHT, CARD_WIDTH)


def _grid(panels, labels, ncols):
    """Panels (any sizes up to the largest) under their labels, ncols per row, GAP between."""
    cell_h = max(p.shape[0] for p in panels)
    cell_w = max(p.shape[1] for p in panels)
    cells = [np.concatenate([_text(text, cell_w), _pad_to(panel, cell_h, cell_w)], axis=0)
             for panel, text in zip(panels, labels)]
    blank = np.full_like(cells[0], 255)
    cells += [blank] * (-len(cells) % ncols)
    vgap = np.full((cells[0].shape[0], GAP, 3), 255, np.uint8)
    rows = [np.concatenate([part for c in cells[r:r + ncols] for part in (c, vgap)][:-1], axis=1)
            for r in range(0, len(cells), ncols)]
    hgap = np.full((GAP, rows[0].shape[1], 3), 255, np.uint8)
    return np.concatenate([part for row in rows for part in (row, hgap)][:-1], axis=0)


def _outline(pixels, box, color, width):
    """Outline ``box`` = (top, left, bottom, right), end exclusive, in place on uint8 (H, W, 3)."""
    top, left, bottom, right = box
    for k in range(width):
        pixels[top + k, left:right] = color
        pixels[bottom - 1 - k, left:right] = color
        pixels[top:bottom, left + k] = color
        pixels[top:bottom, right - 1 - k] = color


def _write(pixels, path):
    from PIL import Image

    Image.fromarray(pixels).save(path, optimize=True)
    return path



def _write_gif(frames, path, duration):
    """Frames uint8 (H, W, 3) as a looping GIF on one exact palette (ValueError above 256 colours)."""
    from PIL import Image

    stack = np.stack(frames)
    colours, index = np.unique(stack.reshape(-1, 3), axis=0, return_inverse=True)
    if len(colours) > 256:
        raise ValueError(f"{len(colours)} colours do not fit a GIF palette of 256")
    palette = colours.astype(np.uint8).ravel().tolist()
    images = []
    for indices in index.reshape(stack.shape[:3]).astype(np.uint8):
        image = Image.frombytes("P", (indices.shape[1], indices.shape[0]), indices.tobytes())
        image.putpalette(palette)
        images.append(image)
    images[0].save(path, save_all=True, append_images=images[1:], duration=duration, loop=0, optimize=False)
    return path


if __name__ == "__main__":
    main()
