"""Time the explorables in headless Chromium against their goals.

Run with ``python benchmarks/bench_browser.py`` (``make bench``). Prints:

* the kernel editor on a 256x256 image: the median time of one edit, from the typed
  weight to the recomputed map drawn on its canvas, with the colour bar and the numbers
  below it (goal: at most 16 ms);
* the live SGD explorer on chapter 5's setting (64 patches of 16x16, batches of 16): steps
  per second while it plays, one step and one redraw per screen refresh (goal: at least
  30), and the median time of one step plus redraw.

Each explorable is written to a page exactly as a notebook cell outputs it and opened from
file:// in Debian's Chromium (Playwright's Python API; nothing is downloaded). The load
average is printed too: on a machine shared with other jobs every figure grows.
"""

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np

import cnnlib as cl
from cnnlib.viz import explorables

EDIT_GOAL_MS = 16.0
SGD_GOAL = 30.0
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# The edit's whole path, timed inside the page: the input event runs the explorable's
# handler, which parses the nine weights, recomputes the map and redraws it synchronously.
EDIT_JS = """n => {
  const field = document.querySelectorAll('.cnnlib-x-weight')[4], times = [];
  for (let i = 0; i < n; i++) {
    field.value = String(1 + (i % 7) / 8);
    const t0 = performance.now();
    field.dispatchEvent(new Event('input'));
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(n / 2)];
}"""

STEP_JS = """n => {
  const step = Array.from(document.querySelectorAll('button'))
    .find(b => b.textContent === 'step'), times = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    step.click();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(n / 2)];
}"""


def write_page(folder, name, widget):
    path = Path(folder) / f"{name}.html"
    path.write_text('<!doctype html><html><head><meta charset="utf-8"></head><body>'
                    f"{widget.to_html()}</body></html>", encoding="utf-8")
    return path.as_uri()


def sgd_explorer():
    """Chapter 5's setting: centred 16x16 river patches, the same random start."""
    image = cl.river()
    rng = np.random.default_rng(0)
    rows = rng.integers(0, image.shape[0] - 16, 64)
    cols = rng.integers(0, image.shape[1] - 16, 64)
    X = np.stack([image[r:r + 16, c:c + 16] for r, c in zip(rows, cols)]) - image.mean()
    start = cl.Conv2D(1, 1, 3, bias=False, rng=10).params["weight"][0, 0]
    return explorables.SGDExplorer(X, cl.kernel("vertical_line_zero_sum"), start, lr=1.0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--edits", type=int, default=60)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        print("bench_browser: skipped, Chromium is not installed (apt-get install chromium)")
        return 0
    from playwright.sync_api import sync_playwright

    print(f"load average: {' '.join(f'{v:.1f}' for v in os.getloadavg())} "
          f"on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        image = cl.river()[:256, :256]
        page.goto(write_page(folder, "editor", explorables.KernelEditor(image)))
        page.evaluate(EDIT_JS, 10)                              # warm up the JIT
        edit = page.evaluate(EDIT_JS, args.edits)
        ok = "ok" if edit <= EDIT_GOAL_MS else "OVER GOAL"
        print(f"kernel editor, 256x256, one edit (recompute + redraw): median "
              f"{edit:.1f} ms over {args.edits} edits (goal <= {EDIT_GOAL_MS:g} ms) {ok}")

        page.goto(write_page(folder, "sgd", sgd_explorer()))
        step = page.evaluate(STEP_JS, 40)
        page.get_by_role("button", name="reset").click()
        page.get_by_role("button", name="play").click()
        page.wait_for_timeout(args.seconds * 1000)
        steps = int(page.locator(".cnnlib-x-summary").get_attribute("data-step"))
        page.get_by_role("button", name="pause").click()
        rate = steps / args.seconds
        ok = "ok" if rate >= SGD_GOAL else "UNDER GOAL"
        print(f"live SGD, 64 patches of 16x16, batch 16: {rate:.0f} steps/s while playing "
              f"(goal >= {SGD_GOAL:g}) {ok}; one step + redraw: median {step:.1f} ms")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
