"""The sliding-window animation draws the right numbers; players and GIFs hold every frame."""

import base64
import io
import json
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

from cnnlib.conv import correlate2d, output_size  # noqa: E402
from cnnlib.filters import kernel  # noqa: E402
from cnnlib.viz import animate, playback  # noqa: E402

CASES = [  # image shape, kernel shape, stride, padding
    ((7, 7), (3, 3), 1, 0),
    ((7, 7), (3, 3), 1, 1),
    ((6, 5), (3, 3), 2, 1),
    ((5, 7), (2, 3), 1, "same"),
    ((8, 6), (2, 2), (2, 1), "valid"),
    ((5, 5), (5, 5), 1, 0),
]


def _number(text):
    """The number after the last '=' of a drawn label (Unicode minus allowed)."""
    return float(text.rsplit("=", 1)[-1].strip().replace("\u2212", "-"))


def _int_case(shape, kshape, seed):
    rng = np.random.default_rng(seed)
    return rng.integers(0, 10, size=shape), rng.integers(-2, 3, size=kshape)


def _expected_positions(out_hw):
    return [(r, c) for r in range(out_hw[0]) for c in range(out_hw[1])]


@pytest.fixture(scope="module", params=CASES, ids=lambda c: f"{c[0]}-k{c[1]}-s{c[2]}-p{c[3]}")
def case(request):
    """One animation per case, built once for the tests that only read it."""
    shape, kshape, stride, padding = request.param
    image, k = _int_case(shape, kshape, 1)
    anim = animate.sliding_window(image, k, stride=stride, padding=padding)
    return anim, k, correlate2d(image, k, stride=stride, padding=padding)


def test_frame_count_equals_number_of_output_positions(case):
    anim, _, out = case
    assert anim.frame_positions == _expected_positions(out.shape)
    assert len(list(anim.new_saved_frame_seq())) == out.size


def test_sum_drawn_at_each_frame_equals_correlate2d(case):
    anim, k, out = case
    for n, (r, c) in enumerate(anim.frame_positions):
        anim.draw_frame(n)
        equation = anim.sum_text.get_text()
        assert equation.startswith(f"output[{r}, {c}] =")
        assert _number(equation) == out[r, c]
        assert _number("=" + anim.output_texts[r, c].get_text()) == out[r, c]
        terms = re.findall(r"\(?(\u2212?\d+)\)?\u00b7\(?(\u2212?\d+)\)?", equation)
        assert len(terms) == k.size  # every product is written out
        products = [int(a.replace("\u2212", "-")) * int(b.replace("\u2212", "-")) for a, b in terms]
        assert sum(products) == out[r, c]


def test_output_fills_in_raster_order_up_to_the_current_cell():
    image, k = _int_case((6, 6), (3, 3), 2)
    anim = animate.sliding_window(image, k)
    anim.draw_frame(5)  # position (1, 1) of a 4x4 output
    filled = np.array([[t.get_text() != "" for t in row] for row in anim.output_texts])
    assert filled.sum() == 6 and filled[1, 1] and not filled[1, 2]


@pytest.mark.parametrize("seed", [0, 1])
def test_float_image_sum_matches_to_the_printed_precision(seed):
    rng = np.random.default_rng(seed)
    image, k = rng.random((5, 6)), rng.normal(size=(3, 3))
    anim = animate.sliding_window(image, k, padding=1)
    out = correlate2d(image, k, padding=1)
    for n, (r, c) in enumerate(anim.frame_positions):
        anim.draw_frame(n)
        assert _number(anim.sum_text.get_text()) == pytest.approx(out[r, c], rel=1e-3, abs=1e-3)


