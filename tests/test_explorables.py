"""Explorables: the Python side, conv.js against cnnlib, and every explorable in Chromium.

The JavaScript maths (``conv.js``) is checked against ``cnnlib.correlate2d`` on cases
exported from numpy. Each explorable is written to a test page exactly as a notebook cell
outputs it (its ``text/html`` form), opened over file:// and over HTTP with every request
off 127.0.0.1 blocked, and driven by typing, clicking, dragging and keys. When a built book
exists (``BOOK_HTML`` or ``_build/html``), the chapter pages that hold explorables are
driven the same way.
"""
import functools
import http.server
import json
import os
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import urlparse

import numpy as np
import pytest

import cnnlib as cl
from cnnlib.viz import explorables as ex

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
BOOK = Path(os.environ.get("BOOK_HTML", ROOT / "_build" / "html"))
STRIPE = np.zeros((6, 6))
STRIPE[:, 2] = 1
LINE = [[-1, 2, -1]] * 3


L_KERNEL = np.array([[1, 0, 0], [2, 0, 0], [3, 4, 5]], dtype=float)


def _shapes():
    x = np.zeros((24, 24))
    x[3:15, 4] = 1
    x[6, 8:18] = 1
    x[10:20, 14] = 1
    return x


def _backprop_data():
    """Chapter 9's example: the 6x6 stripe image, a kernel with no symmetry, a 4x4 g."""
    x = np.array([[1, 2, 7, 1, 0, 1], [0, 1, 8, 2, 1, 0], [1, 2, 9, 1, 0, 1],
                  [0, 1, 8, 2, 1, 1], [2, 1, 7, 1, 0, 0], [1, 2, 8, 1, 1, 0]], dtype=float)
    w = np.array([[1, 0, -1], [2, 1, 0], [0, -1, 3]], dtype=float)
    g = np.array([[1, 0, -1, 2], [0, 2, 1, 0], [-1, 0, 1, 1], [2, 1, 0, -2]], dtype=float)
    return x, w, g


def _impulse():
    x = np.zeros((5, 5))
    x[2, 2] = 1
    return x


def _sgd_data():
    rng = np.random.default_rng(0)
    patches = rng.normal(size=(32, 10, 10)).astype(np.float32)
    start = rng.normal(scale=0.5, size=(3, 3)).astype(np.float32)
    return patches, cl.kernel("vertical_line_zero_sum"), start


def _unit_net():
    rng = np.random.default_rng(0)
    return cl.Sequential(cl.Conv2D(3, 4, 3, padding=1, rng=rng), cl.ReLU(), cl.MaxPool2D(2),
                         cl.Conv2D(4, 6, 3, padding=1, rng=rng), cl.ReLU())


def _unit_data():
    net = _unit_net()
    image = np.random.default_rng(1).random((3, 16, 16)).astype(np.float32)
    acts = [a for _, a in cl.activations(net, image)]
    return image, {"layer 1": (acts[1], cl.receptive_field(net, 1)),
                   "layer 2": (acts[4], cl.receptive_field(net, 4))}


# ---------------------------------------------------------------- the Python side
def test_state_is_plain_json_data():
    editor = ex.KernelEditor(cl.river(size=32), "sobel_x")
    state = json.loads(json.dumps(editor.state()))
    assert state["kernel"] == [float(v) for v in cl.kernel("sobel_x").ravel()]
    np.testing.assert_array_equal(ex.decode_array(state["image"]),
                                  cl.river(size=32).astype(np.float32))


def test_bundle_has_widget_for_jupyter_and_html_for_the_book():
    data, _ = ex.ConvExplorer(STRIPE, LINE)._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in data
    html = data["text/html"]
    assert 'data-explorable="conv_explorer"' in html and "<script>" in html
    assert "http" not in re.sub(r"<[^>]+>", "", html.split("<script>")[0])
    assert "export default" in ex.ConvExplorer._esm


@pytest.mark.parametrize("kwargs, error, words", [
    ({"image": np.zeros((1, 1))}, ValueError, "at least 3x3"),
    ({"image": np.zeros((8, 8, 3))}, ValueError, "gray"),
    ({"image": np.full((8, 8), np.nan)}, ValueError, "finite"),
    ({"image": np.array([["a"] * 4] * 4)}, TypeError, "dtype"),
    ({"image": np.zeros((8, 8)), "kernel": "no_such"}, ValueError, "unknown kernel"),
    ({"image": np.zeros((8, 8)), "kernel": np.ones((2, 2))}, ValueError, "shape"),
    ({"image": np.zeros((8, 8)), "kernel": np.full((3, 3), 1e39)}, ValueError, "finite"),
])
def test_kernel_editor_rejects_bad_input(kwargs, error, words):
    with pytest.raises(error, match=words):
        ex.KernelEditor(**kwargs)


