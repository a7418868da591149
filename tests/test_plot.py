"""Static figures: what each draws, in which colours, and how bad input is refused."""

import io
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from cnnlib.filters import KERNELS  # noqa: E402
from cnnlib.viz import plot  # noqa: E402


def _cell_rgba(fig, ax_index=0):
    image = fig.axes[ax_index].images[0]
    return image.cmap(image.norm(image.get_array()))


@pytest.mark.parametrize("value, text", [
    (7.0, "7"), (-1, "\u22121"), (1 / 9, "1/9"), (-2 / 16, "\u22121/8"), (0.123456, "0.123"),
    (1e-7, "1e\u221207"), (12.0000000001, "12"),
])
def test_format_number_writes_short_labels(value, text):
    assert plot.format_number(value) == text


def test_format_number_can_refuse_fractions():
    assert plot.format_number(7 / 3, fractions=False) == "2.33"


def test_show_kernel_writes_every_weight_in_its_cell():
    k = np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], dtype=float)
    fig = plot.show_kernel(k, "sharpen")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    cells = {(round(t.get_position()[1]), round(t.get_position()[0])): t.get_text()
             for t in ax.texts}
    assert cells == {(i, j): plot.format_number(k[i, j]) for i in range(3) for j in range(3)}


def test_show_kernel_colours_by_sign_centred_at_zero():
    k = np.array([[-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0], [0.5, 0.0, -0.5]])
    fig = plot.show_kernel(k)
    rgba = _cell_rgba(fig)
    image = fig.axes[0].images[0]
    assert image.get_clim() == (-2.0, 2.0)
    assert rgba[0, 2, 0] > rgba[0, 2, 2]  # positive: red
    assert rgba[0, 0, 2] > rgba[0, 0, 0]  # negative: blue
    assert np.allclose(rgba[0, 1, :3], rgba[0, 1, :3].mean(), atol=0.05)  # zero: neutral


def test_show_kernel_text_is_readable_on_its_cell():
    k = np.array([[-4.0, 0.0, 4.0]])
    fig = plot.show_kernel(k)
    colors = [t.get_color() for t in sorted(fig.axes[0].texts, key=lambda t: t.get_position()[0])]
    assert colors == ["white", "black", "white"]


def test_show_kernel_accepts_a_name():
    fig = plot.show_kernel("sobel_x")
    assert fig.axes[0].get_title() == "sobel_x"
    assert len(fig.axes[0].texts) == KERNELS["sobel_x"].size


def test_show_kernels_shares_one_scale():
    fig = plot.show_kernels([np.eye(3), -3 * np.eye(3)], ["a", "b"])
    clims = {ax.images[0].get_clim() for ax in fig.axes if ax.images}
    assert clims == {(-3.0, 3.0)}


@pytest.mark.parametrize("k", [2, 3, 5])
def test_show_feature_maps_signed_maps_share_a_symmetric_diverging_scale(k):
    rng = np.random.default_rng(k)
    maps = rng.normal(size=(k, 8, 9)) * np.arange(1, k + 1)[:, None, None]
    fig = plot.show_feature_maps(maps, [f"map {i}" for i in range(k)])
    images = [ax.images[0] for ax in fig.axes if ax.images]
    m = np.abs(maps).max()
    assert len(images) == k
    for im in images:
        assert im.cmap.name == plot.DIVERGING
        assert im.get_clim() == pytest.approx((-m, m))
    assert [ax.get_title() for ax in fig.axes if ax.images] == [f"map {i}" for i in range(k)]
    assert any(ax.get_label() == "<colorbar>" for ax in fig.axes)


def test_show_feature_maps_nonnegative_maps_use_a_sequential_map_from_zero():
    maps = np.abs(np.random.default_rng(0).normal(size=(3, 6, 6)))
    fig = plot.show_feature_maps(maps)
    for ax in fig.axes:
        if ax.images and ax.get_label() != "<colorbar>":
            assert ax.images[0].cmap.name == plot.SEQUENTIAL
            assert ax.images[0].get_clim() == pytest.approx((0, maps.max()))


