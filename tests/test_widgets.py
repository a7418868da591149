"""The kernel editor recomputes its map from the boxes; explore and its static twin agree."""

import base64
import io
import json
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

pytest.importorskip("ipywidgets")

from cnnlib.conv import correlate2d  # noqa: E402
from cnnlib.filters import KERNELS  # noqa: E402
from cnnlib.viz import plot, widgets  # noqa: E402

IMAGE = np.random.default_rng(0).random((24, 20)).astype(np.float32)


@pytest.mark.parametrize("name", sorted(KERNELS))
def test_kernel_editor_builds_with_every_preset(name):
    ed = widgets.kernel_editor(IMAGE, preset=name)
    np.testing.assert_allclose(ed.kernel, KERNELS[name], rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(ed.feature_map, correlate2d(IMAGE, ed.kernel, padding="same"),
                               rtol=1e-5, atol=1e-5)
    assert ed.map_png[:8] == b"\x89PNG\r\n\x1a\n"
    assert name in ed.description.value


@pytest.fixture
def editor():
    return widgets.kernel_editor(IMAGE, preset="identity")


def test_changing_a_weight_through_its_box_updates_the_map(editor):
    before_png, before = editor.map_png, editor.feature_map.copy()
    editor.weights[0][2].value = -3.0  # what typing into the box does
    assert editor.kernel[0, 2] == -3.0
    expected = correlate2d(IMAGE, editor.kernel, padding="same")
    np.testing.assert_allclose(editor.feature_map, expected, rtol=1e-5, atol=1e-5)
    assert not np.allclose(editor.feature_map, before)
    assert editor.map_png != before_png
    assert editor.preset.value == "custom"


def test_the_drawn_map_is_the_computed_map(editor):
    editor.set_weight(1, 1, 2.5)
    drawn = plt.imread(io.BytesIO(editor.map_png), format="png")
    factor = drawn.shape[0] // IMAGE.shape[0]
    assert drawn.shape[:2] == (IMAGE.shape[0] * factor, IMAGE.shape[1] * factor)
    top = editor.feature_map.max()
    assert editor.colors == (plot.SEQUENTIAL, 0.0, pytest.approx(top))
    expected = matplotlib.colormaps[plot.SEQUENTIAL](editor.feature_map / top)[..., :3]
    np.testing.assert_allclose(drawn[::factor, ::factor, :3], expected, atol=1 / 255 + 1e-6)


def test_choosing_a_preset_loads_its_weights(editor):
    editor.preset.value = "sobel_x"
    np.testing.assert_allclose(editor.kernel, KERNELS["sobel_x"])
    cmap, lo, hi = editor.colors
    assert cmap == plot.DIVERGING and lo == -hi == -np.abs(editor.feature_map).max()


def test_relu_and_normalise_toggles(editor):
    editor.preset.value = "sobel_y"
    editor.relu.value = True
    assert editor.feature_map.min() >= 0
    editor.relu.value = False
    editor.preset.value = "custom"
    for i in range(3):
        for j in range(3):
            editor.set_weight(i, j, 2.0)
    editor.normalise.value = True
    assert editor.kernel.sum() == pytest.approx(1.0)
    np.testing.assert_allclose(editor.feature_map, correlate2d(IMAGE, np.full((3, 3), 1 / 9),
                                                               padding="same"), atol=1e-5)


def test_normalise_kernel_scales_zero_sum_kernels_by_their_positive_weights():
    k = widgets.normalise_kernel(KERNELS["sobel_x"])
    assert k[k > 0].sum() == pytest.approx(1.0) and k.sum() == pytest.approx(0.0)


def test_5x5_editor_holds_the_preset_in_its_centre():
    ed = widgets.kernel_editor(IMAGE, size=5, preset="laplacian")
    assert ed.kernel.shape == (5, 5)
    np.testing.assert_allclose(ed.kernel[1:4, 1:4], KERNELS["laplacian"])
    assert not ed.kernel[0].any() and not ed.kernel[:, 4].any()


@pytest.mark.parametrize("kwargs, error", [
    (dict(size=4), ValueError), (dict(preset="nope"), ValueError),
])
def test_kernel_editor_refuses_bad_options(kwargs, error):
    with pytest.raises(error):
        widgets.kernel_editor(IMAGE, **kwargs)


def test_kernel_editor_refuses_a_colour_image_and_non_numbers():
    with pytest.raises(ValueError, match="to_gray"):
        widgets.kernel_editor(np.zeros((8, 8, 3)))
    with pytest.raises(TypeError, match="numeric"):
        widgets.kernel_editor(np.array([["a", "b"], ["c", "d"]]))
    with pytest.raises(TypeError, match="callable"):
        widgets.explore("not a function", k=[1, 2])


def _draw(k, sign=1.0):
    return plot.show_kernel(sign * k * np.eye(3), f"k = {k}")


def _png_array(png):
    return plt.imread(io.BytesIO(png), format="png")


@pytest.mark.parametrize("value", [0.5, 2.0, 3.0])
def test_explore_and_its_static_twin_draw_the_same_figure(value):
    values = [0.5, 2.0, 3.0]
    live = widgets.explore(_draw, k=values, sign=-1.0)
    slider = live.children[0]
    assert [v for _, v in slider.options] == values
    slider.value = value
    buf = io.BytesIO()
    live.result.savefig(buf, format="png", dpi=80)
    twin = widgets.static_twin(_draw, k=values, sign=-1.0, dpi=80)
    frames = re.findall(r"data:image/png;base64,([A-Za-z0-9+/=]+)", twin.data)
    assert twin.n_frames == len(frames) == 3
    np.testing.assert_array_equal(_png_array(base64.b64decode(frames[values.index(value)])),
                                  _png_array(buf.getvalue()))


def test_explore_passes_fixed_values_and_offers_a_dropdown_for_names():
    calls = []

    def draw(name, scale):
        calls.append((name, scale))
        return plot.show_kernel(scale * KERNELS[name])

    live = widgets.explore(draw, name=["sobel_x", "sharpen"], scale=2.0)
    live.children[0].value = "sharpen"
    assert calls[-1] == ("sharpen", 2.0)
    assert type(live.children[0]).__name__ == "Dropdown"


@pytest.mark.parametrize("params, match", [
    (dict(a=[1, 2], b=[3, 4]), "one parameter"),
    (dict(a=3), "list of values"),
    (dict(a=[]), "no values"),
])
def test_static_twin_needs_exactly_one_list_of_values(params, match):
    with pytest.raises(ValueError, match=match):
        widgets.static_twin(lambda **kw: None, **params)


def test_kernel_gallery_steps_through_the_presets():
    p = widgets.kernel_gallery(IMAGE, ["sobel_x", "box_blur"], dpi=30)
    assert p.n_frames == 2 and "sobel_x" in p.data and "box_blur" in p.data


def test_with_twin_displays_the_widget_live_and_the_player_as_html():
    values = [1.0, 2.0]
    out = widgets.explore_with_twin(_draw, k=values)
    bundle = out._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/html"] == out.twin.data
    assert out.twin.n_frames == 2
    editor = widgets.kernel_editor(IMAGE)
    paired = widgets.with_twin(editor, widgets.kernel_gallery(IMAGE, ["sharpen"], dpi=30))
    assert "application/vnd.jupyter.widget-view+json" in paired._repr_mimebundle_()
    with pytest.raises(TypeError):
        widgets.with_twin(object(), paired.twin)


def _player_labels(player):
    return json.loads(re.search(r"var labels = (\[.*?\]);", player.data).group(1))


def _draw_named(name):
    return plot.show_kernel(KERNELS[name], name)


def test_static_twin_captions_a_string_value_with_the_value_alone():
    names = ["vertical_line_zero_sum", "sobel_x"]
    twin = widgets.static_twin(_draw_named, name=names, dpi=20)
    assert _player_labels(twin) == names
    numeric = widgets.static_twin(_draw, k=[0.5, 2.0], dpi=20)
    assert _player_labels(numeric) == ["k = 0.5", "k = 2"]


def test_static_twin_and_explore_with_twin_pass_labels_through():
    twin = widgets.static_twin(_draw, k=[0.5, 2.0], labels=["half", "double"], dpi=20)
    assert _player_labels(twin) == ["half", "double"]
    both = widgets.explore_with_twin(_draw, k=[0.5, 2.0], labels=["a", "b"], dpi=20)
    assert _player_labels(both.twin) == ["a", "b"]
    with pytest.raises(ValueError, match="labels"):
        widgets.static_twin(_draw, k=[0.5, 2.0], labels=["only one"], dpi=20)


def test_explore_dropdown_shows_names_without_quotes():
    live = widgets.explore(_draw_named, name=["sobel_x", "sharpen"])
    assert [label for label, _ in live.children[0].options] == ["sobel_x", "sharpen"]


def _bright_with_a_faint_line():
    image = np.full((16, 20), 0.9, dtype=np.float32)
    image[:, 9] = 1.0
    return image


def test_kernel_gallery_frame_writes_the_kernel_weights_beside_the_map():
    fig = widgets.kernel_gallery_frame(IMAGE, "sobel_x")
    ax_in, ax_k, ax_map = [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]
    k = KERNELS["sobel_x"]
    cells = {(round(t.get_position()[1]), round(t.get_position()[0])): t.get_text()
             for t in ax_k.texts}
    assert cells == {(i, j): plot.format_number(k[i, j], digits=2)
                     for i in range(3) for j in range(3)}
    np.testing.assert_allclose(ax_map.images[0].get_array(),
                               correlate2d(IMAGE, k, padding="same"), rtol=1e-6)
    assert fig._suptitle.get_text() == "sobel_x"


@pytest.mark.parametrize("padding", ["same", "valid"])
def test_kernel_gallery_frame_scales_colours_to_the_map_of_its_padding(padding):
    image = _bright_with_a_faint_line()
    fig = widgets.kernel_gallery_frame(image, "vertical_line_zero_sum", padding=padding)
    ax_map = [ax for ax in fig.axes if ax.get_label() != "<colorbar>"][2]
    fmap = correlate2d(image, KERNELS["vertical_line_zero_sum"], padding=padding)
    lim = np.abs(fmap).max()
    assert ax_map.images[0].get_clim() == pytest.approx((-lim, lim))
    if padding == "valid":  # the faint line, not the zero-padding border, sets the scale
        assert lim == pytest.approx(3 * 2 * 0.1, rel=1e-5)
        assert ax_map.images[0].get_array().shape == (14, 18)
    else:
        assert lim > 2.5


def test_kernel_gallery_takes_padding_and_relu():
    image = _bright_with_a_faint_line()
    same = widgets.kernel_gallery(image, ["vertical_line_zero_sum"], dpi=30)
    valid = widgets.kernel_gallery(image, ["vertical_line_zero_sum"], padding="valid", dpi=30)
    assert same.n_frames == valid.n_frames == 1 and same.data != valid.data
    with pytest.raises(ValueError, match="unknown kernel"):
        widgets.kernel_gallery_frame(image, "no_such_kernel")
    with pytest.raises(ValueError, match="padding"):
        widgets.kernel_gallery(image, ["sobel_x"], padding="full", dpi=30)


def _draw_scaled(k, weights):
    return plot.show_kernel(k * np.asarray(weights), f"k = {k}")


def test_explore_and_static_twin_pass_a_fixed_array_unchanged():
    weights = np.arange(9.0).reshape(3, 3)
    seen = []

    def draw(k, weights):
        seen.append(weights)
        return _draw_scaled(k, weights)

    live = widgets.explore(draw, k=[1.0, 2.0], weights=weights)
    assert len(live.children) == 2  # the slider for k and the output: no control for weights
    live.children[0].value = 2.0
    assert seen[-1] is weights
    twin = widgets.static_twin(draw, k=[1.0, 2.0], weights=weights, dpi=40)
    assert twin.n_frames == 2 and all(w is weights for w in seen)
    both = widgets.explore_with_twin(draw, k=[1.0, 2.0], weights=weights, dpi=40)
    assert both.twin.n_frames == 2 and seen[-1] is weights


@pytest.mark.parametrize("fixed", [np.ones(4), np.ones((2, 2)), "abc", {"a": 1}, 3.5])
def test_only_lists_tuples_and_ranges_vary(fixed):
    varying, constant = widgets._split_params(dict(a=(1, 2), b=range(3), c=fixed))
    assert varying == {"a": [1, 2], "b": [0, 1, 2]}
    assert constant["c"] is fixed


def test_static_twin_refuses_an_array_as_the_only_parameter():
    with pytest.raises(ValueError, match="list of values"):
        widgets.static_twin(lambda a: None, a=np.arange(3))


def test_explore_leaves_undeclared_defaults_alone():
    default = np.linspace(0, 1, 9).reshape(3, 3)
    seen = []

    def draw(k, weights=default, title="kernel", *, scale=1.0):
        seen.append((weights, title, scale))
        return _draw_scaled(k * scale, weights)

    live = widgets.explore(draw, k=[1.0, 3.0])
    assert len(live.children) == 2  # one slider, one output
    live.children[0].value = 3.0
    assert seen[-1][0] is default and seen[-1][1:] == ("kernel", 1.0)
    assert live.kwargs == {"k": 3.0, "weights": default, "title": "kernel", "scale": 1.0}


def test_explore_with_twin_leaves_undeclared_defaults_alone():
    default = np.eye(3)
    both = widgets.explore_with_twin(lambda k, weights=default: _draw_scaled(k, weights),
                                     k=[1.0, 2.0], dpi=40)
    assert len(both.live.children) == 2 and both.twin.n_frames == 2