@pytest.mark.parametrize("kwargs, error, words", [
    ({"stride": 0}, ValueError, "stride"),
    ({"stride": 1.5}, TypeError, "stride"),
    ({"padding": 3}, ValueError, "padding"),
    ({"kernel": np.ones((6, 6))}, ValueError, "at most 5x5"),
    ({"image": np.zeros((11, 11))}, ValueError, "at most 10x10"),
    ({"kernel": [[np.nan]]}, ValueError, "finite"),
])
def test_conv_explorer_rejects_bad_input(kwargs, error, words):
    args = {"image": STRIPE, "kernel": LINE, **kwargs}
    with pytest.raises(error, match=words):
        ex.ConvExplorer(args.pop("image"), args.pop("kernel"), **args)


# ---------------------------------------------------------------- the browser
def _chromium_or_skip():
    if not Path(CHROMIUM).exists():
        pytest.skip("the explorable browser tests need Chromium: `sudo apt-get install "
                    "chromium` (never `playwright install`)")
    return pytest.importorskip("playwright.sync_api")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _serve(directory):
    handler = functools.partial(_Quiet, directory=str(directory))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/"


@pytest.fixture(scope="module")
def browser():
    sync_api = _chromium_or_skip()
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update",
            "--disable-sync"])
        yield b
        b.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A folder of test pages, each holding one explorable as a cell outputs it."""
    root = tmp_path_factory.mktemp("explorables")
    pages = {
        "kernel_editor": ex.KernelEditor(cl.river(size=48), "vertical_line_zero_sum"),
        "conv_explorer": ex.ConvExplorer(STRIPE, LINE),
        "shift_explorer": ex.ShiftExplorer(_shapes(), cl.kernel("vertical_line_zero_sum"),
                                           max_shift=8),
        "flip_explorer": ex.FlipExplorer(_impulse(), L_KERNEL),
        "sgd_explorer": ex.SGDExplorer(*_sgd_data(), lr=1.0),
        "unit_explorer": ex.UnitExplorer(*_unit_data()),
        "backprop_explorer": ex.BackpropExplorer(*_backprop_data()),
    }
    for name, widget in pages.items():
        _write(root / f"{name}.html", widget.to_html())
    good = ex.KernelEditor(np.random.default_rng(1).random((16, 16))).to_html()
    _write(root / "corrupt.html", good.replace('data-state="{', 'data-state="{oops', 1))
    _write(root / "missing.html", re.sub(r' data-state="[^"]*"', "", good, count=1))
    _write(root / "one_pixel.html", good.replace(
        '&quot;height&quot;:16', '&quot;height&quot;:1', 1))
    _write(root / "conv.html", "<script>" + (ex._base.HERE / "conv.js").read_text() +
           "</script>")
    _write(root / "far_below.html", '<div style="height:4000px">text</div>' + good)
    httpd, url = _serve(root)
    yield {"file": root.as_uri() + "/", "http": url}
    httpd.shutdown()


def _write(path, body):
    path.write_text('<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" '
                    'content="width=device-width"></head><body style="margin:8px">'
                    f"{body}</body></html>", encoding="utf-8")


class Page:
    """One page with the network cut: every request off 127.0.0.1 is blocked and kept."""

    def __init__(self, browser, url, width=1280):
        self.blocked, self.errors, self.console = [], [], []
        self.context = browser.new_context(viewport={"width": width, "height": 900})
        self.page = self.context.new_page()
        self.page.route("**/*", self._route)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("console", lambda m: self.console.append(m.text)
                     if m.type == "error" else None)
        self.page.goto(url, wait_until="load")

    def _route(self, route):
        url = route.request.url
        if url.startswith(("data:", "blob:", "file:")) or \
                urlparse(url).hostname in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort("internetdisconnected")

    def snapshot(self, root):
        """What the explorable under `root` draws: its text and every canvas's pixels."""
        return self.page.eval_on_selector(root, """el => el.innerText + '|' +
            Array.from(el.querySelectorAll('canvas')).map(c => c.toDataURL()).join('|')""")

    def check_clean(self, console=True):
        """No JavaScript error, no request off 127.0.0.1; console errors too unless the
        page is the book's (its theme logs one about an unset colour mode)."""
        assert self.errors == [], self.errors
        if console:
            assert self.console == [], self.console
        assert self.blocked == [], self.blocked

    def close(self):
        self.context.close()


@pytest.fixture
def open_page(browser):
    pages = []

    def opener(url, width=1280):
        p = Page(browser, url, width)
        pages.append(p)
        return p
    yield opener
    for p in pages:
        p.close()


