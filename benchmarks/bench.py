"""Time nnlib's ``Network.fit`` against scikit-learn's ``MLPClassifier``.

Usage (``make bench`` runs the first line)::

    python benchmarks/bench.py                    # measure; write the results, the table, the plot
    python benchmarks/bench.py --runs 9           # more runs per workload and library (default 7, >= 5)
    python benchmarks/bench.py --only large-full  # some workloads (written to the JSON only)
    python benchmarks/bench.py --report-only      # redraw the table and plot from the JSON
    python benchmarks/bench.py --baseline /tmp/old --baseline-note "an earlier nnlib"

Method
------
* Both libraries train the same network on the same data with the same settings:
  plain SGD (momentum 0, no L2 penalty), logistic (sigmoid) hidden units, a
  constant learning rate, the same number of epochs and the same batch size, and
  no early stopping (tol 0, n_iter_no_change larger than the number of epochs).
  scikit-learn's classifier has a sigmoid output with binary cross-entropy for
  two classes and a softmax with cross-entropy for ten, so nnlib gets the same
  output/loss pairs. Both compute in float64.
* Every measurement runs in a fresh Python process, which times ``fit`` alone:
  the imports and the data are ready before the clock starts. The two libraries
  take turns, and which one goes first changes from run to run, so that a
  background load affects both alike (``--baseline`` adds an older nnlib as a
  third program in the same rotation). A workload's time is the median over the
  runs, in milliseconds per epoch.
* Unless ``--no-keep-pages`` is given, both libraries are timed a second time in the
  same rotation with glibc's allocator told to keep freed memory (KEEP_PAGES), and
  every run counts its minor page faults: the second table of the results.
* In the same session a child process measures the float64 matrix-product (GEMM)
  throughput at 1024 x 1024 x 1024. A full-batch epoch of a network with layer
  sizes n_0, ..., n_L on n samples needs at least 6 * sum_l n_(l-1) * n_l * n
  floating-point operations: 2 for the forward product A W^T, 2 for the
  weight gradient delta^T A and 2 for delta W. Divided by the GEMM throughput
  this is the FLOP bound, the time an epoch could not beat even if it were
  nothing but large matrix products. The same child also times the products that
  backpropagation needs, at the workload's shapes and in the order of an epoch
  ("products alone").

Outputs: ``benchmarks/results.json`` (every run), ``benchmarks/results.md`` (the
tables that the appendix "How fast is nnlib?" includes) and
``appendices/performance.png`` (its plot). The timings of another nnlib,
``benchmarks/results_before.json``, are shown beside the new ones: an earlier
version that wrote every step into work arrays made once per training run. They
were recorded with ``--baseline FOLDER``, FOLDER holding that ``nnlib`` package,
so that both versions of nnlib and scikit-learn took turns in one session.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "benchmarks"
PLOT = ROOT / "appendices" / "performance.png"

# Six workloads: layer sizes, data, batch size (None: the full batch), epochs, learning rate.
WORKLOADS = [
    dict(name="circle-full", label="2-8-1, 500 circle points, full batch",
         sizes=[2, 8, 1], data="circle500", batch=None, epochs=2000, lr=0.5),
    dict(name="circle-32", label="2-8-1, 500 circle points, batches of 32",
         sizes=[2, 8, 1], data="circle500", batch=32, epochs=200, lr=0.1),
    dict(name="large-full", label="2-64-64-1, 10,000 circle points, full batch",
         sizes=[2, 64, 64, 1], data="circle10000", batch=None, epochs=40, lr=0.5),
    dict(name="large-32", label="2-64-64-1, 10,000 circle points, batches of 32",
         sizes=[2, 64, 64, 1], data="circle10000", batch=32, epochs=10, lr=0.1),
    dict(name="digits-full", label="64-128-10, 1,797 digits, full batch",
         sizes=[64, 128, 10], data="digits", batch=None, epochs=100, lr=0.5),
    dict(name="digits-32", label="64-128-10, 1,797 digits, batches of 32",
         sizes=[64, 128, 10], data="digits", batch=32, epochs=30, lr=0.1),
]
BY_NAME = {w["name"]: w for w in WORKLOADS}
N_SAMPLES = {"circle500": 500, "circle10000": 10_000, "digits": 1797}
GEMM_N = 1024


# ------------------------------------------------------------------ child side
def load_data(name: str):
    from nnlib import datasets

    if name == "circle500":
        return datasets.circle(500, rng=0)
    if name == "circle10000":
        return datasets.circle(10_000, rng=0)
    if name == "digits":
        return datasets.digits()
    raise ValueError(f"unknown data set {name!r}")


def run_nnlib(w: dict, X, y) -> tuple[float, float]:
    from nnlib import Network

    two_class = w["sizes"][-1] == 1
    start = time.perf_counter()
    net = Network(w["sizes"], hidden="sigmoid", output="sigmoid" if two_class else "softmax",
                  loss="bce" if two_class else "cross_entropy", rng=0)
    history = net.fit(X, y, w["epochs"], lr=w["lr"], batch_size=w["batch"])
    elapsed = time.perf_counter() - start
    return elapsed, history.final_loss


def run_sklearn(w: dict, X, y) -> tuple[float, float]:
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    start = time.perf_counter()
    clf = MLPClassifier(
        hidden_layer_sizes=tuple(w["sizes"][1:-1]), activation="logistic", solver="sgd",
        alpha=0.0, batch_size=w["batch"] or X.shape[0], learning_rate="constant",
        learning_rate_init=w["lr"], momentum=0.0, nesterovs_momentum=False,
        max_iter=w["epochs"], tol=0.0, n_iter_no_change=10 * w["epochs"] + 10,
        early_stopping=False, shuffle=True, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # max_iter reached, as intended
        clf.fit(X, y)
    elapsed = time.perf_counter() - start
    assert clf.n_iter_ == w["epochs"], "scikit-learn stopped early"
    return elapsed, float(clf.loss_curve_[-1])


def _median_time(f, repeats: int) -> float:
    for _ in range(2):
        f()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        f()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def gemm_gflops(n: int = GEMM_N, repeats: int = 15) -> float:
    """float64 GEMM throughput at n x n x n, in GFLOP/s."""
    import numpy as np

    rng = np.random.default_rng(0)
    A, B, C = rng.standard_normal((n, n)), rng.standard_normal((n, n)), np.empty((n, n))
    return 2 * n**3 / _median_time(lambda: np.matmul(A, B, out=C), repeats) / 1e9


def products_ms(w: dict, repeats: int = 15) -> float:
    """Milliseconds for the matrix products that backpropagation needs, at w's shapes.

    For every layer: the forward product and the weight gradient; for every layer but
    the first, the product that sends the error back (δ^0 is never needed). They run in
    the order of an epoch, so that, as in training, each reads arrays that the previous
    ones have pushed out of the cache, and each returns a new array, as in nnlib's
    ``A @ W.T``, ``Delta.T @ A`` and ``Delta @ W``.
    """
    import numpy as np

    rng = np.random.default_rng(0)
    m, sizes = N_SAMPLES[w["data"]], w["sizes"]
    layers = [(rng.random((m, n_in)), rng.random((n_out, n_in)), rng.random((m, n_out)))
              for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=False)]

    def epoch() -> None:
        for A, W, _ in layers:
            A @ W.T                                   # forward:         Z = A Wᵀ
        for l in range(len(layers) - 1, -1, -1):
            A, W, D = layers[l]
            D.T @ A                                   # weight gradient: Δᵀ A
            if l > 0:
                D @ W                                 # back:            Δ W

    return 1000 * _median_time(epoch, repeats)


def child(argv: list[str]) -> None:
    kind = argv[0]
    if kind == "gemm":
        products = {w["name"]: products_ms(w) for w in WORKLOADS if w["batch"] is None}
        print(json.dumps({"gflops": gemm_gflops(), "products_ms": products}))
        return
    w = BY_NAME[argv[1]]
    import sklearn  # noqa: F401  (both sides pay for the same imports before the clock starts)

    import nnlib

    X, y = load_data(w["data"])
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    elapsed, loss = (run_nnlib if kind == "nnlib" else run_sklearn)(w, X, y)
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults  # minor page faults in fit
    print(json.dumps({"ms_per_epoch": 1000 * elapsed / w["epochs"], "final_loss": loss,
                      "faults_per_epoch": faults / w["epochs"],
                      "nnlib": str(Path(nnlib.__file__).parent)}))


# ----------------------------------------------------------------- driver side
# glibc's malloc gives large freed blocks back to the operating system (munmap, or trimming
# the top of the heap), so that the next array of that size starts on fresh pages, each
# touched for the first time through a page fault. These two settings make it keep them.
KEEP_PAGES = {"MALLOC_TRIM_THRESHOLD_": str(2**30), "MALLOC_MMAP_THRESHOLD_": str(2**25)}
KEPT = "-kept"  # suffix of the sides that run with KEEP_PAGES


def spawn(*args: str, nnlib_path: Path | None = None, keep_pages: bool = False) -> dict:
    env = dict(os.environ, **(KEEP_PAGES if keep_pages else {}))
    if nnlib_path is not None:  # a child's sys.path starts with benchmarks/, then PYTHONPATH
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(nnlib_path), env.get("PYTHONPATH")]))
    out = subprocess.run([sys.executable, __file__, "--child", *args], check=True,
                         capture_output=True, text=True, cwd=ROOT, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def flops_per_epoch(w: dict) -> int:
    s = w["sizes"]
    return 6 * sum(a * b for a, b in zip(s[:-1], s[1:], strict=False)) * N_SAMPLES[w["data"]]


def measure(runs: int, only: list[str] | None, paths: dict[str, Path | None],
            keep_pages: bool = True) -> dict:
    """Time every workload ``runs`` times for each side, alternating the sides.

    ``paths`` maps each nnlib side ("nnlib", and "baseline" if given) to the folder of
    the nnlib package it times (None: the installed one); scikit-learn is always timed.
    With ``keep_pages``, nnlib and scikit-learn are timed a second time each, as the
    sides "nnlib-kept" and "sklearn-kept", with the allocator settings KEEP_PAGES.
    """
    workloads = [w for w in WORKLOADS if not only or w["name"] in only]
    sides = ["nnlib", "sklearn", *[k for k in paths if k != "nnlib"]]
    if keep_pages:
        sides += ["nnlib" + KEPT, "sklearn" + KEPT]
    samples = {w["name"]: {side: [] for side in sides} for w in workloads}
    losses = {w["name"]: {side: [] for side in sides} for w in workloads}
    faults = {w["name"]: {side: [] for side in sides} for w in workloads}
    gemm: list[dict] = []
    packages: dict[str, set] = {side: set() for side in sides}
    started = datetime.datetime.now().isoformat(timespec="seconds")
    start = time.perf_counter()
    for r in range(runs):
        gemm.append(spawn("gemm"))
        order = sides[r % len(sides):] + sides[:r % len(sides)]  # each side goes first in turn
        for w in workloads:
            for side in order if r % 2 == 0 else order[::-1]:
                kind = "sklearn" if side.startswith("sklearn") else "nnlib"
                res = spawn(kind, w["name"], nnlib_path=paths.get(side.removesuffix(KEPT)),
                            keep_pages=side.endswith(KEPT))
                samples[w["name"]][side].append(res["ms_per_epoch"])
                losses[w["name"]][side].append(res["final_loss"])
                faults[w["name"]][side].append(res["faults_per_epoch"])
                packages[side].add(res["nnlib"])
        print(f"  run {r + 1}/{runs} done ({time.perf_counter() - start:.0f} s)", flush=True)
    return dict(workloads=workloads, samples=samples, losses=losses, faults=faults, gemm=gemm,
                started=started,
                packages=packages, runs=runs, seconds=time.perf_counter() - start)


def summarise(m: dict, side: str, note: str) -> dict:
    """The results of one nnlib side against scikit-learn, as written to the JSON files.

    For the side "nnlib", each workload also gets ``kept``: both libraries' times with
    the allocator settings KEEP_PAGES, when they were measured.
    """
    gflops = statistics.median(g["gflops"] for g in m["gemm"])
    rows = []
    for w in m["workloads"]:
        s = m["samples"][w["name"]]
        nn, sk = statistics.median(s[side]), statistics.median(s["sklearn"])
        row = dict(name=w["name"], label=w["label"], sizes=w["sizes"], n=N_SAMPLES[w["data"]],
                   batch_size=w["batch"], epochs=w["epochs"], lr=w["lr"],
                   nnlib_ms=nn, sklearn_ms=sk, ratio=nn / sk,
                   nnlib_runs=s[side], sklearn_runs=s["sklearn"],
                   nnlib_final_loss=m["losses"][w["name"]][side][0],
                   sklearn_final_loss=m["losses"][w["name"]]["sklearn"][0],
                   nnlib_faults=statistics.median(m["faults"][w["name"]][side]),
                   sklearn_faults=statistics.median(m["faults"][w["name"]]["sklearn"]))
        if side == "nnlib" and s.get("nnlib" + KEPT):
            nn_kept, sk_kept = statistics.median(s["nnlib" + KEPT]), statistics.median(s["sklearn" + KEPT])
            row["kept"] = dict(settings=KEEP_PAGES, nnlib_ms=nn_kept, sklearn_ms=sk_kept,
                               ratio=nn_kept / sk_kept, nnlib_runs=s["nnlib" + KEPT],
                               sklearn_runs=s["sklearn" + KEPT],
                               nnlib_faults=statistics.median(m["faults"][w["name"]]["nnlib" + KEPT]),
                               sklearn_faults=statistics.median(m["faults"][w["name"]]["sklearn" + KEPT]))
        if w["batch"] is None:
            row["flops_per_epoch"] = flops_per_epoch(w)
            row["flop_bound_ms"] = 1000 * row["flops_per_epoch"] / (gflops * 1e9)
            row["products_ms"] = statistics.median(g["products_ms"][w["name"]] for g in m["gemm"])
            row["distance"] = nn / row["flop_bound_ms"]
        rows.append(row)
    import numpy
    import sklearn

    meta = dict(date=m["started"][:10], started=m["started"], note=note,
                python=platform.python_version(), numpy=numpy.__version__,
                sklearn=sklearn.__version__, machine=cpu_name(), cores=os.cpu_count(),
                openblas_threads=os.environ.get("OPENBLAS_NUM_THREADS", "default"),
                load_average=os.getloadavg()[0], nnlib_package=sorted(m["packages"][side]),
                runs=m["runs"], gemm_n=GEMM_N, gemm_gflops=gflops,
                gemm_runs=[g["gflops"] for g in m["gemm"]], seconds=m["seconds"])
    return dict(meta=meta, workloads=rows)


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


# ------------------------------------------------------------------ reporting
def ms(x: float) -> str:
    return f"{x:.3g}" if x < 100 else f"{x:.0f}"


def faults(x: float) -> str:
    """A count of page faults per epoch: two significant digits, at least the units."""
    return f"{x:,.0f}" if x >= 100 else f"{x:.2g}"


def markdown_table(head: list[str], rows: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(head) + " |", "|---|" + "--:|" * (len(head) - 1),
            *["| " + " | ".join(r) + " |" for r in rows]]


def spread(results: dict) -> str:
    """One sentence on how far the single runs scatter around the medians."""
    def rel(runs: list[float]) -> float:
        return (max(runs) - min(runs)) / statistics.median(runs)

    worst = max(results["workloads"], key=lambda w: rel(w["nnlib_runs"]))
    sk = max(rel(w["sklearn_runs"]) for w in results["workloads"])
    return (f"Single runs scatter: nnlib's fastest and slowest run of a workload differ by up to "
            f"{rel(worst['nnlib_runs']):.0%} of its median ({worst['label']}), "
            f"scikit-learn's by up to {sk:.0%}; every run is in results.json.")


def report(after: dict, before: dict | None) -> str:
    """The two tables (against scikit-learn, against the FLOP bound) and a note, as Markdown."""
    old = {w["name"]: w for w in before["workloads"]} if before else {}
    speed, bound = [], []
    for w in after["workloads"]:
        b = old.get(w["name"])
        speed.append([w["label"], ms(w["sklearn_ms"]), ms(b["nnlib_ms"]) if b else "–",
                      f"{b['ratio']:.2f}" if b else "–", ms(w["nnlib_ms"]),
                      f"**{w['ratio']:.2f}**"])
        if "distance" in w:
            bound.append([w["label"], f"{w['flops_per_epoch'] / 1e6:.3g}", ms(w["flop_bound_ms"]),
                          f"{ms(w['products_ms'])} ({w['products_ms'] / w['flop_bound_ms']:.1f}×)",
                          f"{w['products_ms'] / w['sklearn_ms']:.2f}",
                          f"{b['distance']:.1f}×" if b else "–", f"**{w['distance']:.1f}×**"])
    m = after["meta"]
    lines = markdown_table(["Workload", "scikit-learn", "reused arrays", "ratio, reused",
                            "nnlib", "ratio"], speed)
    lines += ["", f"Milliseconds per epoch, median of {m['runs']} fresh processes per library; "
              "ratio = nnlib / scikit-learn, below 1 when nnlib is faster. "
              f"{spread(after)}", ""]
    kept = [w for w in after["workloads"] if "kept" in w]
    if kept:
        lines += markdown_table(
            ["Workload", "scikit-learn, pages kept", "nnlib, pages kept", "ratio, pages kept",
             "ratio, as above", "page faults per epoch, nnlib", "scikit-learn"],
            [[w["label"], ms(w["kept"]["sklearn_ms"]), ms(w["kept"]["nnlib_ms"]),
              f"**{w['kept']['ratio']:.2f}**", f"{w['ratio']:.2f}",
              f"{faults(w['nnlib_faults'])} → {faults(w['kept']['nnlib_faults'])}",
              f"{faults(w['sklearn_faults'])} → {faults(w['kept']['sklearn_faults'])}"]
             for w in kept])
        settings = " and ".join(f"`{k}={v}`" for k, v in KEEP_PAGES.items())
        lines += ["", "The same programs in the same session, with glibc's allocator told to keep "
                  f"the memory that a freed array leaves ({settings}): a new array then reuses "
                  "pages that are already mapped instead of faulting in fresh ones. "
                  "Medians of the same number of runs; the page faults are the minor faults "
                  "counted by the operating system during `fit`, per epoch, with the default "
                  "allocator → with the pages kept.", ""]
    lines += markdown_table(["Full-batch workload", "MFLOP per epoch", "FLOP bound (ms)",
                             "products alone (ms)", "lowest ratio", "reused arrays", "nnlib"], bound)
    lines += ["", "\"Products alone\" times the matrix products that backpropagation needs, in "
              "the order of an epoch and nothing else, in milliseconds and as a multiple of the "
              "FLOP bound; dividing it by scikit-learn's time gives the lowest ratio that nnlib "
              "could reach if all its other work were free. The last two columns give nnlib's "
              "time per epoch as a multiple of the FLOP bound.", ""]
    note = (f"Measured on {m['date']}: {m['machine']}, {m['cores']} cores, Python {m['python']}, "
            f"NumPy {m['numpy']}, scikit-learn {m['sklearn']}; float64 GEMM at "
            f"{m['gemm_n']}³ ran at {m['gemm_gflops']:.0f} GFLOP/s.")
    if before:
        bm = before["meta"]
        what = bm.get("note") or "nnlib with reused work arrays"
        if bm.get("started") == m.get("started"):
            note += (f" The \"reused arrays\" columns time {what}, in the same session: all the "
                     "programs took turns.")
        else:
            note += (f" The \"reused arrays\" columns come from a session of {bm['date']}, in which GEMM "
                     f"ran at {bm['gemm_gflops']:.0f} GFLOP/s, and time {what}.")
    return "\n".join(lines + [note]) + "\n"


def plot(after: dict, before: dict | None, path: Path) -> None:
    """Two panels: milliseconds per epoch (with the FLOP bounds), and the ratio to scikit-learn."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    from nnlib import plotting

    plotting.use_style()
    old = {w["name"]: w for w in before["workloads"]} if before else {}
    rows = after["workloads"]
    y = np.arange(len(rows))[::-1].astype(float)
    h = 0.27
    colors = {"sklearn": "#8c8c8c", "before": "#aec7e8", "now": plotting.CLASS_COLORS[0],
              "kept": plotting.CLASS_COLORS[1]}
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(11, 5.4), sharey=True,
                                  gridspec_kw={"width_ratios": [1.6, 1]})
    ax.barh(y + h, [w["sklearn_ms"] for w in rows], h, color=colors["sklearn"],
            label="scikit-learn MLPClassifier")
    if old:
        ax.barh(y, [old[w["name"]]["nnlib_ms"] for w in rows], h, color=colors["before"],
                label="nnlib with reused work arrays")
    ax.barh(y - h, [w["nnlib_ms"] for w in rows], h, color=colors["now"], label="nnlib")
    full = [(yy, w) for yy, w in zip(y, rows, strict=True) if "flop_bound_ms" in w]
    ax.scatter([w["flop_bound_ms"] for _, w in full], [yy for yy, _ in full], marker="|",
               s=600, color="black", linewidths=2, zorder=3, label="FLOP bound (full batch)")
    ax.set_xscale("log")
    ax.set_yticks(y, [w["label"].replace(", ", "\n", 1) for w in rows])
    ax.set_xlabel("milliseconds per epoch (log scale)")
    ax.set_title("Time per epoch (shorter is faster)")

    kept = all("kept" in w for w in rows)
    if old:
        ax2.barh(y + h, [old[w["name"]]["ratio"] for w in rows], h, color=colors["before"])
    ax2.barh(y, [w["ratio"] for w in rows], h, color=colors["now"])
    if kept:
        ax2.barh(y - h, [w["kept"]["ratio"] for w in rows], h, color=colors["kept"],
                 label="nnlib, allocator keeping its pages")
    ax2.axvline(1.0, color="black", linewidth=1, label="as fast as scikit-learn")
    ax2.set_xlabel("nnlib time / scikit-learn time")
    ax2.set_title("nnlib / scikit-learn (below 1: faster)")
    ax2.set_xlim(0, max(1.2, 1.05 * max([w["ratio"] for w in rows]
                                         + [o["ratio"] for o in old.values()]
                                         + [w["kept"]["ratio"] for w in rows if kept])))

    entries = dict(zip(*ax.get_legend_handles_labels()[::-1], strict=True))
    entries.update(zip(*ax2.get_legend_handles_labels()[::-1], strict=True))
    order = ["scikit-learn MLPClassifier", "nnlib with reused work arrays", "nnlib",
             "nnlib, allocator keeping its pages", "FLOP bound (full batch)",
             "as fast as scikit-learn"]
    order = [label for label in order if label in entries]
    fig.legend([entries[label] for label in order], order, loc="lower center", ncol=3,
               fontsize=8, frameon=False)
    fig.tight_layout(rect=(0, 0.09, 1, 1))
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per workload and library (>= 5)")
    parser.add_argument("--only", nargs="*", choices=list(BY_NAME), help="workloads to run")
    parser.add_argument("--output", type=Path, default=HERE / "results.json")
    parser.add_argument("--before", type=Path, default=HERE / "results_before.json",
                        help="earlier results to show beside the new ones, if the file exists")
    parser.add_argument("--nnlib-path", type=Path, default=None,
                        help="time the nnlib package in this folder instead of the installed one")
    parser.add_argument("--baseline", type=Path, default=None,
                        help="also time the nnlib package in this folder (e.g. a checkout of the "
                             "earlier version), in the same session, and write its "
                             "results to --before")
    parser.add_argument("--baseline-note", default="nnlib with reused work arrays",
                        help="what the baseline is, stored with its results")
    parser.add_argument("--note", default="", help="a remark stored with the results")
    parser.add_argument("--no-keep-pages", action="store_true",
                        help="skip the second timing of both libraries with KEEP_PAGES")
    parser.add_argument("--report-only", action="store_true",
                        help="measure nothing: rewrite the table and the plot from --output")
    args = parser.parse_args()
    if args.runs < 5:
        parser.error("--runs must be at least 5")
    if args.report_only:
        results = json.loads(args.output.read_text())
    else:
        n = len(args.only) if args.only else len(WORKLOADS)
        print(f"Timing {n} workloads, {args.runs} fresh processes per library each ...", flush=True)
        paths = {"nnlib": args.nnlib_path}
        if args.baseline:
            paths["baseline"] = args.baseline
        measured = measure(args.runs, args.only, paths, keep_pages=not args.no_keep_pages)
        results = summarise(measured, "nnlib", args.note)
        args.output.write_text(json.dumps(results, indent=1) + "\n")
        if args.baseline:
            baseline = summarise(measured, "baseline", args.baseline_note)
            args.before.write_text(json.dumps(baseline, indent=1) + "\n")
    before = None
    if args.before.exists() and args.before.resolve() != args.output.resolve():
        before = json.loads(args.before.read_text())
    text = report(results, before)
    print()
    print(text)
    written = [] if args.report_only else [args.output] + ([args.before] if args.baseline else [])
    if args.output.resolve() == (HERE / "results.json").resolve() and not args.only:
        (HERE / "results.md").write_text(text)
        plot(results, before, PLOT)
        written += [HERE / "results.md", PLOT]
    print("wrote " + ", ".join(os.path.relpath(p, ROOT) for p in written)
          + f" (the measurements took {results['meta']['seconds']:.0f} s)")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2:])
    else:
        main()
