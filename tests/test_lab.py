"""JupyterLab driven in Chromium as a reader uses it.

The test starts its own ``jupyter lab`` on 127.0.0.1 (random port and token, settings and
runtime files in a temporary directory, so the user's own Jupyter set-up does not matter)
over a temporary copy of the notebooks and assets: Lab may autosave there, never in the
repository. For each chapter it opens the notebook, runs all cells from the Run menu,
waits for the kernel, and fails on any error output. Then it uses every live control as a
reader would (picks a menu entry, moves a slider with the keyboard, types a kernel weight)
and checks that what is drawn changes; for the kernel editor, that the numbers it shows
are cnnlib's for the typed kernel. It prints the update times (action to new picture) and
saves before/after screenshots of every control. At the end no notebook or asset in the
repository has changed (``git status`` before and after). Every chapter is run in full.
The server is stopped by its process group, passing or failing.

Needs Debian's Chromium (/usr/bin/chromium); without it the tests skip and say so.
Screenshots go to $LAB_SCREENSHOTS (default: a temporary directory, printed).
"""

import hashlib
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
RUN_TIMEOUT_S = 600  # one chapter's Run All (chapter 7 trains), on a loaded 2-core machine
UPDATE_TIMEOUT_MS = 60_000
CHANGES_PER_CONTROL = 3

# Lab settings for the test's own server: no windowing (every cell is in the page), no
# autosave, no news or update checks (no network).
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false", "checkForUpdates": False},
}

TIMES = {}  # control -> list of update times in ms, printed at the end


def _git_status():
    """Paths that differ from git's HEAD or are untracked (their status letters dropped:
    someone staging a file meanwhile is not a change to it)."""
    out = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    return {line[3:] for line in out.splitlines()}


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(proc):
    """Stop the server and its kernels: SIGTERM to its process group, then SIGKILL."""
    if proc.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


@pytest.fixture(scope="module")
def repo_before():
    try:
        status = _git_status()
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout: cannot check that the test leaves the repository as is")
    return status, {nb.name: _digest(nb) for nb in NOTEBOOKS}