def test_an_explorable_far_down_the_page_is_drawn_when_the_reader_gets_near(site, open_page):
    page = open_page(site["http"] + "far_below.html")
    holder = page.page.locator("[data-explorable]")
    assert holder.get_attribute("data-mounted") is None, "drawn during the first load"
    assert holder.locator("canvas").count() == 0
    page.page.mouse.wheel(0, 3000)
    holder.locator("canvas").first.wait_for(timeout=5000)
    assert holder.get_attribute("data-mounted") == ""
    page.check_clean()


def test_printing_draws_every_explorable(site, open_page):
    page = open_page(site["http"] + "far_below.html")
    page.page.emulate_media(media="print")
    page.page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert page.page.locator("[data-explorable] canvas").count() > 0
    page.check_clean()


PARITY = [  # (image shape, kernel shape, stride, padding)
    ((6, 6), (3, 3), 1, 0), ((7, 5), (3, 3), 2, 1), ((9, 8), (2, 2), 1, 0),
    ((9, 8), (2, 4), 3, 2), ((5, 11), (1, 1), 2, 0), ((10, 7), (4, 3), (2, 1), (1, 2)),
    ((8, 8), (5, 5), 3, 2), ((3, 4), (3, 3), 1, 1),
]


def test_conv_js_agrees_with_cnnlib(browser, site, open_page):
    rng = np.random.default_rng(12)
    cases = []
    for ishape, kshape, stride, padding in PARITY:
        x = rng.normal(size=ishape).astype(np.float32)
        k = rng.normal(size=kshape).astype(np.float32)
        cases.append((x, k, stride, padding,
                      cl.correlate2d(x, k, stride=stride, padding=padding)))
    for base in ("file", "http"):
        page = open_page(site[base] + "conv.html")
        got = page.page.evaluate("""cases => cases.map(([x, k, s, p]) => {
            const c = cnnlib.conv, out = c.correlate2d(c.fromRows(x), c.fromRows(k), s, p);
            return c.toRows(out); })""",
            [[x.tolist(), k.tolist(), s, p] for x, k, s, p, _ in cases])
        for (x, k, s, p, want), out in zip(cases, got):
            np.testing.assert_allclose(np.array(out), want, rtol=1e-5, atol=1e-5,
                                       err_msg=f"{x.shape} * {k.shape}, stride {s}, pad {p}")
        sizes = page.page.evaluate(
            "args => args.map(([n, k, s, p]) => cnnlib.conv.outputSize(n, k, s, p))",
            [[n, k, s, p] for n in (5, 6, 7) for k in (1, 2, 3) for s in (1, 2, 3)
             for p in (0, 1, 2)])
        want = [cl.output_size(n, k, s, p) for n in (5, 6, 7) for k in (1, 2, 3)
                for s in (1, 2, 3) for p in (0, 1, 2)]
        assert sizes == want
        page.check_clean()


def test_conv_js_flip_and_sgd_step_agree_with_cnnlib(site, open_page):
    rng = np.random.default_rng(3)
    x = rng.normal(size=(12, 10)).astype(np.float32)
    k = rng.normal(size=(3, 3)).astype(np.float32)
    target = cl.correlate2d(x, cl.kernel("vertical_line"))
    page = open_page(site["file"] + "conv.html")
    conv, step = page.page.evaluate("""([x, k, t]) => {
        const c = cnnlib.conv, X = c.fromRows(x), K = c.fromRows(k);
        const s = c.sgdStep(X, c.fromRows(t), K, 0.1);
        return [c.toRows(c.convolve2d(X, K, 1, 1)), [c.toRows(s.kernel), s.loss]]; }""",
        [x.tolist(), k.tolist(), target.tolist()])
    np.testing.assert_allclose(conv, cl.convolve2d(x, k, padding=1), rtol=1e-5, atol=1e-5)
    loss, dpred = cl.mse(cl.correlate2d(x, k), target)
    _, dweight, _ = cl.conv2d_backward(dpred[None, None], x[None, None], k[None, None])
    np.testing.assert_allclose(step[0], k - 0.1 * dweight[0, 0], rtol=1e-4, atol=1e-5)
    assert step[1] == pytest.approx(loss, rel=1e-5)


@pytest.mark.parametrize("name", ["kernel_editor", "conv_explorer", "shift_explorer",
                                  "flip_explorer", "sgd_explorer", "unit_explorer",
                                  "backprop_explorer"])
