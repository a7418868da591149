"""Time the data generators, and how long the book's small CNN takes to reach 95% on cats vs dogs.

Run ``python benchmarks/bench_data.py`` (``make bench``). It prints

* the median time of ``river()`` at its default size (goal: under 0.5 s);
* the median time of ``cats_vs_dogs(2000)`` (goal: about 1 s);
* the training time of the CNN of tests/test_datasets.py until its held-out accuracy
  first reaches 95% (goal: 30 s or less on 2 cores), checked every ``--every`` steps
  with the checks' own time left out, then the linear model's held-out accuracy
  (which must stay at or below 80%), trained as in the test and, as a ceiling, fitted
  to convergence (L-BFGS logistic regression, best of several L2 penalties, scipy).

Wall times on a shared machine vary; the CPU time of the process (``time.process_time``,
all threads added up) is printed next to them, and the load average before starting.
"""

import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _timing import median_time  # noqa: E402

import cnnlib as cl  # noqa: E402


class _Reached(Exception):
    pass


def small_cnn(rng):
    """The CNN of tests/test_datasets.py: two conv-ReLU-pool stages and a Dense layer."""
    return cl.Sequential(cl.Conv2D(3, 8, 3, padding=1, rng=rng), cl.ReLU(), cl.MaxPool2D(2),
                         cl.Conv2D(8, 16, 3, padding=1, rng=rng), cl.ReLU(), cl.MaxPool2D(2),
                         cl.Flatten(), cl.Dense(16 * 8 * 8, 2, rng=rng))


def time_to_accuracy(seed, target=0.95, every=10, max_epochs=8):
    """Train until the held-out accuracy reaches ``target``; (seconds, cpu seconds, epochs, accuracy)."""
    X, y = cl.cats_vs_dogs(3000, seed=seed)
    X_train, X_test, y_train, y_test = cl.train_test_split(X, y, test_fraction=1 / 3, seed=seed)
    model = small_cnn(np.random.default_rng(seed))
    steps_per_epoch = -(-len(X_train) // 32)
    spent = {"wall": 0.0, "cpu": 0.0, "acc": 0.0, "steps": 0}
    clock = [time.perf_counter(), time.process_time()]

    def check(epoch, batch, loss):
        spent["wall"] += time.perf_counter() - clock[0]
        spent["cpu"] += time.process_time() - clock[1]
        spent["steps"] = (epoch - 1) * steps_per_epoch + batch
        if batch % every == 0 or batch == steps_per_epoch:
            spent["acc"] = cl.evaluate(model, X_test, y_test)[1]
            if spent["acc"] >= target:
                raise _Reached
        clock[:] = [time.perf_counter(), time.process_time()]

    try:
        cl.fit(model, X_train, y_train, num_epochs=max_epochs, batch_size=32, optimizer=cl.Adam(lr=3e-3),
               seed=seed, progress=False, callback=check)
    except _Reached:
        pass
    return spent["wall"], spent["cpu"], spent["steps"] / steps_per_epoch, spent["acc"]


def linear_accuracy(seed):
    X, y = cl.cats_vs_dogs(3000, seed=seed)
    X_train, X_test, y_train, y_test = cl.train_test_split(X, y, test_fraction=1 / 3, seed=seed)
    model = cl.Sequential(cl.Flatten(), cl.Dense(3 * 32 * 32, 2, rng=np.random.default_rng(seed)))
    cl.fit(model, X_train, y_train, num_epochs=20, batch_size=32, optimizer=cl.Adam(lr=1e-3), progress=False)
    return cl.evaluate(model, X_test, y_test)[1]


def linear_ceiling(seed, penalties=(1e-2, 1, 100, 1000)):
    """Held-out accuracy of the best converged L2-regularised logistic regression on raw pixels."""
    from scipy.optimize import minimize

    X, y = cl.cats_vs_dogs(3000, seed=seed)
    X_train, X_test, y_train, y_test = cl.train_test_split(X, y, test_fraction=1 / 3, seed=seed)
    A = np.hstack([X_train.reshape(len(X_train), -1), np.ones((len(X_train), 1))]).astype(np.float64)
    B = np.hstack([X_test.reshape(len(X_test), -1), np.ones((len(X_test), 1))]).astype(np.float64)
    sign = 2.0 * y_train - 1

    def loss(w, penalty):
        margin = sign * (A @ w)
        grad = A.T @ (-sign / (1 + np.exp(margin))) / len(A) + penalty / len(A) * np.r_[w[:-1], 0]
        return np.logaddexp(0, -margin).mean() + 0.5 * penalty / len(A) * w[:-1] @ w[:-1], grad

    best = 0.0
    for penalty in penalties:
        w = minimize(loss, np.zeros(A.shape[1]), args=(penalty,), jac=True, method="L-BFGS-B",
                     options={"maxiter": 500}).x
        best = max(best, np.mean((B @ w > 0) == y_test))
    return best


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0], help="data and model seeds to train with")
    parser.add_argument("--every", type=int, default=10, help="check the held-out accuracy every this many steps")
    args = parser.parse_args(argv)
    print(f"load average before starting: {' '.join(f'{v:.1f}' for v in os.getloadavg())} "
          f"on {os.cpu_count()} cores")
    for label, func, goal in [("river() default size", cl.river, "< 0.5 s"),
                              ("cats_vs_dogs(2000)", lambda: cl.cats_vs_dogs(2000), "about 1 s")]:
        cpu = time.process_time()
        wall = median_time(func, repeats=3)
        cpu = (time.process_time() - cpu) / 4  # one warm-up call and three timed ones
        print(f"{label + ':':26s} {wall:6.3f} s  (cpu {cpu:.3f} s per call; goal {goal})")
    for seed in args.seeds:
        wall, cpu, epochs, acc = time_to_accuracy(seed, every=args.every)
        verdict = "reached" if acc >= 0.95 else "NOT reached"
        print(f"seed {seed}: CNN {verdict} {acc:.1%} held-out after {epochs:.2f} epochs: "
              f"{wall:.1f} s training (cpu {cpu:.1f} s; goal <= 30 s)")
        print(f"seed {seed}: linear model held-out accuracy {linear_accuracy(seed):.1%} (must stay <= 80%); "
              f"converged logistic regression, best penalty: {linear_ceiling(seed):.1%}")


if __name__ == "__main__":
    main()
