"""Timing helper shared by the benchmarks: the median wall time of repeated calls."""

import statistics
import time


def median_time(func, repeats=7, warmup=1, min_time=0.0):
    """Median wall-clock seconds of ``func()`` over ``repeats`` calls, after ``warmup`` calls.

    Parameters
    ----------
    func : callable
        Called with no arguments.
    repeats : int
        Number of timed calls (at least 1).
    warmup : int
        Untimed calls first (caches, allocator, BLAS threads).
    min_time : float
        Keep timing past ``repeats`` until this many seconds have been spent in
        total; short functions get more samples.

    Returns
    -------
    float
        Median seconds per call.
    """
    if repeats < 1:
        raise ValueError(f"repeats must be at least 1, got {repeats}")
    for _ in range(warmup):
        func()
    times = []
    while len(times) < repeats or sum(times) < min_time:
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)