def test_anywidget_module_renders_what_the_page_renders(site, open_page, name):
    """The ES module anywidget loads in Jupyter: imported from a blob, as anywidget does,
    its default export's render draws the same explorable with a Backbone-like model."""
    page = open_page(site["http"] + "conv.html")
    widget = {"kernel_editor": ex.KernelEditor(cl.river(size=48)),
              "conv_explorer": ex.ConvExplorer(STRIPE, LINE),
              "shift_explorer": ex.ShiftExplorer(_shapes(), LINE),
              "flip_explorer": ex.FlipExplorer(_impulse(), L_KERNEL),
              "sgd_explorer": ex.SGDExplorer(*_sgd_data()),
              "unit_explorer": ex.UnitExplorer(*_unit_data()),
              "backprop_explorer": ex.BackpropExplorer(*_backprop_data())}[name]
    text = page.page.evaluate("""async ([esm, state]) => {
        const url = URL.createObjectURL(new Blob([esm], {type: "text/javascript"}));
        const mod = await import(url);
        const el = document.createElement("div");
        document.body.appendChild(el);
        const data = Object.assign({}, state), handlers = {}, saved = [];
        const model = {get: k => data[k], on: (e, f) => (handlers[e] = f),
                       set: (k, v) => { data[k] = v; }, save_changes: () => saved.push(1)};
        mod.default.render({model, el});
        // what a notebook listening on the page would see of keys pressed in a control
        const heard = [];
        document.addEventListener("keydown", e => heard.push(e.key));
        const control = el.querySelector("input, select, button, canvas[tabindex]");
        for (const key of ["ArrowRight", "a", "Escape"])
            control.dispatchEvent(new KeyboardEvent("keydown", {key, bubbles: true}));
        return el.innerText + "|" + heard.join(",") + "|" +
               el.querySelectorAll("canvas, button").length; }""",
        [widget._esm, widget.state()])
    assert "could not be shown" not in text
    _, heard, controls = text.rsplit("|", 2)
    assert int(controls) > 0
    assert heard == "Escape", f"keys that reached the notebook: {heard!r}"
    page.check_clean()


def _type(page, selector, text):
    field = page.page.locator(selector)
    field.fill(text)


def _editor_weights(page, values):
    fields = page.page.locator(".cnnlib-x-weight")
    for i, v in enumerate(values):
        fields.nth(i).fill(str(v))


@pytest.mark.parametrize("base", ["file", "http"])
def test_kernel_editor_draws_cnnlibs_numbers_and_responds(site, open_page, base):
    page = open_page(site[base] + "kernel_editor.html")
    image = cl.river(size=48).astype(np.float32)
    root = ".cnnlib-x-kernel-editor"
    before = page.snapshot(root)
    kernel = np.array([[1, 0, -1], [2, 0.5, -2], [1, 0, -1]], dtype=np.float32)
    _editor_weights(page, kernel.ravel())
    assert page.snapshot(root) != before
    want = cl.correlate2d(image, kernel)
    summary = page.page.locator(".cnnlib-x-summary")
    assert float(summary.get_attribute("data-min")) == pytest.approx(want.min(), abs=1e-5)
    assert float(summary.get_attribute("data-max")) == pytest.approx(want.max(), abs=1e-5)
    canvas = page.page.locator("canvas").nth(1)     # the feature map
    box = canvas.bounding_box()
    for fr, fc in [(0.2, 0.3), (0.7, 0.6), (0.5, 0.95)]:
        page.page.mouse.move(box["x"] + fc * box["width"], box["y"] + fr * box["height"])
        readout = page.page.locator(".cnnlib-x-readout")
        r, c = int(readout.get_attribute("data-row")), int(readout.get_attribute("data-col"))
        assert float(readout.get_attribute("data-value")) == pytest.approx(want[r, c],
                                                                           abs=1e-5)
        assert f"{want[r, c]:.4g}"[:4] in readout.inner_text()
    canvas.focus()                                   # keys move the probe
    page.page.keyboard.press("ArrowLeft")
    assert int(page.page.locator(".cnnlib-x-readout").get_attribute("data-col")) >= 0
    field = page.page.locator(".cnnlib-x-weight").nth(4)
    field.focus()
    drawn = page.snapshot(root)
    page.page.keyboard.press("ArrowUp")              # 0.5 -> 0.6
    assert field.input_value() == "0.6"
    assert page.snapshot(root) != drawn
    page.page.get_by_label("ReLU").check()
    assert float(summary.get_attribute("data-min")) >= 0
    drawn = page.snapshot(root)
    page.page.get_by_label("8-bit display").check()
    assert page.snapshot(root) != drawn
    assert "clipped in 8 bits" in summary.inner_text()
    page.page.get_by_label("preset").select_option("sobel_y")
    assert page.page.locator(".cnnlib-x-weight").nth(0).input_value() == "-1"
    page.check_clean()


