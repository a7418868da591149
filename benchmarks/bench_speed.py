"""cnnlib against scipy and torch, each contender timed in its own process (float32).

Run ``python benchmarks/bench_speed.py`` (``make bench``). For each contender it starts
``contenders.py`` in a fresh process, which times that library's workloads one after
the other in long blocks and reports medians. Timing the libraries call by call in
one process would be unfair to both: each library's idle worker threads spin and take
the cores from the other (benchmarks/README.md). It prints the BLAS each process
loaded, then the medians, the ratios cnnlib / reference and the goals.

If ``OPENBLAS_CORETYPE`` or ``OPENBLAS_L2_SIZE`` is set, it says so and runs everything
twice: as set, and with both unset. ``--threads N`` gives every contender N threads
(``OPENBLAS_NUM_THREADS``, ``OMP_NUM_THREADS``); by default each uses all cores.
``--markdown`` also prints the table for the README.
"""

import argparse
import datetime
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OPENBLAS_VARS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")

# (workload, cnnlib row, reference contender, reference row, goal: at most this ratio)
ROWS = [
    ("correlate2d, 256x256 image, 3x3 kernel", "correlate2d 256x256 3x3", "scipy", "correlate2d 256x256 3x3", None),
    ("conv2d forward, 64x3x64x64, 16 filters", "conv2d forward 64x3x64x64", "torch",
     "conv2d forward 64x3x64x64", 2.0),
    ("conv2d forward, 64x16x32x32, 32 filters", "conv2d forward 64x16x32x32", "torch",
     "conv2d forward 64x16x32x32", 2.0),
    ("conv2d forward+backward, 64x3x64x64, 16 filters", "conv2d forward+backward 64x3x64x64", "torch",
     "conv2d forward+backward 64x3x64x64", 2.0),
    ("conv2d forward+backward, 64x16x32x32, 32 filters", "conv2d forward+backward 64x16x32x32", "torch",
     "conv2d forward+backward 64x16x32x32", 2.0),
    ("training step, reference CNN, default (plain) path", "training step, plain", "torch", "training step", 3.0),
    ("training step, reference CNN, fuse=True", "training step, fuse=True", "torch", "training step", 1.5),
]


def run_contender(name, env, min_time):
    """Run one contender in its own process; its JSON report, or None if it cannot run."""
    proc = subprocess.run([sys.executable, os.path.join(HERE, "contenders.py"), name, str(min_time)],
                          env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        print(f"  {name}: not timed ({last})")
        return None
    return json.loads(proc.stdout)


def measure(env, min_time):
    """Reports of every contender, run one after the other, each in a fresh process."""
    reports = {}
    for name in ("cnnlib", "torch", "scipy"):
        report = run_contender(name, env, min_time)
        if report is not None:
            reports[name] = report
            blas = "; ".join(report["versions"]["blas"]) or "none loaded"
            extra = report["versions"].get(name, "") if name != "cnnlib" else ""
            print(f"  {name} {extra}".rstrip() + f" | BLAS: {blas}")
    return reports


def table_rows(reports):
    rows = []
    ours = reports.get("cnnlib", {}).get("median_seconds", {})
    for label, mine, ref_name, ref_row, goal in ROWS:
        t_ours = ours.get(mine)
        t_ref = reports.get(ref_name, {}).get("median_seconds", {}).get(ref_row)
        ratio = t_ours / t_ref if t_ours and t_ref else None
        verdict = "" if goal is None or ratio is None else ("met" if ratio <= goal else "NOT met")
        rows.append((label, t_ours, ref_name, t_ref, ratio, goal, verdict))
    return rows


def ms(t):
    return "-" if t is None else f"{t * 1e3:.1f}" if t >= 0.01 else f"{t * 1e3:.2f}"


def print_table(rows):
    print(f"{'workload':<52}{'cnnlib ms':>10}{'reference':>10}{'ref ms':>9}{'ratio':>7}  goal")
    for label, t_ours, ref_name, t_ref, ratio, goal, verdict in rows:
        r = "-" if ratio is None else f"{ratio:.2f}x"
        g = "" if goal is None else f"<= {goal:g}x {verdict}"
        print(f"{label:<52}{ms(t_ours):>10}{ref_name:>10}{ms(t_ref):>9}{r:>7}  {g}")


def markdown(rows, title):
    lines = [title, "", "| workload | cnnlib (ms) | reference (ms) | ratio | goal |", "|---|---:|---:|---:|---|"]
    for label, t_ours, ref_name, t_ref, ratio, goal, verdict in rows:
        r = "-" if ratio is None else f"{ratio:.2f}x"
        g = "-" if goal is None else f"<= {goal:g}x, {verdict}"
        lines.append(f"| {label} | {ms(t_ours)} | {ref_name} {ms(t_ref)} | {r} | {g} |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-time", type=float, default=1.0,
                        help="seconds of timed calls per workload (at least 5 calls; default 1)")
    parser.add_argument("--threads", type=int, default=None,
                        help="threads for every contender (default: the environment's, all cores)")
    parser.add_argument("--markdown", action="store_true", help="also print the README's table")
    args = parser.parse_args(argv)

    today = datetime.date.today().isoformat()
    cores = os.cpu_count()
    print(f"{today}, {cores} cores, load average before: " + " ".join(f"{v:.1f}" for v in os.getloadavg()))
    base = dict(os.environ)
    if args.threads is not None:
        base.update(OPENBLAS_NUM_THREADS=str(args.threads), OMP_NUM_THREADS=str(args.threads))
    threads = f"{args.threads} thread(s)" if args.threads else "all cores"
    variants = [(f"{threads}, OpenBLAS settings as the environment has them", base)]
    set_vars = {v: os.environ[v] for v in OPENBLAS_VARS if v in os.environ}
    if set_vars:
        print("Set in the environment: " + ", ".join(f"{k}={v}" for k, v in set_vars.items())
              + "; the figures follow with them set, then with both unset.")
        unset = {k: v for k, v in base.items() if k not in OPENBLAS_VARS}
        variants = [(f"{threads}, " + ", ".join(f"{k}={v}" for k, v in set_vars.items()), base),
                    (f"{threads}, " + " and ".join(OPENBLAS_VARS) + " unset", unset)]
    else:
        print("OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are not set: OpenBLAS picks its own kernel.")
    results = []
    for label, env in variants:
        print(f"\n== each contender in its own process, {label}")
        rows = table_rows(measure(env, args.min_time))
        print_table(rows)
        results.append((label, rows))
    print("\nratio = cnnlib median / reference median (lower is better);"
          " load average after: " + " ".join(f"{v:.1f}" for v in os.getloadavg()))
    if args.markdown:
        for label, rows in results:
            print()
            print(markdown(rows, f"Measured {today} with `make bench` ({cores} cores, float32, "
                                 f"each library in its own process, {label}; load average "
                                 f"{os.getloadavg()[0]:.1f} at the end):"))


if __name__ == "__main__":
    main()
