"""Figures, animations and widgets for the book (matplotlib and ipywidgets live here only).

* :mod:`cnnlib.viz.plot`: static figures (``show_image``, ``show_kernel``,
  ``show_kernels``, ``show_feature_maps``, ``show_side_by_side``, ``draw_box``);
* :mod:`cnnlib.viz.gallery`: many small pictures and tables (``show_gallery``,
  ``show_receptive_fields``, ``show_unit_window``, ``show_patch_grid``,
  ``show_max_pool``, ``show_confusion_matrix``);
* :mod:`cnnlib.viz.animate`: the sliding-window animation (``sliding_window``,
  ``sliding_window_frame`` for one frame as a static figure, ``render_conv_gif``);
* :mod:`cnnlib.viz.playback`: players that run without a kernel or the internet
  (``player``, ``save_gif``, ``param_player``), also re-exported by ``animate``;
* :mod:`cnnlib.viz.training`: one kernel being trained (``kernel_replay``,
  ``loss_and_similarity``, ``learning_rate_run``);
* :mod:`cnnlib.viz.widgets`: live ipywidgets UIs and their static twins
  (``kernel_editor``, ``kernel_gallery``, ``explore``, ``static_twin``); ipywidgets is
  imported only when one is built.
"""

from .plot import (
    DIVERGING, SEQUENTIAL, show_image, show_kernel, show_kernels, show_feature_maps,
    show_side_by_side, draw_box,
)
from .gallery import (
    show_gallery, show_receptive_fields, show_unit_window, show_patch_grid, show_max_pool,
    show_confusion_matrix,
)
from .animate import sliding_window, sliding_window_frame, render_conv_gif, DEMO_GRID
from .playback import Player, player, save_gif, param_frames, param_player, render_frames
from .training import kernel_replay, loss_and_similarity, learning_rate_run
from .widgets import (
    KernelEditor, kernel_editor, kernel_gallery, kernel_gallery_frame, explore, static_twin,
    normalise_kernel,
)

__all__ = [
    "DIVERGING", "SEQUENTIAL", "show_image", "show_kernel", "show_kernels", "show_feature_maps",
    "show_side_by_side", "draw_box",
    "show_gallery", "show_receptive_fields", "show_unit_window", "show_patch_grid",
    "show_max_pool", "show_confusion_matrix",
    "sliding_window", "sliding_window_frame", "player", "save_gif", "param_frames",
    "param_player", "render_frames",
    "render_conv_gif", "Player", "DEMO_GRID",
    "KernelEditor", "kernel_editor", "kernel_gallery", "kernel_gallery_frame", "explore",
    "static_twin",
    "normalise_kernel",
    "kernel_replay", "loss_and_similarity", "learning_rate_run",
]