@pytest.mark.parametrize("bad", ["", "abc", "1e39", "nan", "1,5"])
def test_kernel_editor_bad_weight_shows_message_and_keeps_drawing(site, open_page, bad):
    page = open_page(site["file"] + "kernel_editor.html")
    root = ".cnnlib-x-kernel-editor"
    before = page.snapshot(root).split("|", 1)[1]    # the pixels
    page.page.locator(".cnnlib-x-weight").nth(3).fill(bad)
    message = page.page.locator(".cnnlib-x-message")
    assert message.is_visible()
    assert "last valid kernel" in message.inner_text()
    assert page.snapshot(root).split("|", 1)[1] == before
    page.page.locator(".cnnlib-x-weight").nth(3).fill("2")   # it keeps working
    assert not message.is_visible()
    assert page.snapshot(root).split("|", 1)[1] != before
    page.check_clean()


@pytest.mark.parametrize("name", ["corrupt", "missing", "one_pixel"])
def test_broken_state_shows_a_message_in_place_of_the_figure(site, open_page, name):
    page = open_page(site["file"] + f"{name}.html")
    failed = page.page.locator(".cnnlib-x-failed")
    assert failed.is_visible()
    assert "could not be shown" in failed.inner_text()
    assert page.page.locator("canvas").count() == 0
    assert page.blocked == []


def _output_grid(page):
    cells = page.page.locator(".cnnlib-x-conv-explorer figure").nth(1).locator("button")
    values = [float(v) for v in cells.evaluate_all("bs => bs.map(b => b.dataset.value)")]
    cols = page.page.locator(".cnnlib-x-conv-explorer figure").nth(1).locator(
        ".cnnlib-x-grid").evaluate("g => getComputedStyle(g).gridTemplateColumns")
    return np.array(values).reshape(-1, len(cols.split()))


@pytest.mark.parametrize("base", ["file", "http"])
def test_conv_explorer_draws_cnnlibs_numbers_and_responds(site, open_page, base):
    page = open_page(site[base] + "conv_explorer.html")
    image, kernel = STRIPE.copy(), np.array(LINE, dtype=float)
    np.testing.assert_allclose(_output_grid(page), cl.correlate2d(image, kernel))
    preset = page.page.get_by_label("preset")
    assert preset.input_value() == "vertical_line_zero_sum"  # the kernel given is a preset's
    stride = page.page.get_by_role("slider", name="stride")
    padding = page.page.get_by_role("slider", name="padding")
    stride.focus()
    page.page.keyboard.press("ArrowRight")           # stride 2, from the keyboard
    padding.focus()
    page.page.keyboard.press("ArrowRight")           # padding 1
    want = cl.correlate2d(image, kernel, stride=2, padding=1)
    np.testing.assert_allclose(_output_grid(page), want)
    formula = page.page.locator(".cnnlib-x-formula").inner_text()
    assert "⌊(6 + 2·1 − 3) / 2⌋" in formula and "⌊2.5⌋ = 2" in formula
    assert formula.endswith(f"= {want.shape[0]}")
    out = page.page.locator(".cnnlib-x-conv-explorer figure").nth(1).locator("button")
    out.nth(4).click()                               # the output cell (1, 1)
    terms = page.page.locator(".cnnlib-x-terms")
    assert float(terms.get_attribute("data-sum")) == pytest.approx(want[1, 1])
    assert terms.inner_text().startswith("output[1, 1] = ")
    assert terms.inner_text().count("×") == 9
    pads = page.page.locator(".cnnlib-x-pad")
    assert pads.count() == 8 * 8 - 36
    page.page.get_by_label("input row 0, column 0: 0; press to switch it off or on").click()
    image[0, 0] = 1
    want = cl.correlate2d(image, kernel, stride=2, padding=1)
    np.testing.assert_allclose(_output_grid(page), want)
    page.page.locator(".cnnlib-x-weight").nth(0).fill("3")
    kernel[0, 0] = 3
    assert preset.input_value() == "(typed)"
    np.testing.assert_allclose(_output_grid(page),
                               cl.correlate2d(image, kernel, stride=2, padding=1))
    code = page.page.locator(".cnnlib-x-code").inner_text()
    scope = {"np": np, "cl": cl}
    exec(code.rsplit("\n", 1)[0], scope)
    np.testing.assert_allclose(eval(code.rsplit("\n", 1)[1], scope), _output_grid(page))
    before = page.snapshot(".cnnlib-x-conv-explorer")
    page.page.get_by_role("button", name="step").click()
    assert page.snapshot(".cnnlib-x-conv-explorer") != before
    page.page.locator(".cnnlib-x-weight").nth(1).fill("x")
    assert page.page.locator(".cnnlib-x-message").is_visible()
    np.testing.assert_allclose(_output_grid(page),
                               cl.correlate2d(image, kernel, stride=2, padding=1))
    page.check_clean()


