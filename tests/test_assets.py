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
                                          ("river-detectors.png", make_assets.render_river_detectors),
                                          *make_assets.CARDS.items()])
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


@pytest.mark.parametrize("name, render", list(make_assets.CARDS.items()))
def test_chapter_card_is_a_card_sized_picture_with_something_drawn(name, render):
    pixels = render()
    assert pixels.shape == (make_assets.CARD_HEIGHT, make_assets.CARD_WIDTH, 3), name
    assert pixels.dtype == np.uint8, name
    assert (pixels < 128).any(axis=-1).mean() > 0.01, name             # text and pictures, not a blank card
    assert (pixels[0] == 255).all() and (pixels[-1] == 255).all(), name  # a white margin above and below


@pytest.mark.parametrize("name, make", [(name, getattr(make_assets, "make_" + name[:-4].replace("-", "_")))
                                        for name in make_assets.CARDS])
def test_card_make_functions_write_what_render_returns(tmp_path, name, make):
    path = make(tmp_path)
    assert path.name == name
    np.testing.assert_array_equal(np.asarray(Image.open(path).convert("RGB")), make_assets.CARDS[name]())


def test_learning_card_kernel_ends_near_the_hand_made_detector():
    start, learned = make_assets.learn_vertical_line_kernel()
    hand = make_assets.cl.kernel("vertical_line_zero_sum")

    def cosine(a, b):
        return float((a * b).sum() / np.linalg.norm(a) / np.linalg.norm(b))

    assert cosine(start, hand) < 0.5          # the start is not the answer
    assert cosine(learned, hand) > 0.999      # the card's "after SGD" is the detector
    np.testing.assert_allclose(learned, hand, atol=0.15)


def test_every_card_is_written_by_main(tmp_path):
    make_assets.main(["--out", str(tmp_path)])
    written = {p.name for p in tmp_path.glob("card-*")}
    assert set(make_assets.CARDS) | set(make_assets.CARD_ANIMATIONS) <= written


def _gif_frames(path):
    with Image.open(path) as gif:
        frames = []
        for k in range(gif.n_frames):
            gif.seek(k)
            frames.append(np.asarray(gif.convert("RGB")))
        return frames


@pytest.mark.parametrize("name, render", list(make_assets.CARD_ANIMATIONS.items()))
def test_committed_animation_matches_every_frame_the_script_renders(name, render):
    committed, rendered = _gif_frames(ASSETS / name), render()
    assert len(committed) == len(rendered), f"{name}: rerun python assets/make_assets.py"
    for k, (old, new) in enumerate(zip(committed, rendered)):
        difference = np.abs(old.astype(np.int16) - new.astype(np.int16))
        assert difference.max() <= 1 and (difference > 0).mean() < 0.001, f"{name} frame {k} is out of date"


@pytest.mark.parametrize("name, render", list(make_assets.CARD_ANIMATIONS.items()))
def test_animated_card_has_card_sized_frames_that_change(name, render):
    frames = render()
    assert len(frames) >= 2, name
    for frame in frames:
        assert frame.shape == (make_assets.CARD_HEIGHT, make_assets.CARD_WIDTH, 3), name
    assert all(not np.array_equal(a, b) for a, b in zip(frames, frames[1:])), name


def test_animation_is_stored_without_loss(tmp_path):
    path = make_assets.make_card_dot_product(tmp_path)
    for stored, rendered in zip(_gif_frames(path), make_assets.render_card_dot_product()):
        np.testing.assert_array_equal(stored, rendered)