def test_show_feature_maps_negative_values_are_not_clamped_to_black():
    maps = np.array([[[-1.0, 0.0], [0.5, 1.0]]])
    fig = plot.show_feature_maps(maps)
    rgba = _cell_rgba(fig)
    assert rgba[0, 0, :3].sum() > 0.3  # a strong negative is a visible blue, not black
    assert rgba[0, 0, 2] > rgba[0, 0, 0]


def test_show_side_by_side_draws_the_image_as_a_photo_and_maps_diverging():
    rng = np.random.default_rng(1)
    image = rng.random((10, 12))
    v, h = rng.normal(size=(2, 10, 12))
    fig = plot.show_side_by_side([image, v, h], ["original", "vertical", "horizontal"])
    panels = [ax for ax in fig.axes if ax.images and ax.get_label() != "<colorbar>"]
    assert [ax.get_title() for ax in panels] == ["original", "vertical", "horizontal"]
    assert panels[0].images[0].get_clim() == (0.0, 1.0)
    assert panels[0].images[0].cmap.name == "gray"
    lim = max(np.abs(v).max(), np.abs(h).max())
    assert panels[1].images[0].get_clim() == pytest.approx((-lim, lim))
    assert panels[2].images[0].get_clim() == pytest.approx((-lim, lim))


def test_show_image_keeps_gray_range_and_accepts_colour():
    fig = plot.show_image(np.full((4, 4), 0.5))
    assert fig.axes[0].images[0].get_clim() == (0.0, 1.0)
    fig = plot.show_image(np.random.default_rng(0).random((4, 5, 3)))
    assert fig.axes[0].images[0].get_array().shape == (4, 5, 3)


def test_figures_carry_suptitle_and_caption_and_are_not_left_open():
    plt.close("all")
    figs = [
        plot.show_image(np.zeros((3, 3)), suptitle="T", caption="C"),
        plot.show_kernel(np.eye(3), suptitle="T", caption="C"),
        plot.show_feature_maps(np.ones((2, 3, 3)), suptitle="T", caption="C"),
        plot.show_side_by_side([np.zeros((3, 3)), np.ones((3, 3))], suptitle="T", caption="C"),
    ]
    for fig in figs:
        assert fig._suptitle.get_text() == "T"
        assert fig._supxlabel.get_text() == "C"
    assert plt.get_fignums() == []  # each displays once in a notebook, never twice


@pytest.mark.parametrize("call, error", [
    (lambda: plot.show_feature_maps([]), ValueError),
    (lambda: plot.show_feature_maps(np.ones((2, 3, 3)), ["only one"]), ValueError),
    (lambda: plot.show_kernel(np.ones((2, 3, 3))), ValueError),
    (lambda: plot.show_kernel("no_such_kernel"), ValueError),
    (lambda: plot.show_image("river.png"), TypeError),
    (lambda: plot.show_image(np.zeros((0, 3))), ValueError),
    (lambda: plot.show_image(np.array([["a"]])), TypeError),
])
def test_bad_input_is_refused_with_a_clear_error(call, error):
    with pytest.raises(error):
        call()


def _panels(fig):
    return [ax for ax in fig.axes if ax.images and ax.get_label() != "<colorbar>"]


def test_show_side_by_side_draws_an_all_zero_difference_as_a_map_not_a_black_photo():
    rng = np.random.default_rng(2)
    image, fmap = rng.random((8, 8)), rng.normal(size=(8, 8))
    fig = plot.show_side_by_side([image, fmap, fmap - fmap], ["input", "map", "difference"])
    panels = _panels(fig)
    assert panels[0].images[0].cmap.name == "gray"
    diff = panels[2].images[0]
    assert diff.cmap.name == plot.DIVERGING
    assert diff.get_clim() == panels[1].images[0].get_clim()
    rgba = diff.cmap(diff.norm(diff.get_array()))
    assert rgba[..., :3].min() > 0.9  # zero is white on the diverging scale, not black