@pytest.fixture(scope="module")
def lab(tmp_path_factory, request, repo_before):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM}: the JupyterLab test cannot run "
                    f"(Debian/Ubuntu: apt-get install chromium)")
    pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    pytest.importorskip("jupyterlab", reason="jupyterlab is not installed")
    base = tmp_path_factory.mktemp("lab")
    root = base / "root"
    (root / "notebooks").mkdir(parents=True)
    for nb in NOTEBOOKS:
        shutil.copy2(nb, root / "notebooks" / nb.name)
    shutil.copytree(ROOT / "assets", root / "assets")  # ../assets/... as in the repository
    settings = base / "settings"
    for name, value in LAB_SETTINGS.items():
        path = settings / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value))
    env = dict(os.environ)
    for var, sub in [("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_RUNTIME_DIR", "runtime"),
                     ("JUPYTER_DATA_DIR", "data"), ("IPYTHONDIR", "ipython")]:
        env[var] = str(base / sub)
    env.pop("JUPYTER_PATH", None)
    port, token = _free_port(), secrets.token_hex(16)
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser",
           "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
           f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
           f"--LabApp.user_settings_dir={settings}",
           f"--LabApp.workspaces_dir={base / 'workspaces'}",
           "--LabApp.expose_app_in_browser=True"]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    log = open(base / "lab.log", "w")
    proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    request.addfinalizer(log.close)
    request.addfinalizer(lambda: _stop(proc))
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        if proc.poll() is not None:
            pytest.fail(f"jupyter lab exited with {proc.returncode}:\n"
                        f"{(base / 'lab.log').read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=5):
                break
        except OSError:
            if time.monotonic() > deadline:
                pytest.fail("jupyter lab did not answer within 90 s:\n"
                            f"{(base / 'lab.log').read_text()[-3000:]}")
            time.sleep(0.5)
    shots = Path(os.environ.get("LAB_SCREENSHOTS") or base / "screenshots")
    shots.mkdir(parents=True, exist_ok=True)
    print(f"\nJupyterLab {url} (pid {proc.pid}) serving a copy in {root}; "
          f"screenshots in {shots}")
    return {"url": url, "token": token, "root": root, "proc": proc, "shots": shots}


@pytest.fixture(scope="module")
def browser(lab):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _api(lab, method, path):
    req = urllib.request.Request(f"{lab['url']}{path}", method=method,
                                 headers={"Authorization": f"token {lab['token']}"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        body = resp.read()
    return json.loads(body) if body else None


def _shutdown_kernels(lab):
    for kernel in _api(lab, "GET", "/api/kernels"):
        _api(lab, "DELETE", f"/api/kernels/{kernel['id']}")


# JavaScript run in the page. Lab exposes its application as window.jupyterapp
# (--LabApp.expose_app_in_browser); the current widget is the open notebook.
KERNEL_STATE = """() => {
  const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const kernel = panel && panel.sessionContext && panel.sessionContext.session &&
                 panel.sessionContext.session.kernel;
  if (!kernel) { return {status: "none", pending: 0}; }
  const pending = [...panel.node.querySelectorAll(".jp-InputPrompt")]
    .filter(p => p.textContent.includes("*")).length;
  return {status: kernel.status, pending};
}"""

CELL_REPORT = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const cells = panel.content.model.cells;
  const errors = [], unrun = [];
  for (let i = 0; i < cells.length; i++) {
    const cell = cells.get(i);
    if (cell.type !== "code") { continue; }
    const json = cell.toJSON();
    if (json.source.trim() && json.execution_count === null) { unrun.push(i); }
    for (const out of json.outputs) {
      if (out.output_type === "error") { errors.push(`cell ${i}: ${out.ename}: ${out.evalue}`); }
    }
  }
  const broken = [...panel.node.querySelectorAll(".jp-OutputArea-output")]
    .map(o => o.innerText).filter(t => /Error displaying widget|Error rendering/.test(t));
  return {errors, unrun, broken, n: cells.length};
}"""

KERNEL_EXEC = """async (code) => {
  const panel = window.jupyterapp.shell.currentWidget;
  const kernel = panel.sessionContext.session.kernel;
  const future = kernel.requestExecute({code, silent: false, store_history: false});
  let text = "", error = null;
  future.onIOPub = (msg) => {
    if (msg.header.msg_type === "stream") { text += msg.content.text; }
    if (msg.header.msg_type === "error") { error = msg.content.ename + ": " + msg.content.evalue; }
  };
  await future.done;
  return {text, error};
}"""

# Record when the picture inside `el` changes (an <img> src, a canvas, or a summary text):
# a MutationObserver notes performance.now() of the first change after `start`.
WATCH = """(el) => {
  const snapshot = () => [...el.querySelectorAll("img")].map(i => i.src).join("|") + "#" +
    [...el.querySelectorAll("canvas")].map(c => c.toDataURL()).join("|") + "#" + el.innerText;
  window.__labBefore = snapshot();
  window.__labChanged = null;
  const obs = new MutationObserver(() => {
    if (window.__labChanged === null && snapshot() !== window.__labBefore) {
      window.__labChanged = performance.now();
      obs.disconnect();
    }
  });
  obs.observe(el, {subtree: true, childList: true, attributes: true, characterData: true});
  window.__labObserver = obs;
  return performance.now();
}"""


def _timed_change(page, element, action):
    """Run ``action`` (a key press, a selection) and wait for the picture in ``element`` to
    change; return the time from the action to the change in ms."""
    start = element.evaluate(WATCH)
    action()
    page.wait_for_function("window.__labChanged !== null", timeout=UPDATE_TIMEOUT_MS)
    return page.evaluate("window.__labChanged") - start


def _record(name, ms):
    TIMES.setdefault(name, []).append(ms)


def _open(page, lab, nb):
    page.goto(f"{lab['url']}/lab/tree/notebooks/{nb}?reset&token={lab['token']}")
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=120_000)
    page.wait_for_function(f"({KERNEL_STATE})().status === 'idle'", timeout=120_000)


def _open_and_run(page, lab, nb):
    _open(page, lab, nb)
    started = time.monotonic()
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.locator('li.lm-Menu-item[data-command="runmenu:run-all"]').click()
    page.wait_for_function(f"({KERNEL_STATE})().pending > 0 || "
                           f"({KERNEL_STATE})().status === 'busy'", timeout=30_000)
    deadline = time.monotonic() + RUN_TIMEOUT_S
    quiet = 0
    while quiet < 3:  # idle, nothing queued, three polls in a row
        state = page.evaluate(KERNEL_STATE)
        quiet = quiet + 1 if state == {"status": "idle", "pending": 0} else 0
        if time.monotonic() > deadline:
            pytest.fail(f"{nb}: Run All did not finish within {RUN_TIMEOUT_S} s ({state})")
        page.wait_for_timeout(500)
    print(f"\n{nb}: Run All took {time.monotonic() - started:.0f} s")
    report = page.evaluate(CELL_REPORT)
    assert not report["errors"], f"{nb}: error outputs: {report['errors']}"
    assert not report["unrun"], f"{nb}: code cells {report['unrun']} did not run"
    assert not report["broken"], f"{nb}: widgets failed to render: {report['broken']}"


def _check_images_load(page, nb):
    imgs = page.locator(".jp-MarkdownOutput img")
    for i in range(imgs.count()):
        img = imgs.nth(i)
        img.scroll_into_view_if_needed()
        ok = page.wait_for_function("(img) => img.complete && img.naturalWidth > 0",
                                    arg=img.element_handle(), timeout=30_000)
        assert ok, f"{nb}: image {img.get_attribute('src')} does not load"


def _shot(lab, element, nb, name, when):
    path = lab["shots"] / f"{Path(nb).stem}-{name}-{when}.png"
    element.scroll_into_view_if_needed()
    element.screenshot(path=str(path))
    return path


def _exercise_explore(page, lab, nb, box, index):
    """An explore widget: each slider moved with the keyboard, each menu changed."""
    out = box.locator(":scope > .widget-output")
    page.wait_for_function("(o) => o.querySelector('img') !== null",
                           arg=out.element_handle(), timeout=UPDATE_TIMEOUT_MS)
    exercised = 0
    for sel in box.locator(":scope > .widget-dropdown select").all():
        label = sel.evaluate("s => s.closest('.widget-dropdown').innerText").split()
        name = f"explore{index}-{label[0] if label else 'menu'}"
        _shot(lab, box, nb, name, "before")
        n = sel.locator("option").count()
        for step in range(1, min(CHANGES_PER_CONTROL, n - 1) + 1):
            _record(f"{nb} {name}", _timed_change(
                page, out, lambda: sel.select_option(index=step)))
        _shot(lab, box, nb, name, "after")
        exercised += 1
    for slider in box.locator(":scope > .widget-slider").all():
        label = slider.locator(".widget-label").first.inner_text().strip()
        name = f"explore{index}-{label}"
        handle = slider.locator(".noUi-handle")
        _shot(lab, box, nb, name, "before")
        for _ in range(CHANGES_PER_CONTROL):
            handle.focus()
            _record(f"{nb} {name}", _timed_change(page, out,
                                                  lambda: page.keyboard.press("ArrowRight")))
        _shot(lab, box, nb, name, "after")
        exercised += 1
    assert exercised, f"{nb}: explore widget {index} has no control"
    assert out.locator("img").count() == 1, f"{nb}: explore widget {index} shows no figure"
    assert "Error" not in out.inner_text(), f"{nb}: {out.inner_text()}"


CHECK_EDITOR = """
def _lab_check_editor():
    import json
    import numpy as np
    import cnnlib as cl
    from cnnlib.viz import explorables
    editor = [v for v in Out.values() if isinstance(v, explorables.KernelEditor)][-1]
    image = explorables.decode_array(editor.image)
    kernel = np.array(editor.kernel, dtype=np.float32).reshape(3, 3)
    fmap = cl.correlate2d(image, kernel)
    print(json.dumps({"kernel": editor.kernel, "min": float(fmap.min()),
                      "max": float(fmap.max()), "map": fmap.tolist()}))
_lab_check_editor()
del _lab_check_editor
"""


def _exercise_kernel_editor(page, lab, nb, el):
    """The explorable kernel editor: type a weight, pick a preset, type bad values."""
    summary = el.locator(".cnnlib-x-summary")
    weight = el.locator("input.cnnlib-x-weight").first
    _shot(lab, el, nb, "kernel-editor-weight", "before")
    for value in ["2", "-1.5", "0.25"]:
        weight.click()
        weight.press("Control+a")
        weight.press("Backspace")
        _record(f"{nb} kernel editor: typed weight", _timed_change(
            page, el, lambda: page.keyboard.type(value)))
    _shot(lab, el, nb, "kernel-editor-weight", "after")
    # the numbers shown are cnnlib's for the typed kernel, which reached Python too
    canvas = el.locator("canvas").nth(1)
    canvas.focus()
    page.keyboard.press("ArrowRight")
    readout = el.locator(".cnnlib-x-readout")
    row, col = int(readout.get_attribute("data-row")), int(readout.get_attribute("data-col"))
    shown = float(readout.get_attribute("data-value"))
    page.wait_for_timeout(300)  # the kernel's state sync
    result = page.evaluate(KERNEL_EXEC, CHECK_EDITOR)
    assert result["error"] is None, result["error"]
    ref = json.loads(result["text"])
    assert ref["kernel"][0] == 0.25, f"the typed weight did not reach Python: {ref['kernel']}"
    assert shown == pytest.approx(ref["map"][row][col], rel=1e-4, abs=1e-5)
    assert float(summary.get_attribute("data-min")) == pytest.approx(ref["min"], abs=1e-5)
    assert float(summary.get_attribute("data-max")) == pytest.approx(ref["max"], abs=1e-5)
    # another preset
    select = el.locator("select").first
    _shot(lab, el, nb, "kernel-editor-preset", "before")
    for step in (2, 3, 4):
        _record(f"{nb} kernel editor: preset", _timed_change(
            page, el, lambda: select.select_option(index=step)))
    _shot(lab, el, nb, "kernel-editor-preset", "after")
    # bad input: a message, the map kept, then the editor still works
    for bad in ["", "abc", "1e39", "nan", "-inf"]:
        before = canvas.evaluate("c => c.toDataURL()")
        weight.fill(bad)
        assert "last valid kernel" in el.inner_text(), f"no message for {bad!r}"
        assert canvas.evaluate("c => c.toDataURL()") == before
    _shot(lab, el, nb, "kernel-editor-bad-input", "after")
    _timed_change(page, el, lambda: weight.fill("1"))
    assert "last valid kernel" not in el.inner_text()


ACTIVE_CELL = """() => Array.from(document.querySelectorAll('.jp-Notebook .jp-Cell'))
                      .findIndex(c => c.classList.contains('jp-mod-active'))"""


def _exercise_explorable(page, lab, nb, el, index):
    """Any other anywidget explorable: it rendered; each menu, slider and checkbox it has
    (or else its first button) changes what it draws."""
    assert el.locator("canvas, svg, img").count() or el.inner_text().strip(), \
        f"{nb}: explorable {index} rendered nothing"
    kinds = [c for c in (el.get_attribute("class") or "").split() if c.startswith("cnnlib-x-")]
    name = kinds[0].removeprefix("cnnlib-x-") if kinds else f"explorable{index}"

    def pick_another(select):  # the last entry (the first may be what is shown already)
        select.select_option(index=select.locator("option").count() - 1)

    def key_right(control):
        # from the keyboard, as a reader would: the key moves the slider and stays in the
        # explorable (the notebook must not also move its cell selection)
        control.focus()
        before = page.evaluate(ACTIVE_CELL)
        page.keyboard.press("ArrowRight")
        assert page.evaluate(ACTIVE_CELL) == before, \
            f"{nb}: ArrowRight on a slider of {name} also moved the notebook's active cell"

    acts = [("select", pick_another), ("input[type=range]", key_right),
            ("input[type=checkbox]", lambda c: c.click())]
    exercised = 0
    for selector, act in acts:
        for k, control in enumerate(el.locator(selector).all()):
            label = f"{name}-{selector.split('=')[-1].rstrip(']')}{k}"
            _shot(lab, el, nb, label, "before")
            _record(f"{nb} {label}", _timed_change(page, el, lambda: act(control)))
            _shot(lab, el, nb, label, "after")
            exercised += 1
    if not exercised:  # only buttons (a toggle, clickable cells): press the first one
        buttons = el.locator("button:not(.cnnlib-x-cell)")
        button = (buttons if buttons.count() else el.locator("button")).first
        assert button.count(), f"{nb}: explorable {name} has no control"
        _shot(lab, el, nb, f"{name}-button", "before")
        _record(f"{nb} {name}-button", _timed_change(page, el, button.click))
        _shot(lab, el, nb, f"{name}-button", "after")


@pytest.mark.parametrize("nb", [p.name for p in NOTEBOOKS])
def test_chapter_runs_in_lab_and_its_live_controls_respond(lab, browser, nb):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.route("**/*", lambda route: route.continue_()
               if route.request.url.startswith(("http://127.0.0.1", "data:", "blob:"))
               else route.abort())
    try:
        _open_and_run(page, lab, nb)
        _check_images_load(page, nb)
        for i, box in enumerate(page.locator(".widget-vbox:has(> .widget-output)").all()):
            _exercise_explore(page, lab, nb, box, i)
        for i, el in enumerate(page.locator(".cnnlib-x").all()):
            if "cnnlib-x-kernel-editor" in (el.get_attribute("class") or ""):
                _exercise_kernel_editor(page, lab, nb, el)
            else:
                _exercise_explorable(page, lab, nb, el, i)
    finally:
        page.close()  # without saving: the copy stays as it was opened
        _shutdown_kernels(lab)


def test_the_notebook_7_interface_is_served_at_tree(lab):
    url = f"{lab['url']}/tree/notebooks?token={lab['token']}"
    with urllib.request.urlopen(url, timeout=60) as resp:
        assert resp.status == 200
        page = resp.read().decode()
    assert '"appName": "Jupyter Notebook"' in page and '"notebookPage": "tree"' in page


def test_update_times_and_no_change_to_the_repository(lab, repo_before):
    lines = [f"{name}: median {statistics.median(ms):.0f} ms over {len(ms)} changes"
             for name, ms in sorted(TIMES.items())]
    print("\nLive control update times (action to new picture):\n  " + "\n  ".join(lines))
    status, digests = repo_before
    new = _git_status() - status
    # Lab serves a copy, so only chapter code could write here, into the notebooks or the
    # assets; other paths that changed meanwhile are shown (others may edit this tree).
    ours = sorted(p for p in new if p.startswith(("notebooks/", "assets/")))
    if set(new) - set(ours):
        print(f"changed in the repository during the test: {sorted(set(new) - set(ours))}")
    assert not ours, f"the Lab test changed the repository: {ours}"
    changed = [nb.name for nb in NOTEBOOKS if _digest(nb) != digests[nb.name]]
    assert not changed, f"notebooks changed in the repository: {changed}"
