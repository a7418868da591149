"""Players carry a second set of frames drawn for a phone's column, legible at 1x.

The rule of ``cnnlib.viz.plot`` (a point of text is a CSS pixel, text at least
``MIN_FONT``) holds only if a figure is shown at the size it was drawn for. A phone's
column is about half the book's, so every player also renders its frames for
``plot.PHONE_COLUMN`` (``plot.column``), and the page picks the set by the screen's
width. These tests check those narrow frames: they fit the phone's column, every text
in them is at least ``MIN_FONT`` points and lies inside the figure, there are as many as
wide frames, and the wide frames stay what they were.
"""

import base64
import io
import json
import math
import re
from unittest import mock

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.animation import FuncAnimation  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.text import Text  # noqa: E402
from PIL import Image  # noqa: E402

import cnnlib as cl  # noqa: E402
from cnnlib.conv import correlate2d  # noqa: E402
from cnnlib.filters import kernel  # noqa: E402
from cnnlib.viz import animate, gallery, plot, training, widgets  # noqa: E402

PHONE_PX = plot.PHONE_COLUMN * plot.CSS_DPI  # CSS px


# ------------------------------------------------------------------------- helpers
def _shown_texts(fig):
    """(string, points, extent in pixels) of every Text a reader sees: the non-empty
    ones drawn when the figure is drawn, measured as they are drawn."""
    shown, draw = {}, Text.draw

    def recording(text, renderer):
        if text.get_visible() and text.get_text().strip():
            shown[id(text)] = (text.get_text(), text.get_fontsize(),
                               text.get_window_extent(renderer))
        return draw(text, renderer)

    with mock.patch.object(Text, "draw", recording):
        FigureCanvasAgg(fig).draw()  # tick labels are made while drawing
    return list(shown.values())


def _illegible(fig):
    """Texts smaller than MIN_FONT points, reaching outside the figure or overlapping
    another text, as strings. A figure is shown at 72 CSS px per inch, so a point of
    text is a CSS pixel."""
    texts = _shown_texts(fig)
    width, height = fig.bbox.width, fig.bbox.height
    bad = []
    for text, points, box in texts:
        size = points * plot.CSS_DPI / 72
        if size < plot.MIN_FONT:
            bad.append(f"{text[:30]!r} at {size:.1f} px")
        if box.x0 < -1 or box.y0 < -1 or box.x1 > width + 1 or box.y1 > height + 1:
            bad.append(f"{text[:30]!r} cut off: {box.bounds} of {width}x{height}")
    boxes = [(text, box.expanded(1, 1).padded(-1)) for text, _, box in texts]
    for n, (a, box_a) in enumerate(boxes):
        for b, box_b in boxes[n + 1:]:
            if box_a.overlaps(box_b):
                bad.append(f"{a[:30]!r} overlaps {b[:30]!r}")
    return bad


def _assert_drawn_for_a_phone(fig):
    assert fig.get_figwidth() <= plot.PHONE_COLUMN + 1e-6, (
        f"{fig.get_figwidth() * 72:.0f} px wide for a {PHONE_PX:.0f} px column")
    assert not _illegible(fig), _illegible(fig)


def _frame_sets(player):
    """{"wide": [png bytes], "narrow": [png bytes] or []} and the player's JSON."""
    html = player.data
    first = re.search(r'<img class="cnnlib-frame" src="data:image/png;base64,([^"]+)"', html)
    source = re.search(r'<source class="cnnlib-narrow"[^>]*srcset="data:image/png;base64,'
                       r'([^"]+)"', html)
    data = json.loads(re.search(r'class="cnnlib-frame-data">(.*?)</script>', html,
                                re.S).group(1).replace("<\\/", "</"))

    def png(uri):
        return base64.b64decode(uri.split(",", 1)[-1])

    wide = [png(first.group(1))] + [png(u) for u in data["src"]]
    narrow = ([png(source.group(1))] + [png(u) for u in data["narrow"]["src"]]
              if "narrow" in data else [])
    assert (source is None) == ("narrow" not in data)
    return {"wide": wide, "narrow": narrow}, data


def _size(png):
    with Image.open(io.BytesIO(png)) as im:
        return im.size


def _int_case(shape, kshape, seed):
    rng = np.random.default_rng(seed)
    return rng.integers(0, 10, size=shape), rng.integers(-2, 3, size=kshape)