def test_show_side_by_side_draws_the_relu_of_a_signed_panel_as_a_map():
    rng = np.random.default_rng(3)
    fmap = rng.normal(size=(8, 8)) * 0.3  # after ReLU its values lie in [0, 1]
    after = np.maximum(fmap, 0)
    assert after.max() <= 1
    fig = plot.show_side_by_side([fmap, after], ["map", "after ReLU"])
    images = [ax.images[0] for ax in _panels(fig)]
    assert [im.cmap.name for im in images] == [plot.DIVERGING, plot.DIVERGING]
    assert images[0].get_clim() == images[1].get_clim()


@pytest.mark.parametrize("kinds, cmaps", [
    (["image", "map"], ["gray", plot.SEQUENTIAL]),
    ("map", [plot.SEQUENTIAL, plot.SEQUENTIAL]),
    ("image", ["gray", "gray"]),
    (None, ["gray", "gray"]),   # both lie in [0, 1]: auto cannot tell, so both are images
])
def test_show_side_by_side_kinds_say_which_panel_is_an_image(kinds, cmaps):
    rng = np.random.default_rng(4)
    image = rng.random((6, 7))
    relu_map = np.maximum(rng.normal(size=(6, 7)) * 0.2, 0)
    fig = plot.show_side_by_side([image, relu_map], ["input", "after ReLU"], kinds=kinds)
    assert [ax.images[0].cmap.name for ax in _panels(fig)] == cmaps
    if kinds == ["image", "map"]:
        assert _panels(fig)[1].images[0].get_clim() == pytest.approx((0, relu_map.max()))
        assert any(ax.get_label() == "<colorbar>" for ax in fig.axes)


@pytest.mark.parametrize("kinds, error, match", [
    (["image"], ValueError, "2 panels"),
    (["image", "photo"], ValueError, "kinds\\[1\\]"),
    ("picture", ValueError, "kinds\\[0\\]"),
    (3, TypeError, "kinds"),
])
def test_show_side_by_side_refuses_bad_kinds(kinds, error, match):
    with pytest.raises(error, match=match):
        plot.show_side_by_side([np.zeros((3, 3)), np.ones((3, 3))], kinds=kinds)


def test_show_side_by_side_refuses_a_colour_image_as_a_map():
    with pytest.raises(ValueError, match="colour image"):
        plot.show_side_by_side([np.zeros((3, 3, 3)), np.ones((3, 3))], kinds=["map", "map"])


@pytest.mark.parametrize("box", [(1, 2, 4, 7), (-2, -1, 3, 2), (5, 6, 12, 12)])
def test_show_image_outlines_the_box_it_is_given(box):
    fig = plot.show_image(np.zeros((8, 10)), box=box)
    ax = fig.axes[0]
    (rect,) = ax.patches
    top, left, bottom, right = box
    assert rect.get_xy() == (left - 0.5, top - 0.5)
    assert (rect.get_width(), rect.get_height()) == (right - left, bottom - top)
    assert matplotlib.colors.to_hex(rect.get_edgecolor()) == plot.HIGHLIGHT.lower()
    assert ax.get_xlim() == (-0.5, 9.5) and ax.get_ylim() == (7.5, -0.5)  # the image, not the box


@pytest.mark.parametrize("box, error", [
    ((1, 2, 3), ValueError), ((3, 0, 1, 2), ValueError), ("abcd", TypeError), (None, TypeError),
])
def test_draw_box_refuses_a_bad_box(box, error):
    fig = plot.show_image(np.zeros((4, 4)))
    with pytest.raises(error, match="box"):
        plot.draw_box(fig.axes[0], box)


# ------------------------------------------------------- one size rule for every figure
def test_figures_display_at_their_size_with_twice_the_pixels():
    from PIL import Image
    fig = plot.show_side_by_side([np.eye(8), -np.eye(8)], ["image", "map"])
    data, meta = fig._repr_mimebundle_()
    width, height = meta["image/png"]["width"], meta["image/png"]["height"]
    with Image.open(io.BytesIO(data["image/png"])) as im:
        assert abs(im.size[0] - plot.PIXEL_RATIO * width) <= 1  # odd pixel counts round
        assert abs(im.size[1] - plot.PIXEL_RATIO * height) <= 1
    assert width <= plot.COLUMN_WIDTH * plot.CSS_DPI + 10  # fits the book's column


