"""Galleries and tables: how many panels, which numbers, which pixels are darkened."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402

from cnnlib.viz import gallery  # noqa: E402

RNG = np.random.default_rng(0)
FACES = RNG.random((5, 3, 12, 10))  # (N, 3, H, W), channels first as the data sets store them


def _shown(fig):
    return [ax for ax in fig.axes if ax.images]


@pytest.mark.parametrize("n, ncols, rows", [(5, 8, 1), (5, 2, 3), (16, 8, 2), (1, 4, 1)])
def test_show_gallery_draws_one_titled_panel_per_image(n, ncols, rows):
    images = RNG.random((n, 3, 6, 6))
    titles = [f"face {k}" for k in range(n)]
    fig = gallery.show_gallery(images, titles, ncols=ncols, suptitle="T")
    shown = _shown(fig)
    assert len(shown) == n and len(fig.axes) == rows * min(ncols, n)
    assert [ax.get_title() for ax in shown] == titles
    np.testing.assert_allclose(shown[-1].images[0].get_array(), images[-1].transpose(1, 2, 0))
    assert fig._suptitle.get_text() == "T" and plt.get_fignums() == []


@pytest.mark.parametrize("images", [FACES, FACES.transpose(0, 2, 3, 1), list(FACES)])
def test_show_gallery_takes_channels_first_or_last(images):
    fig = gallery.show_gallery(images)
    for ax, face in zip(_shown(fig), FACES):
        np.testing.assert_allclose(ax.images[0].get_array(), face.transpose(1, 2, 0))


def test_show_gallery_colours_titles_and_outlines_boxes_with_row_labels():
    boxes = [(0, 0, 4, 4), (2, 3, 9, 8), (-2, -2, 3, 3), (1, 1, 2, 2)]
    fig = gallery.show_gallery(FACES[:4], ["a", "b", "c", "d"], ncols=2, title_colors="#B2182B",
                               boxes=boxes, row_labels=["unit 3", "unit 5"])
    shown = _shown(fig)
    assert all(matplotlib.colors.to_hex(ax.title.get_color()) == "#b2182b" for ax in shown)
    for ax, (top, left, bottom, right) in zip(shown, boxes):
        (rect,) = ax.patches
        assert rect.get_xy() == (left - 0.5, top - 0.5) and rect.get_height() == bottom - top
    assert [shown[0].get_ylabel(), shown[2].get_ylabel()] == ["unit 3", "unit 5"]


@pytest.mark.parametrize("box", [(2, 3, 7, 9), (-3, -3, 5, 5), (8, 6, 15, 14)])
def test_show_receptive_fields_darkens_exactly_the_outside_of_each_box(box):
    image = np.ones((10, 10, 3))
    fig = gallery.show_receptive_fields(image, [box, (0, 0, 10, 10)], ["a", "whole image"],
                                        alpha=0.6)
    assert len(fig.axes) == 2
    shade = fig.axes[0].images[1].get_array()  # (H, W, 4): a black veil over the image
    inside = np.zeros((10, 10), bool)
    top, left, bottom, right = box
    inside[max(top, 0):bottom, max(left, 0):right] = True
    np.testing.assert_array_equal(shade[..., 3], np.where(inside, 0.0, 0.6))
    assert not shade[..., :3].any()
    assert not fig.axes[1].images[1].get_array()[..., 3].any()
    canvas = FigureCanvasAgg(fig)  # the rendered pixels: bright inside the box, dark outside
    canvas.draw()
    rgb = np.asarray(canvas.buffer_rgba())[..., :3].astype(float)
    ax = fig.axes[0]

    def pixel(i, j):
        x, y = ax.transData.transform((j, i))
        return rgb[int(canvas.get_width_height()[1] - y), int(x)].mean()

    out = next((i, j) for i in range(10) for j in range(10) if not inside[i, j])
    inn = ((max(top, 0) + min(bottom, 10) - 1) // 2, (max(left, 0) + min(right, 10) - 1) // 2)
    assert pixel(*inn) > 240 and pixel(*out) < 0.5 * 255


def test_show_unit_window_outlines_the_window_and_the_unit():
    fmap = np.arange(16.0).reshape(4, 4)
    fig = gallery.show_unit_window(FACES[0], (-1, 2, 7, 10), fmap, (2, 1))
    left, right = fig.axes
    assert left.patches[0].get_xy() == (1.5, -1.5) and left.patches[0].get_width() == 8
    assert right.patches[0].get_xy() == (0.5, 1.5) and right.patches[0].get_width() == 1
    assert "= 9.00" in right.get_title() and "8x8" in left.get_title()
    assert right.images[0].norm.vmin == 0 and right.images[0].norm.vmax == 15
    with pytest.raises(ValueError, match="outside"):
        gallery.show_unit_window(FACES[0], (0, 0, 3, 3), fmap, (4, 0))


def test_show_patch_grid_lays_patches_out_in_rows_with_white_lines():
    patches = RNG.random((3, 4, 3, 5, 5))  # (R, K, 3, h, w)
    fig = gallery.show_patch_grid(patches, row_labels=["u0", "u1", "u2"], gap=1)
    ax = fig.axes[0]
    mosaic = ax.images[0].get_array()
    assert mosaic.shape == (3 * 6 - 1, 4 * 6 - 1, 3)
    np.testing.assert_allclose(mosaic[6:11, 12:17], patches[1, 2].transpose(1, 2, 0))
    assert (mosaic[5] == 1).all() and (mosaic[:, 5] == 1).all()
    assert [t.get_text() for t in ax.get_yticklabels()] == ["u0", "u1", "u2"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["#1", "#2", "#3", "#4"]


def test_show_max_pool_writes_every_number_and_bolds_each_window_maximum():
    x = np.array([[1, 3, 0, 2], [4, 2, 1, 0], [0, 1, 7, 2], [2, 0, 3, 1]], dtype=float)
    fig = gallery.show_max_pool(x, 2)
    left, right = fig.axes
    texts = [t.get_text() for t in left.texts]
    assert texts == [str(int(v)) for v in x.ravel()]
    bold = [t.get_text() for t in left.texts if t.get_fontweight() == "bold"]
    assert bold == ["2", "4", "7", "2"]  # row by row: the maximum of each 2x2 window
    assert [t.get_text() for t in right.texts] == ["4", "2", "2", "7"]
    assert len(left.patches) == 4 and right.get_title().endswith("2x2")


@pytest.mark.parametrize("x, size, match", [
    (np.ones((5, 4)), 2, "multiples"), (np.ones(4), 2, "shape"), (-np.ones((2, 2)), 2, "nonnegative"),
    (np.ones((4, 4)), 0, "size"),
])
def test_show_max_pool_refuses_bad_input(x, size, match):
    with pytest.raises(ValueError, match=match):
        gallery.show_max_pool(x, size)


@pytest.mark.parametrize("cm", [np.array([[480, 20], [7, 493]]), np.array([[3, 0, 1], [2, 5, 0], [0, 0, 4]])])
def test_show_confusion_matrix_writes_each_count_and_its_row_share(cm):
    classes = ["cat", "dog", "fox"][:len(cm)]
    fig = gallery.show_confusion_matrix(cm, classes, suptitle="T")
    ax = fig.axes[0]
    counts = np.array([int(t.get_text().split("\n")[0]) for t in ax.texts]).reshape(cm.shape)
    np.testing.assert_array_equal(counts, cm)
    assert ax.texts[1].get_text().endswith(f"({cm[0, 1] / cm[0].sum():.1%} of cats)")
    assert [t.get_text() for t in ax.get_yticklabels()] == [f"true {c}" for c in classes]
    assert ax.images[0].get_cmap().name == gallery.COUNTS


@pytest.mark.parametrize("call, error", [
    (lambda: gallery.show_confusion_matrix(np.ones((2, 3), int), ["a", "b"]), ValueError),
    (lambda: gallery.show_confusion_matrix(np.array([[1, -1], [0, 2]]), ["a", "b"]), ValueError),
    (lambda: gallery.show_confusion_matrix(np.eye(2, dtype=int), ["a"]), ValueError),
    (lambda: gallery.show_gallery([]), ValueError),
    (lambda: gallery.show_gallery(FACES, ["one"]), ValueError),
    (lambda: gallery.show_gallery(FACES, boxes=[(0, 0, 2, 2)]), ValueError),
    (lambda: gallery.show_gallery(FACES, ncols=0), ValueError),
    (lambda: gallery.show_gallery("faces.png"), TypeError),
    (lambda: gallery.show_gallery(np.ones((2, 5))), ValueError),
    (lambda: gallery.show_receptive_fields(FACES[0], [(2, 2, 1, 1)]), ValueError),
    (lambda: gallery.show_patch_grid(np.ones((3, 5, 5))), ValueError),
])
def test_bad_input_is_refused_with_a_clear_error(call, error):
    with pytest.raises(error):
        call()
