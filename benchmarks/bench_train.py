"""Time one training step of the reference CNN: cnnlib against torch CPU, float32.

One step is forward, softmax cross-entropy, backward and an SGD update of

    Conv2D(3,16,3,padding=1) ReLU MaxPool2D(2) Conv2D(16,32,3,padding=1) ReLU MaxPool2D(2)
    Flatten Dense(32*16*16, 2)

on a batch of 64x3x64x64. Run ``python benchmarks/bench_train.py`` (``make bench``):
it prints the median step time of cnnlib's fast path and of torch 2.x when it is
importable, timed in turn round by round so that a busy machine slows them alike, the
ratio to torch, and (timed after, over a few rounds) the same layers run one by one
(``fuse=False``, the plain functions of :mod:`cnnlib.conv`). The goal is
at most 2x torch. Next to the wall time it prints the CPU time of the process
(``time.process_time``), which a busy machine disturbs less. ``--threads 1`` runs
both sides on one thread; ``--profile`` adds cProfile's list of where a cnnlib step
spends its time.
"""

import argparse
import contextlib
import cProfile
import io
import pstats
import statistics
import sys
import time

import numpy as np

import cnnlib

try:
    import torch
except ImportError:
    torch = None

BATCH = (64, 3, 64, 64)


def reference_cnn(fuse=True):
    return cnnlib.Sequential(
        cnnlib.Conv2D(3, 16, 3, padding=1, rng=0), cnnlib.ReLU(), cnnlib.MaxPool2D(2),
        cnnlib.Conv2D(16, 32, 3, padding=1, rng=1), cnnlib.ReLU(), cnnlib.MaxPool2D(2),
        cnnlib.Flatten(), cnnlib.Dense(32 * 16 * 16, 2, rng=2), fuse=fuse,
    )


def cnnlib_step(model, X, y, optimizer):
    def step():
        logits = model.forward(X)
        _, dlogits = cnnlib.softmax_cross_entropy(logits, y)
        model.backward(dlogits, input_grad=False)
        optimizer.step(model)
    return step


def torch_step(model, X, y):
    net = torch.nn.Sequential(
        torch.nn.Conv2d(3, 16, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(16, 32, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Flatten(), torch.nn.Linear(32 * 16 * 16, 2),
    )
    with torch.no_grad():  # the same weights as cnnlib's model
        for i in (0, 3, 7):
            net[i].weight.copy_(torch.from_numpy(model[i].params["weight"]))
            net[i].bias.copy_(torch.from_numpy(model[i].params["bias"]))
    optimizer = torch.optim.SGD(net.parameters(), lr=0.01)
    tX, ty = torch.from_numpy(X), torch.from_numpy(y)

    def step():
        optimizer.zero_grad()
        torch.nn.functional.cross_entropy(net(tX), ty).backward()
        optimizer.step()
    return step


def blas_description():
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "BLAS: unknown (threadpoolctl not installed)"
    infos = [i for i in threadpool_info() if i.get("user_api") == "blas"]
    return "; ".join(f"{i.get('internal_api')} {i.get('version')} ({i.get('architecture')}, "
                     f"{i.get('num_threads')} threads)" for i in infos) or "BLAS: none found"


def interleaved_times(funcs, repeats, warmup=2):
    """Median (wall, CPU) seconds of each function, timed in turn round by round."""
    for _ in range(warmup):
        for func in funcs:
            func()
    wall, cpu = [[] for _ in funcs], [[] for _ in funcs]
    for _ in range(repeats):
        for k, func in enumerate(funcs):
            start_wall, start_cpu = time.perf_counter(), time.process_time()
            func()
            wall[k].append(time.perf_counter() - start_wall)
            cpu[k].append(time.process_time() - start_cpu)
    return [(statistics.median(w), statistics.median(c)) for w, c in zip(wall, cpu)]


def thread_limit(threads):
    """Limit numpy's BLAS (and torch) to ``threads`` threads; no limit for None."""
    if threads is None:
        return contextlib.nullcontext()
    if torch is not None:
        torch.set_num_threads(threads)
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        sys.exit("--threads needs threadpoolctl")
    return threadpool_limits(threads)


def profile(step, steps=10, top=18):
    """cProfile of ``steps`` calls of ``step``: the functions with most time of their own."""
    step()
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(steps):
        step()
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    return out.getvalue()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15, help="timed rounds (default 15; 3 for the slow path)")
    parser.add_argument("--threads", type=int, default=None, help="BLAS and torch threads (default: all)")
    parser.add_argument("--profile", action="store_true", help="also print cProfile of a cnnlib step")
    args = parser.parse_args()
    with thread_limit(args.threads):
        run(args)


def run(args):

    rng = np.random.default_rng(0)
    X = rng.standard_normal(BATCH, dtype=np.float32)
    y = rng.integers(0, 2, BATCH[0])
    fast, plain = reference_cnn(fuse=True), reference_cnn(fuse=False)
    steps = {"cnnlib (fast path)": cnnlib_step(fast, X, y, cnnlib.SGD(0.01))}
    if torch is not None:
        steps[f"torch {torch.__version__}"] = torch_step(reference_cnn(), X, y)

    print(f"numpy {np.__version__}; {blas_description()}")
    if torch is not None:
        print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    shape = "x".join(map(str, BATCH))
    print(f"one training step (forward, backward, SGD) of the reference CNN on {shape} float32")
    times = interleaved_times(list(steps.values()), repeats=args.repeats)
    reference = times[-1] if torch is not None else None
    # the plain path is much slower: a few rounds are enough
    steps["cnnlib (layer by layer)"] = cnnlib_step(plain, X, y, cnnlib.SGD(0.01))
    times += interleaved_times([steps["cnnlib (layer by layer)"]], repeats=3, warmup=1)
    print(f"{'':26}{'wall ms':>9}{'/ torch':>9}{'CPU ms':>9}{'/ torch':>9}")
    for name, (wall, cpu) in zip(steps, times):
        ratios = [f"{ours / ref:8.2f}x" if reference else f"{'-':>9}"
                  for ours, ref in zip((wall, cpu), reference or (1, 1))]
        print(f"{name:26}{wall * 1e3:9.1f}{ratios[0]}{cpu * 1e3:9.1f}{ratios[1]}")
    if reference:
        goal = "met" if times[0][0] <= 2 * reference[0] else "NOT met"
        print(f"goal <= 2x torch (wall time): {goal}")
    if args.profile:
        print("\ncProfile of 10 cnnlib fast-path steps (sorted by own time):")
        print(profile(steps["cnnlib (fast path)"]))


if __name__ == "__main__":
    main()
