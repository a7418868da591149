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
from cnnlib.viz.plot import PIXEL_RATIO  # noqa: E402

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
    editor.weights[0][2].value = "-3"  # what typing into the box and Enter do
    assert editor.kernel[0, 2] == -3.0
    expected = correlate2d(IMAGE, editor.kernel, padding="same")
    np.testing.assert_allclose(editor.feature_map, expected, rtol=1e-5, atol=1e-5)
    assert not np.allclose(editor.feature_map, before)
    assert editor.map_png != before_png
    assert editor.preset.value == "custom"


def test_the_drawn_map_is_the_computed_map(editor):
    editor.scale.value = "fit to the map"
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
    assert editor.colors == (plot.DIVERGING, -IMAGE.max(), IMAGE.max())  # the input's range
    editor.scale.value = "fit to the map"
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
    slider = live.controls["k"]
    assert [v for _, v in slider.options] == values
    slider.value = value
    shown = _outputs_png(live)  # what the reader sees, drawn at the figure's dpi
    # the twin renders PIXEL_RATIO pixels per CSS pixel, like the figure itself
    twin = widgets.static_twin(_draw, k=values, sign=-1.0,
                               dpi=live.result.dpi / PIXEL_RATIO)
    first = re.search(r'<img class="cnnlib-frame" src="data:image/png;base64,([^"]+)"',
                      twin.data).group(1)
    rest = [u.split(",", 1)[1] for u in json.loads(re.search(
        r'class="cnnlib-frame-data">(.*?)</script>', twin.data).group(1))["src"]]
    frames = [first] + rest  # the wide frames (a phone's set is the <source>'s and "narrow")
    assert twin.n_frames == len(frames) == 3
    np.testing.assert_array_equal(_png_array(base64.b64decode(frames[values.index(value)])),
                                  shown)


def test_explore_passes_fixed_values_and_offers_a_dropdown_for_names():
    calls = []

    def draw(name, scale):
        calls.append((name, scale))
        return plot.show_kernel(scale * KERNELS[name])

    live = widgets.explore(draw, name=["sobel_x", "sharpen"], scale=2.0)
    live.controls["name"].value = "sharpen"
    assert calls[-1] == ("sharpen", 2.0)
    assert type(live.controls["name"]).__name__ == "Dropdown"


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


def _player_labels(player):
    data = re.search(r'class="cnnlib-frame-data">(.*?)</script>', player.data).group(1)
    return json.loads(data)["labels"]


def _draw_named(name):
    return plot.show_kernel(KERNELS[name], name)


def test_static_twin_captions_a_string_value_with_the_value_alone():
    names = ["vertical_line_zero_sum", "sobel_x"]
    twin = widgets.static_twin(_draw_named, name=names, dpi=20)
    assert _player_labels(twin) == names
    numeric = widgets.static_twin(_draw, k=[0.5, 2.0], dpi=20)
    assert _player_labels(numeric) == ["k = 0.5", "k = 2"]


def test_static_twin_passes_labels_through():
    twin = widgets.static_twin(_draw, k=[0.5, 2.0], labels=["half", "double"], dpi=20)
    assert _player_labels(twin) == ["half", "double"]
    with pytest.raises(ValueError, match="labels"):
        widgets.static_twin(_draw, k=[0.5, 2.0], labels=["only one"], dpi=20)


def test_explore_dropdown_shows_names_without_quotes():
    live = widgets.explore(_draw_named, name=["sobel_x", "sharpen"])
    assert [label for label, _ in live.controls["name"].options] == ["sobel_x", "sharpen"]


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
    assert list(live.controls) == ["k"]  # no control for weights
    assert len(live.widget.children) == 2  # the slider and the output
    live.controls["k"].value = 2.0
    assert seen[-1] is weights
    twin = widgets.static_twin(draw, k=[1.0, 2.0], weights=weights, dpi=40)
    assert twin.n_frames == 2 and all(w is weights for w in seen)


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
    assert len(live.widget.children) == 2  # one slider, one output
    live.controls["k"].value = 3.0
    assert seen[-1][0] is default and seen[-1][1:] == ("kernel", 1.0)
    assert live.kwargs == {"k": 3.0, "weights": default, "title": "kernel", "scale": 1.0}




def _outputs_png(live):
    images = [o["data"]["image/png"] for o in live.out.outputs
              if o["output_type"] == "display_data" and "image/png" in o["data"]]
    assert len(images) == 1, live.out.outputs
    return _png_array(base64.b64decode(images[0]))


def test_explore_shows_its_figure_in_the_output_when_built_and_after_each_change():
    live = widgets.explore(_draw, k=[0.5, 2.0, 3.0])
    first = _outputs_png(live)
    live.controls["k"].value = 3.0
    second = _outputs_png(live)
    assert len(live.out.outputs) == 1  # the new figure replaces the old one
    assert first.shape != second.shape or not np.array_equal(first, second)
    buf = io.BytesIO()
    _draw(3.0).savefig(buf, format="png")  # a fresh figure, drawn once as explore draws it
    np.testing.assert_array_equal(second, _png_array(buf.getvalue()))


