"""The workloads of ``bench_speed.py``, for one contender at a time.

``python benchmarks/contenders.py cnnlib`` (or ``torch``, ``scipy``) imports only that
contender's library, times each of its workloads in one long block (warm-up calls,
then repeated calls until enough time has passed) and prints the medians as JSON.
bench_speed.py runs it once per contender, each in its own process, so that no
library's idle worker threads compete with another's for the cores.

All arrays are float32, made from one seed, the same in every process.
"""

import json
import os
import platform
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _timing import median_time  # noqa: E402

CONV_WORKLOADS = {  # name: (x shape, number of 3x3 filters); padding 1
    "64x3x64x64": ((64, 3, 64, 64), 16),
    "64x16x32x32": ((64, 16, 32, 32), 32),
}
STEP_BATCH = (64, 3, 64, 64)


def conv_data(name):
    """x, weight, bias and an upstream gradient for one conv workload."""
    shape, filters = CONV_WORKLOADS[name]
    rng = np.random.default_rng(0)
    x = rng.standard_normal(shape, dtype=np.float32)
    weight = 0.1 * rng.standard_normal((filters, shape[1], 3, 3), dtype=np.float32)
    bias = rng.standard_normal(filters, dtype=np.float32)
    dout = rng.standard_normal((shape[0], filters) + shape[2:], dtype=np.float32)
    return x, weight, bias, dout


def step_data():
    rng = np.random.default_rng(1)
    return rng.standard_normal(STEP_BATCH, dtype=np.float32), rng.integers(0, 2, STEP_BATCH[0])


def image_data():
    rng = np.random.default_rng(2)
    return rng.random((256, 256), dtype=np.float32), rng.standard_normal((3, 3), dtype=np.float32)


# --------------------------------------------------------------------------- cnnlib
def cnnlib_workloads():
    import cnnlib

    image, kernel = image_data()
    yield "correlate2d 256x256 3x3", lambda: cnnlib.correlate2d(image, kernel)
    for name in CONV_WORKLOADS:
        x, weight, bias, dout = conv_data(name)

        def forward(x=x, weight=weight, bias=bias):
            return cnnlib.conv2d(x, weight, bias, padding=1)

        def forward_backward(x=x, weight=weight, bias=bias, dout=dout):
            cnnlib.conv2d(x, weight, bias, padding=1)
            return cnnlib.conv2d_backward(dout, x, weight, padding=1)

        yield f"conv2d forward {name}", forward
        yield f"conv2d forward+backward {name}", forward_backward
    X, y = step_data()
    for label, fuse in (("plain", False), ("fuse=True", True)):
        model = cnnlib.Sequential(
            cnnlib.Conv2D(3, 16, 3, padding=1, rng=0), cnnlib.ReLU(), cnnlib.MaxPool2D(2),
            cnnlib.Conv2D(16, 32, 3, padding=1, rng=1), cnnlib.ReLU(), cnnlib.MaxPool2D(2),
            cnnlib.Flatten(), cnnlib.Dense(32 * 16 * 16, 2, rng=2), fuse=fuse)
        optimizer = cnnlib.SGD(lr=0.01)

        def step(model=model, optimizer=optimizer):
            logits = model.forward(X)
            _, dlogits = cnnlib.softmax_cross_entropy(logits, y)
            model.backward(dlogits, input_grad=False)  # what fit does
            optimizer.step(model)

        yield f"training step, {label}", step


# --------------------------------------------------------------------------- torch
def torch_workloads():
    import torch

    torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS") or os.cpu_count() or 1))
    for name in CONV_WORKLOADS:
        x, weight, bias, dout = (torch.from_numpy(a) for a in conv_data(name))
        x.requires_grad_(True)
        weight.requires_grad_(True)
        bias.requires_grad_(True)

        def forward(x=x, weight=weight, bias=bias):
            with torch.no_grad():
                return torch.nn.functional.conv2d(x, weight, bias, padding=1)

        def forward_backward(x=x, weight=weight, bias=bias, dout=dout):
            x.grad = weight.grad = bias.grad = None
            torch.nn.functional.conv2d(x, weight, bias, padding=1).backward(dout)

        yield f"conv2d forward {name}", forward
        yield f"conv2d forward+backward {name}", forward_backward
    X, y = (torch.from_numpy(a) for a in step_data())
    torch.manual_seed(0)
    net = torch.nn.Sequential(
        torch.nn.Conv2d(3, 16, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(16, 32, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Flatten(), torch.nn.Linear(32 * 16 * 16, 2))
    optimizer = torch.optim.SGD(net.parameters(), lr=0.01)

    def step():
        optimizer.zero_grad()
        torch.nn.functional.cross_entropy(net(X), y).backward()
        optimizer.step()

    yield "training step", step


# --------------------------------------------------------------------------- scipy
def scipy_workloads():
    import scipy.signal

    image, kernel = image_data()
    yield "correlate2d 256x256 3x3", lambda: scipy.signal.correlate2d(image, kernel, mode="valid")


CONTENDERS = {"cnnlib": cnnlib_workloads, "torch": torch_workloads, "scipy": scipy_workloads}


def versions(contender):
    """Library versions and the BLAS this process loaded (threadpoolctl)."""
    info = {"python": platform.python_version(), "numpy": np.__version__}
    if contender == "torch":
        import torch
        info["torch"] = f"{torch.__version__}, {torch.get_num_threads()} threads"
    if contender == "scipy":
        import scipy
        info["scipy"] = scipy.__version__
    try:
        from threadpoolctl import threadpool_info
        info["blas"] = [f"{i.get('internal_api')} {i.get('version')}, {i.get('architecture')} kernels, "
                        f"{i.get('num_threads')} threads ({os.path.basename(i.get('filepath', ''))})"
                        for i in threadpool_info() if i.get("user_api") == "blas"]
    except ImportError:
        info["blas"] = ["unknown (threadpoolctl not installed)"]
    return info


def main(argv):
    if len(argv) < 1 or argv[0] not in CONTENDERS:
        sys.exit(f"usage: contenders.py {{{','.join(CONTENDERS)}}} [min_seconds]")
    contender, min_time = argv[0], float(argv[1]) if len(argv) > 1 else 1.0
    results = {}
    for name, func in CONTENDERS[contender]():
        results[name] = median_time(func, repeats=5, warmup=1, min_time=min_time)
    json.dump({"contender": contender, "versions": versions(contender), "median_seconds": results},
              sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
