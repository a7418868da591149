import numpy as np
import pytest

import cnnlib as cl
from cnnlib.viz.backprop import gradient_shares, show_gradient_routes


def _case(h=6, k=3, stride=1, seed=0):
    rng = np.random.default_rng(seed)
    x, w = rng.standard_normal((h, h)), rng.standard_normal((k, k))
    n = cl.output_size(h, k, stride=stride)
    return x, w, rng.standard_normal((n, n))


@pytest.mark.parametrize("h, k, stride", [(6, 3, 1), (7, 3, 2), (6, 2, 2)])
def test_shares_of_all_cells_add_up_to_the_backward_pass(h, k, stride):
    x, w, g = _case(h, k, stride)
    dx, dw = np.zeros_like(x), np.zeros_like(w)
    for r in range(g.shape[0]):
        for c in range(g.shape[1]):
            _, dx_share, dw_share = gradient_shares(x, w, g, (r, c), stride)
            dx += dx_share
            dw += dw_share
    want_dx, want_dw, _ = cl.conv2d_backward(g[None, None], x[None, None],
                                            w[None, None], stride=stride)
    assert np.allclose(dx, want_dx[0, 0]) and np.allclose(dw, want_dw[0, 0])


def test_window_is_where_the_cell_looked():
    x, w, g = _case(7, 3, 2)
    window, dx_share, _ = gradient_shares(x, w, g, (1, 2), stride=2)
    assert window == (2, 4, 5, 7)
    assert np.count_nonzero(dx_share[2:5, 4:7]) == 9
    assert np.count_nonzero(dx_share) == 9


def test_figure_shows_four_grids_and_outlines_the_cell_and_window():
    x, w, g = _case()
    fig = show_gradient_routes(x, w, g, (1, 2), suptitle="routes")
    axes = [ax for ax in fig.axes if ax.get_visible()]
    assert len(axes) == 4
    assert [len(ax.patches) for ax in axes] == [1, 1, 1, 0]
    assert "(1, 2)" in axes[0].get_title()
    png, (width, _) = fig.to_png()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and width > 200


@pytest.mark.parametrize("args, error, match", [
    ((np.zeros((6, 6)), np.zeros((3, 3)), np.zeros((3, 3)), (0, 0)),
     ValueError, r"dout must have shape \(4, 4\).*got \(3, 3\)"),
    ((np.zeros((6, 6)), np.zeros((3, 3)), np.zeros((4, 4)), (4, 0)),
     ValueError, r"cell \(4, 0\) is outside"),
    ((np.zeros((6, 6)), np.zeros((3, 3)), np.zeros((4, 4)), (1.5, 0)),
     TypeError, "pair of ints"),
    ((np.zeros(6), np.zeros((3, 3)), np.zeros((4, 4)), (0, 0)),
     ValueError, r"x must be a non-empty 2-D array, got shape \(6,\)"),
    ((np.zeros((6, 6)), "abc", np.zeros((4, 4)), (0, 0)),
     TypeError, "weight must be a numeric array"),
])
def test_bad_input_is_rejected_with_a_clear_message(args, error, match):
    with pytest.raises(error, match=match):
        gradient_shares(*args)