def test_every_text_of_a_figure_is_at_least_the_minimum_size():
    from matplotlib.text import Text
    fig = plot.show_feature_maps(np.random.default_rng(0).normal(size=(6, 8, 8)),
                                 [f"map {i}" for i in range(6)], suptitle="maps")
    fig.canvas.draw()  # tick labels of the colour bar are made while drawing
    sizes = [t.get_fontsize() for t in fig.findobj(Text) if t.get_text()]
    assert sizes and min(sizes) >= plot.MIN_FONT


@pytest.mark.parametrize("draw", [
    lambda: plot.show_side_by_side([np.eye(8), -np.eye(8)], ["image", "map"]),
    lambda: plot.show_feature_maps(np.random.default_rng(1).random((3, 6, 6))),
])
def test_colour_bar_ticks_are_at_least_the_minimum_size(draw):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    fig = draw()
    FigureCanvasAgg(fig).draw()  # as the figure is drawn for the page
    bar = fig.axes[-1]
    sizes = [t.get_fontsize() for t in bar.get_yticklabels() if t.get_text()]
    assert sizes and min(sizes) >= plot.MIN_FONT


@pytest.mark.parametrize("n, ncols", [(16, 8), (8, None), (3, 3)])
def test_panels_that_do_not_fit_the_column_wrap_onto_more_rows(n, ncols):
    nrows, cols, (width, _) = plot.grid_layout(n, ncols=ncols, panel=2.6, min_panel=1.9)
    assert width <= plot.COLUMN_WIDTH + 1e-9
    assert width / cols >= 1.9 or cols == 1
    assert nrows * cols >= n and (nrows - 1) * cols < n


def test_wide_figure_sizes_are_scaled_to_the_column():
    fig = plot.show_kernel(np.arange(12.0).reshape(2, 6), figsize=(14, 4))
    assert fig.get_figwidth() == pytest.approx(plot.COLUMN_WIDTH)


@pytest.mark.parametrize("cell, chars", [(0.1, 6), (0.42, 3), (2.0, 1)])
def test_numbers_in_cells_are_never_smaller_than_the_minimum(cell, chars):
    assert plot.MIN_FONT <= plot.fit_fontsize(cell, chars) <= 18


def test_one_colour_rule():
    assert plot.colour_scale([np.array([0.2, 0.9])], image=True) == dict(
        cmap="gray", vmin=0.0, vmax=1.0)
    assert plot.colour_scale([np.array([-1.0, 3.0])]) == dict(
        cmap=plot.DIVERGING, vmin=-3.0, vmax=3.0)
    assert plot.colour_scale([np.array([0.0, 2.0])]) == dict(
        cmap=plot.SEQUENTIAL, vmin=0.0, vmax=2.0)


def test_a_diverging_colour_bar_marks_zero_and_says_white_is_zero():
    fig = plot.show_feature_maps([np.array([[-2.0, 1.0], [0.5, 3.0]])])
    bar = fig.axes[-1]
    assert "white = 0" in bar.get_ylabel()
    assert 0.0 in list(bar.get_yticks())


@pytest.mark.parametrize("width", range(8, 30))
def test_wrapped_text_never_splits_a_short_group_in_parentheses(width):
    text = "input: the 8x8 window of unit (13, 13), a map of shape (6, 6) (the sum of k x k)"
    lines = plot.fill(text, width).split("\n")
    assert " ".join(lines) == text  # nothing lost, nothing added
    for group in ("(13, 13),", "(6, 6)", "(the sum of k x k)"):
        if len(group) <= width:  # a group that fits on a line stays on one
            assert any(group in line for line in lines), (width, group, lines)
    assert max(len(line) for line in lines) <= width


def test_wrapped_text_splits_a_long_group_in_parentheses_like_any_words():
    text = "a note (which goes on for much longer than a line of the title can hold)"
    lines = plot.fill(text, 20).split("\n")
    assert " ".join(lines) == text and max(len(line) for line in lines) <= 20