def test_other_explorables_reject_bad_input():
    with pytest.raises(ValueError, match="max_shift"):
        ex.ShiftExplorer(_shapes(), LINE, max_shift=20)
    with pytest.raises(ValueError, match="odd"):
        ex.FlipExplorer(_impulse(), np.ones((2, 2)))
    with pytest.raises(ValueError, match="lr must be one of"):
        ex.SGDExplorer(*_sgd_data(), lr=0.7)
    with pytest.raises(ValueError, match="patches"):
        ex.SGDExplorer(np.zeros((4, 5, 6)), LINE, LINE)
    with pytest.raises(TypeError, match="layers"):
        ex.UnitExplorer(np.zeros((3, 8, 8)), [])
    with pytest.raises(ValueError, match="image"):
        ex.UnitExplorer(np.zeros((8, 8, 5)), _unit_data()[1])
    x, w, g = _backprop_data()
    with pytest.raises(ValueError, match=r"upstream must have the output's shape \(4, 4\)"):
        ex.BackpropExplorer(x, w, g[:3])
    with pytest.raises(ValueError, match="larger than the image"):
        ex.BackpropExplorer(x[:2, :2], w, g)
    with pytest.raises(ValueError, match="outside the upstream gradient"):
        ex.BackpropExplorer(x, w, g, selected=(4, 0))
    with pytest.raises(ValueError, match="upstream must be finite"):
        ex.BackpropExplorer(x, w, np.full((4, 4), np.nan))


def _grid(page, figure):
    """The numbers of the grid in the figure-th figure of the page, as an array."""
    fig = page.page.locator("figure").nth(figure)
    values = [float(v) for v in fig.locator("[data-value]").evaluate_all(
        "bs => bs.map(b => b.dataset.value)")]
    cols = fig.locator(".cnnlib-x-grid").evaluate(
        "g => getComputedStyle(g).gridTemplateColumns")
    return np.array(values).reshape(-1, len(cols.split()))


def test_shift_explorer_follows_drags_and_keys_and_marks_the_band(site, open_page):
    page = open_page(site["http"] + "shift_explorer.html")
    root = ".cnnlib-x-shift-explorer"
    summary = page.page.locator(".cnnlib-x-summary")
    assert float(summary.get_attribute("data-band")) == 0
    before = page.snapshot(root)
    canvas = page.page.locator("canvas").first
    box = canvas.bounding_box()
    step = box["width"] / 24
    page.page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.page.mouse.down()
    page.page.mouse.move(box["x"] + box["width"] / 2 + 3 * step,
                         box["y"] + box["height"] / 2 + 2 * step, steps=4)
    page.page.mouse.up()
    assert page.snapshot(root) != before
    assert "shift (dx, dy) = (3, 2)" in summary.inner_text()
    canvas.focus()
    page.page.keyboard.press("ArrowRight")          # dx = 4
    assert "shift (dx, dy) = (4, 2)" in summary.inner_text()
    x, k = _shapes(), cl.kernel("vertical_line_zero_sum")
    moved = np.zeros_like(x)
    moved[2:, 4:] = x[:-2, :-4]
    fmap, fmap_moved = (cl.correlate2d(a, k, padding=1) for a in (x, moved))
    shifted = np.zeros_like(fmap)
    shifted[2:, 4:] = fmap[:-2, :-4]
    inner = np.zeros(x.shape, bool)
    inner[2 + 1:24 - 1, 4 + 1:24 - 1] = True
    diff = np.abs(fmap_moved - shifted)
    assert float(summary.get_attribute("data-inside")) == pytest.approx(diff[inner].max(),
                                                                        abs=1e-6) == 0
    assert float(summary.get_attribute("data-band")) == pytest.approx(diff[~inner].max())
    page.page.get_by_role("slider", name="dx (right)").fill("-3")
    assert "shift (dx, dy) = (-3, 2)" in summary.inner_text()
    page.check_clean()


def test_flip_explorer_toggles_the_kernel_and_shows_both_outputs(site, open_page):
    page = open_page(site["file"] + "flip_explorer.html")
    x = _impulse()
    np.testing.assert_allclose(_grid(page, 1), L_KERNEL)
    np.testing.assert_allclose(_grid(page, 2), cl.correlate2d(x, L_KERNEL, padding=1))
    np.testing.assert_allclose(_grid(page, 3), cl.convolve2d(x, L_KERNEL, padding=1))
    toggle = page.page.get_by_role("button", name="operation")
    assert toggle.inner_text() == "cross-correlation (kernel as is)"
    toggle.click()
    assert toggle.inner_text() == "convolution (kernel flipped)"
    assert toggle.get_attribute("aria-pressed") == "true"
    np.testing.assert_allclose(_grid(page, 1), L_KERNEL[::-1, ::-1])
    assert "cnnlib-x-active" in page.page.locator("figure").nth(3).get_attribute("class")
    toggle.focus()
    page.page.keyboard.press("Enter")               # and back, from the keyboard
    assert toggle.get_attribute("aria-pressed") == "false"
    page.page.get_by_label("input row 0, column 0: 0").click()
    x[0, 0] = 1
    np.testing.assert_allclose(_grid(page, 2), cl.correlate2d(x, L_KERNEL, padding=1))
    page.check_clean()


