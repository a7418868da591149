"""Time the Python side of the live notebook widgets against their goals.

Run with ``python benchmarks/bench_lab.py`` (``make bench``). Prints the median time of
one update, from a control's new value to the new picture in the widget's output:

* ``explore`` with a kernel menu on the 256x384 river (chapter 2's figure: the map and
  the map after ReLU, side by side): the function draws its figure and explore turns it
  into the PNG it shows (goal: at most 300 ms);
* ``explore`` with a slider over a scale drawn as a kernel figure (the smallest figure);
* the kernel editor (``widgets.kernel_editor``) on a 256x256 crop: a weight typed, the map
  recomputed and encoded (goal: at most 50 ms).

In a browser each update also pays the widget message and the image decode: the JupyterLab
test (``tests/test_lab.py``, in ``make test``) prints those end-to-end times.
"""

import os
import sys

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))

import cnnlib as cl  # noqa: E402
from cnnlib.viz import plot, widgets  # noqa: E402
from _timing import median_time  # noqa: E402

EXPLORE_GOAL_MS = 300
EDITOR_GOAL_MS = 50
NAMES = ["vertical_line_zero_sum", "horizontal_line_zero_sum", "sobel_x", "laplacian",
         "sharpen", "box_blur"]


def time_explore_menu(repeats):
    river = cl.river()

    def kernel_view(name):
        fmap = cl.correlate2d(river, cl.kernel(name), padding="same")
        return plot.show_side_by_side([fmap, cl.relu(fmap)], ["feature map", "after ReLU"],
                                      panel_size=4.0, kinds="map", suptitle=name)

    live = widgets.explore(kernel_view, name=NAMES)
    menu, step = live.controls["name"], iter(range(10**6))
    return median_time(lambda: setattr(menu, "value", NAMES[next(step) % len(NAMES)]),
                       repeats=repeats, warmup=1)


def time_explore_slider(repeats):
    scales = [0.5, 1.0, 2.0, 3.0]
    live = widgets.explore(lambda scale: plot.show_kernel(scale * cl.kernel("sobel_x")),
                           scale=scales)
    slider, step = live.controls["scale"], iter(range(10**6))
    return median_time(lambda: setattr(slider, "value", scales[next(step) % len(scales)]),
                       repeats=repeats, warmup=1)


def time_kernel_editor(repeats):
    editor = widgets.kernel_editor(cl.river()[:256, :256], preset="sharpen")
    values = iter(np.linspace(-2, 2, 10**5))  # each one a new text in the box
    return median_time(lambda: editor.set_weight(0, 0, repr(float(next(values)))),
                       repeats=repeats, warmup=3, min_time=0.5)


def main():
    rows = [("explore: kernel menu, river 256x384, two maps", time_explore_menu(7),
             EXPLORE_GOAL_MS),
            ("explore: slider, one kernel figure", time_explore_slider(7), EXPLORE_GOAL_MS),
            ("kernel editor: typed weight, 256x256", time_kernel_editor(20), EDITOR_GOAL_MS)]
    width = max(len(name) for name, _, _ in rows)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for name, seconds, goal in rows:
        ms = seconds * 1e3
        print(f"{name:<{width}}  {ms:8.1f} ms  goal < {goal} ms  "
              f"{'ok' if ms < goal else 'MISSED'}")


if __name__ == "__main__":
    main()