def test_explore_shows_an_error_and_keeps_working():
    def draw(k):
        if k < 0:
            raise ValueError(f"k must be positive, got {k}")
        return _draw(k)

    live = widgets.explore(draw, k=[1.0, -1.0, 2.0])
    live.controls["k"].value = -1.0
    (output,) = live.out.outputs
    assert output["output_type"] == "stream" and output["name"] == "stderr"
    assert "k=-1.0" in output["text"] and "ValueError: k must be positive, got -1.0" in \
        output["text"]
    assert isinstance(live.error, ValueError)
    live.controls["k"].value = 2.0
    assert live.error is None and _outputs_png(live).size


def test_explore_says_when_the_function_returns_nothing():
    live = widgets.explore(lambda k: None, k=[1, 2])
    (output,) = live.out.outputs
    assert output["name"] == "stderr" and "returned None" in output["text"]


def test_explore_displays_other_objects_as_jupyter_would():
    live = widgets.explore(lambda name: widgets.static_twin(_draw_named, name=[name], dpi=20),
                           name=["sobel_x", "sharpen"])
    (output,) = live.out.outputs
    assert "text/html" in output["data"] and "sobel_x" in output["data"]["text/html"]


def test_explore_displays_itself_as_its_widget():
    live = widgets.explore(_draw, k=[1.0, 2.0])
    bundle = live._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == \
        live.widget.model_id


@pytest.mark.parametrize("text, value", [
    ("2", 2.0), (" -0.5 ", -0.5), ("1e-3", 1e-3), ("1/9", 1 / 9), ("\u22121/8", -0.125),
    ("3.4e38", 3.4e38),
])
def test_parse_weight_reads_numbers_and_fractions(text, value):
    assert widgets.parse_weight(text) == pytest.approx(value, rel=1e-12)


@pytest.mark.parametrize("text, match", [
    ("", "empty"), ("abc", "not a number"), ("1/0", "not a number"),
    ("nan", "not a finite"), ("-inf", "not a finite"), ("1e400", "not a finite"),
    ("1e39", "too large"),
])
def test_parse_weight_refuses_what_is_not_a_finite_float32(text, match):
    with pytest.raises(ValueError, match=match):
        widgets.parse_weight(text)


@pytest.mark.parametrize("text", ["", "abc", "1e39", "nan", "-inf"])
def test_a_bad_weight_says_so_keeps_the_map_and_the_editor_keeps_working(editor, text):
    before_png, before_kernel = editor.map_png, editor.kernel.copy()
    editor.set_weight(0, 1, text)
    assert "row 1, column 2" in editor.message.value
    assert "last valid kernel" in editor.message.value
    assert editor.map_png == before_png and editor.map_view.value == before_png
    np.testing.assert_array_equal(editor.kernel, before_kernel)
    editor.set_weight(0, 1, "1/2")
    assert editor.message.value == "" and editor.kernel[0, 1] == np.float32(0.5)
    assert editor.map_png != before_png


def test_a_kernel_whose_map_overflows_says_so_and_keeps_the_map(editor):
    editor.set_weight(1, 0, "3e38")  # large, but its map still fits in float32
    assert editor.message.value == ""
    before_png, before = editor.map_png, editor.feature_map.copy()
    editor.set_weight(1, 2, "3e38")  # now sums of two such products overflow
    assert "overflows" in editor.message.value and editor.map_png == before_png
    np.testing.assert_array_equal(editor.feature_map, before)


def test_presets_show_exact_fractions_and_otherwise_3_significant_digits(editor):
    editor.preset.value = "box_blur"
    assert {b.value for row in editor.weights for b in row} == {"1/9"}
    editor.preset.value = "gaussian_blur"
    assert [b.value for b in editor.weights[0]] == ["1/16", "1/8", "1/16"]
    assert widgets.format_number(0.123456, digits=3) == "0.123"


def test_normalise_visibly_changes_the_map_on_the_fixed_colour_scale(editor):
    editor.preset.value = "vertical_line"  # sums to 3: brighter than the input
    assert editor.scale.value == "fixed"
    bright_png, bright = editor.map_png, editor.feature_map.copy()
    assert editor.colors == (plot.SEQUENTIAL, 0.0, pytest.approx(IMAGE.max()))
    editor.normalise.value = True
    np.testing.assert_allclose(editor.feature_map, bright / 3, rtol=1e-5)
    assert editor.map_png != bright_png
    drawn = _png_array(editor.map_png)
    factor = drawn.shape[0] // IMAGE.shape[0]
    expected = widgets.colorize(editor.feature_map, *editor.colors) / 255
    np.testing.assert_allclose(drawn[::factor, ::factor, :3], expected, atol=1e-6)
    assert "normalised" in editor.map_title.value


def test_fit_to_the_map_stretches_the_colours(editor):
    editor.preset.value = "vertical_line"
    editor.scale.value = "fit to the map"
    assert editor.colors == (plot.SEQUENTIAL, 0.0, pytest.approx(editor.feature_map.max()))
    with pytest.raises(ValueError, match="scale"):
        widgets.editor_colors(editor.feature_map, "auto")