def test_sgd_explorer_learns_steps_resets_and_diverges(site, open_page):
    page = open_page(site["file"] + "sgd_explorer.html")
    patches, target, start = _sgd_data()
    status = page.page.locator(".cnnlib-x-summary")
    want = np.mean([(cl.correlate2d(p, start) - cl.correlate2d(p, target)) ** 2
                    for p in patches])
    assert float(status.get_attribute("data-loss")) == pytest.approx(want, rel=1e-5)
    drawn = page.snapshot(".cnnlib-x-sgd-explorer")
    page.page.get_by_role("button", name="step").click()
    assert status.get_attribute("data-step") == "1"
    assert page.snapshot(".cnnlib-x-sgd-explorer") != drawn
    page.page.get_by_role("button", name="play").click()
    page.page.wait_for_function(
        "document.querySelector('.cnnlib-x-summary').dataset.step >= 150", timeout=60000)
    page.page.get_by_role("button", name="pause").click()
    assert float(status.get_attribute("data-loss")) < want / 100
    assert float(status.inner_text().rsplit(" ", 1)[1]) > 0.99     # cosine similarity
    page.page.get_by_role("button", name="reset").click()
    assert status.get_attribute("data-step") == "0"
    slider = page.page.get_by_role("slider", name="learning rate")
    slider.focus()
    for _ in range(3):
        page.page.keyboard.press("ArrowRight")      # 1 -> 2 -> 5 -> 10
    assert page.page.locator(".cnnlib-x-field output").first.inner_text() == "10"
    page.page.get_by_role("button", name="play").click()
    message = page.page.locator(".cnnlib-x-message")
    message.wait_for(state="visible", timeout=30000)
    assert "Diverged" in message.inner_text() and "lr 10" in message.inner_text()
    assert page.page.get_by_role("button", name="play").is_visible()   # it stopped
    page.check_clean()