@pytest.mark.parametrize("max_frames, expected", [(None, 40), (7, 7)])
def test_large_image_shows_a_capped_number_of_frames_with_correct_sums(max_frames, expected):
    rng = np.random.default_rng(3)
    image = rng.random((40, 50))
    anim = animate.sliding_window(image, kernel("sobel_x"), padding=1, max_frames=max_frames)
    out = correlate2d(image, kernel("sobel_x"), padding=1)
    assert len(anim.frame_positions) == expected
    assert anim.frame_positions[0] == (0, 0) and anim.frame_positions[-1] == (39, 49)
    for n in (0, expected // 2, expected - 1):
        anim.draw_frame(n)
        r, c = anim.frame_positions[n]
        assert _number(anim.sum_text.get_text()) == pytest.approx(out[r, c], rel=1e-3, abs=1e-3)


def test_blitted_frames_match_a_full_redraw():
    image, k = _int_case((5, 5), (3, 3), 4)
    anim = animate.sliding_window(image, k, padding=1)
    fast = animate.render_frames(anim, [0, 4, 13])
    for n, im in zip([0, 4, 13], fast):
        anim.draw_frame(n)
        full = playback._png_to_array(playback._figure_png(anim.figure, anim.figure.dpi))[..., :3]
        got = np.asarray(im)
        assert got.shape == full.shape
        assert np.mean(np.abs(got.astype(int) - full.astype(int)) > 40) < 0.004  # edge pixels


def test_blitted_frames_of_a_large_image_match_a_full_redraw():
    image = np.random.default_rng(14).random((30, 40))
    anim = animate.sliding_window(image, kernel("sobel_x"), padding=1, max_frames=4)
    fast = animate.render_frames(anim, [0, 3])
    for n, im in zip([0, 3], fast):  # the zoom's title, redrawn each frame, included
        anim.draw_frame(n)
        full = playback._png_to_array(playback._figure_png(anim.figure, anim.figure.dpi))[..., :3]
        got = np.asarray(im)
        assert got.shape == full.shape
        assert np.mean(np.abs(got.astype(int) - full.astype(int)) > 40) < 0.004


def _strip_frames(html):
    return re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", html)


def _wide_frames(html):
    """Base64 PNGs of the player's wide frames: the <img>'s, then those of its JSON (a
    second set, for phones, is the <source>'s and the JSON's "narrow")."""
    first = re.search(r'<img class="cnnlib-frame" src="data:image/png;base64,([^"]+)"', html)
    data = json.loads(re.search(r'class="cnnlib-frame-data">(.*?)</script>', html,
                                re.S).group(1).replace("<\\/", "</"))
    return [first.group(1)] + [u.split(",", 1)[1] for u in data["src"]]


def test_player_holds_every_frame_references_nothing_external_and_closes_the_figure():
    plt.close("all")
    image, k = _int_case((4, 4), (2, 2), 5)
    anim = animate.sliding_window(image, k)
    p = animate.player(anim)
    html = p._repr_html_()
    frames = _wide_frames(html)
    assert p.n_frames == len(frames) == 9
    assert len(set(frames)) == 9  # nine different pictures
    assert all(base64.b64decode(f)[:8] == b"\x89PNG\r\n\x1a\n" for f in frames)
    rest = _strip_frames(html).lower()
    assert "http" not in rest and "cdn" not in rest and "<link" not in rest
    assert not re.search(r"<script[^>]*\ssrc=", rest)
    assert 'type="range"' in rest and 'data-act="play"' in rest and 'data-act="next"' in rest
    assert plt.get_fignums() == []


def test_player_downsamples_frames_over_the_embed_limit_with_a_warning():
    image, k = _int_case((7, 7), (3, 3), 6)
    anim = animate.sliding_window(image, k, dpi=40)
    with pytest.warns(UserWarning, match="embed limit"):
        p = animate.player(anim, embed_limit=0.1)
    assert 1 < p.n_frames < 25
    assert len(p.data) < 0.1e6 * 1.1


def test_save_gif_has_one_frame_per_output_position(tmp_path):
    image, k = _int_case((5, 6), (3, 3), 7)
    anim = animate.sliding_window(image, k, dpi=40)
    path = animate.save_gif(anim, tmp_path / "conv.gif")
    with Image.open(path) as gif:
        assert gif.n_frames == output_size(5, 3) * output_size(6, 3)


def test_book_gif_is_sharpen_over_7x7_and_small(tmp_path):
    path = animate.render_conv_gif(tmp_path / "2d-conv-animation.gif")
    with Image.open(path) as gif:
        assert gif.n_frames == 25
    assert path.stat().st_size < 400_000


def test_param_player_has_one_frame_per_value():
    from cnnlib.viz.plot import show_kernel

    p = animate.param_player(lambda scale: show_kernel(scale * np.eye(3)), "scale", [1, 2, 3])
    assert p.n_frames == 3
    assert "scale = 1" in p.data and "scale = 3" in p.data
    frames = animate.param_frames(lambda scale: show_kernel(scale * np.eye(3)), "scale", [1, -1])
    assert not np.array_equal(frames[0], frames[1])


@pytest.mark.parametrize("call, error, match", [
    (lambda: animate.sliding_window(np.zeros((3, 3, 3)), np.ones((3, 3))), ValueError, r"\(H, W\)"),
    (lambda: animate.sliding_window(np.zeros((2, 2)), np.ones((3, 3))), ValueError, "larger"),
    (lambda: animate.sliding_window(np.zeros((5, 5)), np.ones(3)), ValueError, r"\(KH, KW\)"),
    (lambda: animate.sliding_window(np.zeros((0, 5)), np.ones((1, 1))), ValueError, "empty"),
    (lambda: animate.sliding_window(np.zeros((5, 5)), np.ones((3, 3)), max_frames=0),
     ValueError, "max_frames"),
    (lambda: animate.sliding_window(np.zeros((5, 5)), np.ones((3, 3)), stride=0),
     ValueError, "stride"),
    (lambda: animate.sliding_window(np.array([[1, np.nan], [0, 1]]), np.ones((1, 1))),
     ValueError, "NaN"),
    (lambda: animate.sliding_window(np.array([["a"]]), np.ones((1, 1))), TypeError, "numeric"),
    (lambda: animate.player("not an animation"), TypeError, "FuncAnimation"),
    (lambda: animate.save_gif(None, "x.gif"), TypeError, "FuncAnimation"),
    (lambda: animate.param_player(lambda v: None, "v", [1]), TypeError, "Figure"),
    (lambda: animate.param_player(lambda v: None, "v", []), ValueError, "empty"),
])
def test_bad_input_is_refused_with_a_clear_error(call, error, match):
    with pytest.raises(error, match=match):
        call()


def _cell_size_px(ax):
    """Width and height in pixels of one cell (one data unit) of a grid axes."""
    (x0, y0), (x1, y1) = ax.transData.transform([(0, 0), (1, 1)])
    return abs(x1 - x0), abs(y1 - y0)


@pytest.mark.parametrize("shape, kshape, stride, padding", [
    ((6, 6), (3, 3), 2, 0),      # a 2x2 output beside a 6x6 input: cells came out tall
    ((7, 7), (3, 3), 1, 0),      # the GIF's 5x5 output
    ((8, 6), (2, 2), (2, 1), "valid"),
])
def test_every_grid_of_the_small_layout_has_square_cells(shape, kshape, stride, padding):
    image, k = _int_case(shape, kshape, 8)
    anim = animate.sliding_window(image, k, stride=stride, padding=padding)
    fig = anim.figure
    fig.canvas.draw()
    grids = [ax for ax in fig.axes if ax.get_title()]  # input, kernel, products, output
    assert len(grids) == 4
    for ax in grids:
        assert ax.get_aspect() == 1.0
        width, height = _cell_size_px(ax)
        assert width == pytest.approx(height, rel=0.01), ax.get_title()
    plt.close(fig)


@pytest.mark.parametrize("shape, kshape, stride, padding", CASES[:4])
def test_sliding_window_frame_shows_the_sum_at_the_asked_position(shape, kshape, stride, padding):
    image, k = _int_case(shape, kshape, 9)
    out = correlate2d(image, k, stride=stride, padding=padding)
    r, c = out.shape[0] - 1, out.shape[1] // 2
    fig = animate.sliding_window_frame(image, k, (r, c), stride=stride, padding=padding)
    assert fig.position == (r, c)
    assert fig.sum_text.get_text().startswith(f"output[{r}, {c}] =")
    assert _number(fig.sum_text.get_text()) == out[r, c]
    # a frame index names the same frame as in the animation
    index = r * out.shape[1] + c
    same = animate.sliding_window_frame(image, k, index, stride=stride, padding=padding)
    assert same.position == (r, c) and same.sum_text.get_text() == fig.sum_text.get_text()
    assert plt.get_fignums() == []


def test_sliding_window_frame_reaches_a_position_that_frame_sampling_skips():
    image = np.random.default_rng(10).random((30, 30))
    out = correlate2d(image, kernel("sobel_x"))
    fig = animate.sliding_window_frame(image, kernel("sobel_x"), (1, 1), max_frames=5)
    assert fig.position == (1, 1)
    assert _number(fig.sum_text.get_text()) == pytest.approx(out[1, 1], rel=1e-3, abs=1e-3)


def test_sliding_window_frame_draws_like_the_animation():
    image, k = _int_case((5, 5), (3, 3), 11)
    anim = animate.sliding_window(image, k, padding=1, dpi=50)
    anim.draw_frame(7)
    want = playback._png_to_array(playback._figure_png(anim.figure, 50))
    fig = animate.sliding_window_frame(image, k, 7, padding=1, dpi=50)
    got = playback._png_to_array(playback._figure_png(fig, 50))
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("position, error, match", [
    ((3, 0), ValueError, "outside the 3x3 output"),
    (9, ValueError, "out of range"),
    ("(0, 0)", TypeError, "frame index"),
    ((0.5, 1), TypeError, "frame index"),
])
def test_sliding_window_frame_refuses_a_bad_position(position, error, match):
    with pytest.raises(error, match=match):
        animate.sliding_window_frame(np.ones((5, 5)), np.ones((3, 3)), position)


def test_player_renders_each_frame_once():
    image, k = _int_case((5, 5), (3, 3), 12)
    anim = animate.sliding_window(image, k, dpi=40)
    drawn = []
    draw = anim.draw_frame

    def counting(n):
        drawn.append(n)
        return draw(n)

    anim.draw_frame = counting
    p = animate.player(anim)
    # matplotlib sets up the figure with frame 0 before recording frames 0 to 8
    assert p.n_frames == 9 and drawn == [0] + list(range(9))


def test_player_frames_of_the_numbered_diagram_are_small_palette_pngs_that_look_the_same():
    image, k = _int_case((5, 5), (3, 3), 13)
    exact = playback._record(animate.sliding_window(image, k, dpi=50),
                             scale=playback.PIXEL_RATIO)[0]
    p = animate.player(animate.sliding_window(image, k, dpi=50))
    frames = _wide_frames(p.data)
    for n in (0, 4, 8):
        png = base64.b64decode(frames[n])
        with Image.open(io.BytesIO(png)) as im:
            assert im.mode == "P"
            got = np.asarray(im.convert("RGB")).astype(int)
        want = np.asarray(exact[n]).astype(int)
        assert got.shape == want.shape
        assert np.abs(got - want).mean() < 2
        assert np.mean(np.abs(got - want).max(axis=-1) > 24) < 0.002  # a few edge pixels
        assert len(png) < 0.7 * len(playback._to_png(exact[n]))