# ------------------------------------------------------------- the column setting
def test_column_sets_the_width_figures_are_drawn_for():
    assert plot.column_width() == plot.COLUMN_WIDTH
    with plot.column(plot.PHONE_COLUMN):
        assert plot.column_width() == plot.PHONE_COLUMN
        assert plot.new_figure((9, 3)).get_figwidth() == pytest.approx(plot.PHONE_COLUMN)
        nrows, ncols, (width, _) = plot.grid_layout(3, panel=2.6, min_panel=1.9)
        assert width <= plot.PHONE_COLUMN and nrows * ncols >= 3 and nrows > 1
        with plot.column(3.0):
            assert plot.column_width() == 3.0
        assert plot.column_width() == plot.PHONE_COLUMN
    assert plot.column_width() == plot.COLUMN_WIDTH
    assert plot.new_figure((9, 3)).get_figwidth() == 9


def test_column_is_restored_after_an_error():
    with pytest.raises(RuntimeError):
        with plot.column(plot.PHONE_COLUMN):
            raise RuntimeError("drawing failed")
    assert plot.column_width() == plot.COLUMN_WIDTH


@pytest.mark.parametrize("width, error", [
    (0, ValueError), (-2.0, ValueError), (math.nan, ValueError), (math.inf, ValueError),
    ("phone", TypeError), (None, TypeError), (True, TypeError),
])
def test_column_refuses_a_bad_width(width, error):
    with pytest.raises(error, match="column width"):
        with plot.column(width):
            pass


def test_a_phone_column_is_narrower_than_a_phone_and_holds_readable_panels():
    assert 300 <= PHONE_PX <= 390 - 2 * 16
    assert plot.PHONE_COLUMN < plot.COLUMN_WIDTH


# --------------------------------------------------------------- sliding window
SMALL_CASES = [  # image shape, kernel shape, stride, padding: the book's and harder ones
    ((6, 6), (3, 3), 1, 0),
    ((6, 6), (3, 3), 2, 0),
    ((3, 3), (3, 3), 1, 1),
    ((7, 7), (3, 3), 1, 1),
    ((5, 7), (2, 3), 1, "same"),
    ((5, 5), (5, 5), 1, 2),
    ((11, 11), (3, 3), 1, 1),
]


