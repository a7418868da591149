"""Time cnnlib's convolution against scipy (one channel) and torch CPU (batches), float32.

Run with ``python benchmarks/bench_conv.py`` (``make bench``). Prints the BLAS numpy
uses, then a table of median times and the ratio cnnlib / reference. The references
run in the same process, interleaved with cnnlib call by call, so a busy machine
slows both sides alike. torch is optional: without it only scipy is compared.

On a machine busy with other work, multi-threaded OpenBLAS degrades far more than
torch's OpenMP (its threads wait for each other on every GEMM call), so compare
with ``--threads 1`` there; the load average is printed before and after the run.
"""

import argparse
import os
import sys

import numpy as np
import scipy.signal

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _timing import interleaved_median_times  # noqa: E402

import cnnlib  # noqa: E402

try:
    import torch
except ImportError:
    torch = None

WORKLOADS = [  # (name, x shape, number of 3x3 filters)
    ("64x3x64x64, 16 filters", (64, 3, 64, 64), 16),
    ("64x16x32x32, 32 filters", (64, 16, 32, 32), 32),
]


def blas_description():
    """One line per BLAS library loaded: who ships it, its kernel and threads."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "BLAS: unknown (threadpoolctl not installed)"
    lines = []
    for info in threadpool_info():
        if info.get("user_api") != "blas":
            continue
        parts = os.path.normpath(info.get("filepath", "")).split(os.sep)
        owner = next((p.split(".")[0] for p in parts if p.endswith(".libs") or p in ("torch", "numpy", "scipy")), "?")
        lines.append(f"BLAS for {owner}: {info.get('internal_api')} {info.get('version')}, "
                     f"{info.get('architecture')} kernels, threads={info.get('num_threads')}")
    return "\n".join(lines) or "BLAS: none found"


def single_channel_rows(repeats, rng):
    image = rng.random((256, 256), dtype=np.float32)
    kernel = cnnlib.kernel("sobel_x").astype(np.float32)
    np.testing.assert_allclose(cnnlib.correlate2d(image, kernel),
                               scipy.signal.correlate2d(image, kernel, mode="valid"), rtol=1e-4, atol=1e-4)
    ours, scipys = interleaved_median_times(
        [lambda: cnnlib.correlate2d(image, kernel), lambda: scipy.signal.correlate2d(image, kernel, mode="valid")],
        repeats=repeats * 5,
    )
    return [("256x256, one 3x3 kernel", "correlate2d", ours, "scipy", scipys)]


def batched_rows(name, x_shape, filters, repeats, rng):
    x = rng.standard_normal(x_shape, dtype=np.float32)
    weight = (rng.standard_normal((filters, x_shape[1], 3, 3), dtype=np.float32) * 0.1).astype(np.float32)
    bias = rng.standard_normal(filters, dtype=np.float32)
    dout = rng.standard_normal((x_shape[0], filters) + x_shape[2:], dtype=np.float32)

    def forward():
        return cnnlib.conv2d(x, weight, bias, padding=1)

    def forward_backward():
        cnnlib.conv2d(x, weight, bias, padding=1)
        return cnnlib.conv2d_backward(dout, x, weight, padding=1)

    if torch is None:
        fwd, fwd_bwd = interleaved_median_times([forward, forward_backward], repeats=repeats)
        return [(name, "conv2d forward", fwd, "", None), (name, "conv2d forward+backward", fwd_bwd, "", None)]

    tx, tw, tb = (torch.from_numpy(a).requires_grad_(True) for a in (x, weight, bias))
    tdout = torch.from_numpy(dout)

    def torch_forward():
        with torch.no_grad():
            return torch.nn.functional.conv2d(tx, tw, tb, padding=1)

    def torch_forward_backward():
        tx.grad = tw.grad = tb.grad = None
        torch.nn.functional.conv2d(tx, tw, tb, padding=1).backward(tdout)

    # The two sides must agree before their times mean anything.
    np.testing.assert_allclose(forward(), torch_forward().numpy(), rtol=1e-3, atol=1e-3)
    torch_forward_backward()
    for ours, theirs in zip(forward_backward(), (tx.grad, tw.grad, tb.grad)):
        scale = float(np.abs(ours).max())
        np.testing.assert_allclose(ours, theirs.numpy(), rtol=1e-3, atol=1e-4 * scale)

    fwd, t_fwd = interleaved_median_times([forward, torch_forward], repeats=repeats)
    fwd_bwd, t_fwd_bwd = interleaved_median_times([forward_backward, torch_forward_backward], repeats=repeats)
    return [(name, "conv2d forward", fwd, "torch", t_fwd),
            (name, "conv2d forward+backward", fwd_bwd, "torch", t_fwd_bwd)]


def format_table(rows):
    header = f"{'workload':<26} {'operation':<24} {'cnnlib ms':>10} {'reference':>10} {'ref ms':>9} {'ratio':>6}"
    lines = [header, "-" * len(header)]
    for workload, op, ours, ref_name, ref in rows:
        ref_ms = f"{ref * 1e3:9.2f}" if ref is not None else f"{'-':>9}"
        ratio = f"{ours / ref:6.2f}" if ref is not None else f"{'-':>6}"
        lines.append(f"{workload:<26} {op:<24} {ours * 1e3:10.2f} {ref_name or '-':>10} {ref_ms} {ratio}")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15, help="timed calls per function (median taken)")
    parser.add_argument("--threads", type=int, default=None,
                        help="limit numpy's BLAS and torch to this many threads (default: leave both as they are)")
    args = parser.parse_args(argv)
    limiter = None
    if args.threads is not None:
        from threadpoolctl import threadpool_limits
        limiter = threadpool_limits(args.threads)
        if torch is not None:
            torch.set_num_threads(args.threads)
    rng = np.random.default_rng(0)
    print(f"numpy {np.__version__}, scipy {scipy.__version__}, "
          + (f"torch {torch.__version__} (threads={torch.get_num_threads()})" if torch else "torch not installed"))
    print(blas_description())
    print("load average before: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    rows = single_channel_rows(args.repeats, rng)
    for name, shape, filters in WORKLOADS:
        rows += batched_rows(name, shape, filters, args.repeats, rng)
    print(format_table(rows))
    print("ratio = cnnlib time / reference time (medians; lower is better; goal <= 2 for forward+backward)")
    print("load average after: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    if limiter is not None:
        limiter.restore_original_limits()


if __name__ == "__main__":
    main()