def test_unit_explorer_shows_each_units_value_and_window(site, open_page):
    page = open_page(site["file"] + "unit_explorer.html")
    image, layers = _unit_data()
    readout = page.page.locator(".cnnlib-x-readout").first
    canvas = page.page.locator("canvas").nth(1)
    for layer, name in enumerate(["layer 1", "layer 2"]):
        maps, field = layers[name]
        if layer:
            page.page.get_by_label("layer").select_option(name)
            slider = page.page.get_by_role("slider", name="channel")
            slider.focus()
            page.page.keyboard.press("ArrowRight")  # channel 1
        channel = layer
        h, w = maps.shape[1:]
        for i, j in [(0, 0), (h // 2, w - 1), (h - 1, 3)]:
            box = canvas.bounding_box()
            page.page.mouse.click(box["x"] + (j + 0.5) * box["width"] / w,
                                  box["y"] + (i + 0.5) * box["height"] / h)
            assert float(readout.get_attribute("data-value")) == pytest.approx(
                maps[channel, i, j], abs=1e-6)
            assert readout.get_attribute("data-box") == ",".join(
                str(v) for v in field.box(i, j, image.shape[1:]))
        canvas.focus()
        drawn = page.snapshot(".cnnlib-x-unit-explorer")
        page.page.keyboard.press("ArrowUp")
        assert page.snapshot(".cnnlib-x-unit-explorer") != drawn
    page.check_clean()


NAMES = ["kernel_editor", "conv_explorer", "shift_explorer", "flip_explorer",
         "sgd_explorer", "unit_explorer", "backprop_explorer"]


def test_backprop_explorer_shows_each_upstream_cells_shares_and_the_sums(site, open_page):
    from cnnlib.viz import backprop
    page = open_page(site["file"] + "backprop_explorer.html")
    x, w, g = _backprop_data()
    dx, dw, _ = cl.conv2d_backward(g[None, None], x[None, None], w[None, None])
    np.testing.assert_allclose(_grid(page, 4), dx[0, 0])          # the full gradients
    np.testing.assert_allclose(_grid(page, 5), dw[0, 0])
    for r, c, how in [(1, 2, "click"), (3, 0, "click"), (2, 3, "keyboard")]:
        cell = page.page.get_by_label(f"upstream gradient row {r}, column {c}:")
        if how == "click":
            cell.click()
        else:
            cell.focus()
            page.page.keyboard.press("Enter")
        window, dx_share, dw_share = backprop.gradient_shares(x, w, g, (r, c))
        np.testing.assert_allclose(_grid(page, 2), dx_share)
        np.testing.assert_allclose(_grid(page, 3), dw_share)
        note = page.page.locator(".cnnlib-x-summary").first
        assert note.get_attribute("data-selected") == f"{r},{c}"
        outlined = page.page.locator("figure").nth(1).locator(".cnnlib-x-in-patch")
        assert outlined.count() == 9                               # the window it saw
        assert f"reaches input rows {r}-{r + 2}, columns {c}-{c + 2}" in note.inner_text()
    page.check_clean()


@pytest.mark.parametrize("name", NAMES)
def test_explorables_fit_a_phone(site, open_page, name):
    page = open_page(site["file"] + f"{name}.html", width=390)
    scroll = page.page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= 390
    page.check_clean()


# ---------------------------------------------------------------- the built book
def _book_pages():
    if not (BOOK / "index.html").exists():
        return []
    return sorted(str(p.relative_to(BOOK)) for p in (BOOK / "notebooks").glob("*.html")
                  if "data-explorable=" in p.read_text(encoding="utf-8", errors="ignore"))


# One interaction per explorable: (what to do, in Playwright calls on the page).
INTERACT = {
    "kernel_editor": lambda p, root: root.locator(".cnnlib-x-weight").nth(4).fill("3"),
    "conv_explorer": lambda p, root: root.locator("figure").nth(1).locator(
        "button").nth(1).click(),
    "shift_explorer": lambda p, root: (root.locator("canvas").first.focus(),
                                       p.keyboard.press("ArrowRight")),
    "flip_explorer": lambda p, root: root.locator(".cnnlib-x-toggle").click(),
    "sgd_explorer": lambda p, root: root.get_by_role("button", name="step").click(),
    "unit_explorer": lambda p, root: (root.locator("canvas").nth(1).focus(),
                                      p.keyboard.press("ArrowDown")),
    "backprop_explorer": lambda p, root: root.locator("figure").first.locator(
        "button").nth(5).click(),
}


@pytest.fixture(scope="module")
def book_server():
    if not _book_pages():
        pytest.skip("no built book with explorables (set BOOK_HTML or run make book)")
    httpd, url = _serve(BOOK)
    yield url
    httpd.shutdown()


@pytest.mark.parametrize("base", ["file", "http"])
def test_book_explorables_mount_respond_and_stay_offline(browser, book_server, open_page,
                                                        base):
    prefix = BOOK.as_uri() + "/" if base == "file" else book_server
    for rel in _book_pages():
        page = open_page(prefix + rel)
        holders = page.page.locator("[data-explorable]")
        assert holders.count() >= 1, rel
        assert page.page.locator(".cnnlib-x-failed").count() == 0, rel
        for n in range(holders.count()):
            holder = holders.nth(n)
            name = holder.get_attribute("data-explorable")
            holder.scroll_into_view_if_needed()
            page.page.wait_for_function(  # drawn once it comes near the window
                "el => el.hasAttribute('data-mounted') && el.children.length > 0",
                arg=holder.element_handle(), timeout=10000)
            before = page.snapshot(f".cnnlib-x-{name.replace('_', '-')}")
            INTERACT[name](page.page, holder)
            after = page.snapshot(f".cnnlib-x-{name.replace('_', '-')}")
            assert after != before, f"{rel}: explorable {n}, {name}, did not change"
            if name == "kernel_editor":
                state = json.loads(holder.get_attribute("data-state"))
                k = np.array(state["kernel"], dtype=np.float32).reshape(3, 3)
                k[1, 1] = 3                                 # what was typed
                want = cl.correlate2d(ex.decode_array(state["image"]), k)
                summary = holder.locator(".cnnlib-x-summary")
                assert float(summary.get_attribute("data-max")) == pytest.approx(
                    want.max(), abs=1e-5)
            if name == "conv_explorer":
                state = json.loads(holder.get_attribute("data-state"))
                want = cl.correlate2d(np.array(state["image"]), np.array(state["kernel"]),
                                      stride=state["stride"], padding=state["padding"])
                cells = holder.locator("figure").nth(1).locator("[data-value]")
                got = [float(v) for v in cells.evaluate_all(
                    "bs => bs.map(b => b.dataset.value)")]
                np.testing.assert_allclose(got, want.ravel(), rtol=1e-5, atol=1e-5)
        assert not [m for m in page.console if "cnnlib" in m or "explorable" in m]
        page.check_clean(console=False)