@pytest.mark.parametrize("shape, kshape, stride, padding", SMALL_CASES)
def test_sliding_window_for_a_phone_fits_the_column_with_legible_text(shape, kshape, stride,
                                                                      padding):
    image, k = _int_case(shape, kshape, 20)
    wide = animate.sliding_window(image, k, stride=stride, padding=padding)
    narrow = wide.for_column(plot.PHONE_COLUMN)
    assert narrow.frame_positions == wide.frame_positions
    count = len(narrow.frame_positions)
    longest = max(range(count), key=lambda n: len(narrow.draw_frame(n) or
                                                 narrow.sum_text.get_text()))
    for n in sorted({0, count // 2, count - 1, longest}):
        narrow.draw_frame(n)
        _assert_drawn_for_a_phone(narrow.figure)
    plt.close(wide.figure)
    plt.close(narrow.figure)


@pytest.mark.parametrize("shape, kshape, stride, padding", SMALL_CASES[:5])
def test_sliding_window_for_a_phone_writes_the_same_sums(shape, kshape, stride, padding):
    image, k = _int_case(shape, kshape, 21)
    out = correlate2d(image, k, stride=stride, padding=padding)
    narrow = animate.sliding_window(image, k, stride=stride,
                                    padding=padding).for_column(plot.PHONE_COLUMN)
    for n, (r, c) in enumerate(narrow.frame_positions):
        narrow.draw_frame(n)
        equation = narrow.sum_text.get_text()
        assert equation.startswith(f"output[{r}, {c}] =")
        assert float(equation.rsplit("=", 1)[-1].replace("\u2212", "-")) == out[r, c]
        terms = re.findall(r"\(?(\u2212?\d+)\)?\u00b7\(?(\u2212?\d+)\)?", equation)
        assert len(terms) == k.size
        assert narrow.output_texts[r, c].get_text().replace("\u2212", "-") == f"{out[r, c]:g}"
    plt.close(narrow.figure)


def test_sliding_window_on_a_large_image_has_a_phone_layout_too():
    image = np.random.default_rng(22).random((40, 50))
    narrow = animate.sliding_window(image, kernel("sobel_x"), padding=1,
                                    max_frames=6).for_column(plot.PHONE_COLUMN)
    for n in range(6):
        narrow.draw_frame(n)
        _assert_drawn_for_a_phone(narrow.figure)
    plt.close(narrow.figure)


def test_the_desktop_layout_of_the_sliding_window_is_unchanged():
    image, k = _int_case((6, 6), (3, 3), 23)
    anim = animate.sliding_window(image, k)
    # four panels in one row, 0.42 inch cells: 6 + 3 + 3 + 4 cells and the gaps
    assert anim.figure.get_figwidth() == pytest.approx(0.42 * 16 + 2.2)
    centres = {round((ax.get_position().y0 + ax.get_position().y1) / 2, 3)
               for ax in anim.figure.axes if ax.get_title()}
    assert len(centres) == 1
    plt.close(anim.figure)


# ---------------------------------------------------------------------- players
def test_player_renders_a_phone_set_with_as_many_frames():
    image, k = _int_case((6, 6), (3, 3), 24)
    anim = animate.sliding_window(image, k)
    wide_frames = animate.render_frames(anim)
    p = animate.player(animate.sliding_window(image, k))
    sets, data = _frame_sets(p)
    assert len(sets["wide"]) == len(sets["narrow"]) == p.n_frames == 16
    assert p.phone
    for png, exact in zip(sets["wide"], wide_frames):  # the desktop frames, as before
        assert _size(png) == pytest.approx([plot.PIXEL_RATIO * v for v in exact.size], abs=1)
    narrow_width = data["narrow"]["width"]
    assert narrow_width <= PHONE_PX
    for png in sets["narrow"]:
        assert _size(png)[0] == pytest.approx(plot.PIXEL_RATIO * narrow_width, abs=1)
    # the page picks the set by the screen's width: a screen whose text column (the
    # screen less the page's 2 x 16 px padding) is narrower than the desktop frames
    wide_width = int(re.search(r'<img class="cnnlib-frame"[^>]* width="(\d+)"', p.data).group(1))
    assert data["narrow"]["media"] == f"(max-width: {wide_width + 32 - 1}px)"
    assert f'media="{data["narrow"]["media"]}"' in p.data
    assert len(set(sets["narrow"])) == 16 and not set(sets["narrow"]) & set(sets["wide"])


def test_player_phone_set_can_be_left_out():
    image, k = _int_case((6, 6), (3, 3), 25)
    p = animate.player(animate.sliding_window(image, k), phone=False)
    sets, data = _frame_sets(p)
    assert sets["narrow"] == [] and "<source class" not in p.data and not p.phone
    assert len(sets["wide"]) == 16


def test_player_of_an_animation_without_a_phone_layout_keeps_the_wide_frames():
    fig = plt.figure(figsize=(9, 3))
    ax = fig.add_subplot()
    line, = ax.plot([], [])
    anim = FuncAnimation(fig, lambda n: line.set_data(range(n + 2), range(n + 2)), frames=3)
    p = animate.player(anim)
    sets, _ = _frame_sets(p)
    assert len(sets["wide"]) == 3 and sets["narrow"] == [] and not p.phone
    assert plt.get_fignums() == []


def test_player_of_frames_that_already_fit_a_phone_needs_no_second_set():
    image, k = _int_case((3, 3), (2, 2), 26)  # a tiny diagram, narrower than a phone
    with plot.column(plot.PHONE_COLUMN):
        anim = animate.sliding_window(image, k)
    assert anim.figure.get_figwidth() <= plot.PHONE_COLUMN
    sets, _ = _frame_sets(animate.player(anim))
    assert sets["narrow"] == []


def test_player_downsamples_both_sets_alike_over_the_embed_limit():
    image, k = _int_case((7, 7), (3, 3), 27)
    with pytest.warns(UserWarning, match="embed limit"):
        p = animate.player(animate.sliding_window(image, k, dpi=40), embed_limit=0.2)
    sets, data = _frame_sets(p)
    assert 1 < p.n_frames < 25
    assert len(sets["wide"]) == len(sets["narrow"]) == len(data["labels"]) == p.n_frames
    assert len(p.data) < 0.2e6 * 1.1


def test_player_closes_both_figures():
    plt.close("all")
    image, k = _int_case((4, 4), (2, 2), 28)
    animate.player(animate.sliding_window(image, k))
    assert plt.get_fignums() == []


def test_player_refuses_a_phone_setting_that_is_not_a_bool():
    image, k = _int_case((4, 4), (2, 2), 29)
    with pytest.raises(TypeError, match="phone"):
        animate.player(animate.sliding_window(image, k), phone="yes")


def _two_panels(scale):
    grid = np.outer(np.arange(8), np.ones(8)) * scale
    return plot.show_side_by_side([grid / grid.max(), -grid], ["input", "map"],
                                  panel_size=3.2, suptitle=f"scale {scale}")


def test_param_player_draws_a_phone_set_under_the_phone_column():
    p = animate.param_player(_two_panels, "scale", [1, 2, 3])
    sets, data = _frame_sets(p)
    assert len(sets["wide"]) == len(sets["narrow"]) == 3
    assert all(_size(png)[0] <= plot.PIXEL_RATIO * PHONE_PX + 1 for png in sets["narrow"])
    assert all(_size(png)[0] > plot.PIXEL_RATIO * PHONE_PX for png in sets["wide"])
    with plot.column(plot.PHONE_COLUMN):
        _assert_drawn_for_a_phone(_two_panels(3))


def test_param_player_keeps_the_wide_frames_of_a_figure_that_ignores_the_column():
    def fixed(v):
        fig = plt.figure(figsize=(9, 3))
        fig.text(0.5, 0.5, f"v = {v}")
        return fig

    sets, _ = _frame_sets(animate.param_player(fixed, "v", [1, 2]))
    assert len(sets["wide"]) == 2 and sets["narrow"] == []


def test_param_player_phone_set_can_be_left_out():
    p = animate.param_player(_two_panels, "scale", [1, 2], phone=False)
    assert _frame_sets(p)[0]["narrow"] == []


# ------------------------------------------------- the book's figures, on a phone
RNG = np.random.default_rng(30)


def test_kernel_gallery_frame_on_a_phone():
    image = RNG.random((40, 60))
    with plot.column(plot.PHONE_COLUMN):
        for name in ("vertical_line_zero_sum", "sobel_x", "laplacian", "box_blur"):
            fig = widgets.kernel_gallery_frame(image, name, padding="valid")
            _assert_drawn_for_a_phone(fig)


def test_kernel_gallery_on_a_phone_still_writes_every_weight():
    image = RNG.random((40, 60))
    with plot.column(plot.PHONE_COLUMN):
        fig = widgets.kernel_gallery_frame(image, "sobel_x")
    ax_k = next(ax for ax in fig.axes if ax.get_title() == "kernel")
    k = kernel("sobel_x")
    assert sorted(t.get_text() for t in ax_k.texts) == sorted(
        plot.format_number(v, digits=2) for v in k.ravel())


def _history():
    layer = cl.Conv2D(1, 1, 3, bias=False, rng=0)
    X = RNG.normal(size=(32, 1, 8, 8)).astype(np.float32)
    return cl.fit(layer, X, np.zeros((32, 1, 6, 6), np.float32), num_epochs=2,
                  batch_size=16, loss=cl.mse, optimizer=cl.SGD(lr=0.01), progress=False)


@pytest.mark.parametrize("k", [np.full((3, 3), 5e6), np.array([[-1.5, 0.25, 2], [1, 0, -1],
                                                             [0.5, -0.75, 1]])])
def test_learning_rate_run_on_a_phone(k):
    with plot.column(plot.PHONE_COLUMN):
        fig = training.learning_rate_run(
            _history(), k, RNG.normal(size=(30, 30)), 1.0,
            "lr = 0.3, 400 steps: cosine similarity to hand-made 0.9999", 32, 16)
    _assert_drawn_for_a_phone(fig)


def test_kernel_replay_on_a_phone():
    kernels = RNG.normal(size=(5, 3, 3))
    anim = training.kernel_replay(kernels, RNG.normal(size=(30, 30)),
                                  np.geomspace(1, 1e-3, 5), np.linspace(0, 1, 5), [0, 2, 4])
    narrow = anim.for_column(plot.PHONE_COLUMN)
    for n in range(3):
        narrow.draw_frame(n)
        _assert_drawn_for_a_phone(narrow.figure)
    p = animate.player(anim)
    sets, _ = _frame_sets(p)
    assert len(sets["wide"]) == len(sets["narrow"]) == 3


def test_show_unit_window_on_a_phone():
    faces = RNG.random((3, 32, 32))
    with plot.column(plot.PHONE_COLUMN):
        fig = gallery.show_unit_window(
            faces, (-1, 2, 7, 10), RNG.random((16, 16)), (2, 1),
            map_title="layer-2 map 7: unit (13, 13) = 0.42")
    _assert_drawn_for_a_phone(fig)
    titles = [ax.get_title() for ax in fig.axes]
    assert any("\n" in t for t in titles), "the phone's titles should wrap"
    assert "(2, 1)" in titles[0] and "(13, 13)" in titles[1], (
        f"a position is split over two lines: {titles}")


def test_show_side_by_side_on_a_phone():
    with plot.column(plot.PHONE_COLUMN):
        fig = plot.show_side_by_side(
            [RNG.normal(size=(20, 30)), RNG.random((20, 30))], ["feature map", "after ReLU"],
            panel_size=4.0, kinds="map", suptitle="vertical_line_zero_sum",
            caption="A vertical line detector whose weights sum to zero: flat regions "
                    "give 0, a vertical line gives a strong response.")
    _assert_drawn_for_a_phone(fig)
