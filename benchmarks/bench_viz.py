"""Time the book's interactive figures against their goals.

Run with ``python benchmarks/bench_viz.py`` (``make bench``). Prints the median time of:

* a sliding-window player for a 7x7 input, from the image to the finished HTML
  (goal: under 5 s), without and with one pixel of padding;
* the GIF of the same animation;
* one kernel-editor update on a 256x256 image: a weight changed, the map recomputed
  and redrawn to the PNG the widget shows (goal: under 50 ms).

Matplotlib runs with the Agg backend, as when a notebook is executed for the book.
Besides the wall time, the CPU time of the same calls is printed: on a machine shared with
other jobs the wall time grows, the CPU time much less.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _timing import median_time  # noqa: E402

from cnnlib.filters import kernel  # noqa: E402
from cnnlib.viz import animate, widgets  # noqa: E402

PLAYER_GOAL = 5.0
EDITOR_GOAL = 0.050


def cpu_median(func, repeats):
    """Median CPU seconds (this process) of ``func()``."""
    times = []
    for _ in range(repeats):
        start = time.process_time()
        func()
        times.append(time.process_time() - start)
    return statistics.median(times)


def time_player(padding, repeats):
    def run():
        anim = animate.sliding_window(animate.DEMO_GRID, kernel("sharpen"), padding=padding)
        return animate.player(anim)
    return median_time(run, repeats=repeats, warmup=1), cpu_median(run, repeats)


def time_gif(repeats):
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "conv.gif")
        run = lambda: animate.render_conv_gif(path)  # noqa: E731
        return median_time(run, repeats=repeats, warmup=0), cpu_median(run, repeats)


def time_editor(repeats):
    image = np.random.default_rng(0).random((256, 256)).astype(np.float32)
    try:
        from cnnlib.images import river
        image = river(size=(256, 256))
    except (ImportError, TypeError):
        pass
    editor = widgets.kernel_editor(image, preset="sharpen")
    values = iter(np.linspace(-2, 2, 100_000))
    run = lambda: editor.set_weight(0, 0, next(values))  # noqa: E731
    return (median_time(run, repeats=repeats, warmup=3, min_time=0.5),
            cpu_median(run, repeats))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="timed repeats of each (default 5)")
    args = parser.parse_args(argv)
    rows = [
        ("sliding-window player, 7x7 input, 25 frames", time_player(0, args.repeats), PLAYER_GOAL),
        ("sliding-window player, 7x7 input, padding 1, 49 frames",
         time_player(1, max(1, args.repeats // 2)), None),
        ("GIF of the 7x7 animation, 25 frames", time_gif(max(1, args.repeats // 2)), None),
        ("kernel-editor update, 256x256 image", time_editor(max(20, args.repeats)), EDITOR_GOAL),
    ]
    width = max(len(name) for name, _, _ in rows)

    def fmt(seconds):
        return f"{seconds * 1e3:8.1f} ms" if seconds < 1 else f"{seconds:8.2f} s "

    print(f"{'what':<{width}}  {'wall':>11}  {'cpu':>11}  goal (wall)")
    for name, (wall, cpu), goal in rows:
        verdict = "" if goal is None else (
            f"< {goal * 1e3:g} ms" if goal < 1 else f"< {goal:g} s") + (
            "  ok" if wall < goal
            else "  MISSED" + ("  (cpu ok: machine busy)" if cpu < goal else ""))
        print(f"{name:<{width}}  {fmt(wall):>11}  {fmt(cpu):>11}  {verdict}")


if __name__ == "__main__":
    main()
