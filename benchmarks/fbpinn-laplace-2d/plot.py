#!/usr/bin/python3
"""error_vs_step.png and error_vs_time.png from run.py's output: the
normalized L1 error of fbpinn (C++; its training.csv, measured at the
collocation points) and of the JAX FBPINNs code (its own test step on the
350 x 350 grid, history-jax-*.csv; where a run has no history, only its final
error) against the Adam step and against the training time on one core, with
the published end points (README.md) on the time axis.

    /usr/bin/python3 benchmarks/fbpinn-laplace-2d/plot.py [--outdir DIR]

Needs Debian's python3-matplotlib (apt-get install python3-matplotlib).
"""

import argparse
import csv
import glob
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import fbpinn_bench as fb  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
# The published end points quoted in the project's issue (one core):
# (method, normalized L1, seconds).
PUBLISHED = (("fbpinn", 1.8e-3, 2400.), ("pinn", 8.1e-2, 1800.))
COLOURS = {"fbpinn": "C0", "pinn": "C1"}


def history(path):
    with open(path) as f:
        return [{k: float(v) for k, v in row.items()} for row in csv.DictReader(f)]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--outdir", default=HERE, help="run.py's --outdir")
    p.add_argument("--repeat", type=int, default=0, help="the repeat whose curves are drawn")
    args = p.parse_args()
    rows = fb.read_csv(os.path.join(args.outdir, "results.csv"))
    ok = [r for r in rows if r["failed"] == "False"]
    methods = [m for m in ("fbpinn", "pinn") if any(r["method"] == m for r in ok)]

    for x_key, name, label in (("step", "error_vs_step.png", "Adam step"),
                               ("wall_time", "error_vs_time.png",
                                "training time [s], one core")):
        fig, ax = plt.subplots(figsize=(7, 4.8))
        for method in methods:
            colour = COLOURS[method]
            for code, style, where in (("cpp", "-", "fbpinn C++, collocation points"),
                                       ("jax", "--", "FBPINNs JAX, test grid")):
                path = os.path.join(args.outdir, f"history-{code}-{method}-{args.repeat}.csv")
                h = history(path) if os.path.exists(path) else []
                if x_key == "wall_time":
                    h = [x for x in h if x["step"] > 0]   # log axis: no t = 0
                if len(h) > 1:
                    ax.plot([x[x_key] for x in h], [x["normalized_l1"] for x in h],
                            style, color=colour, label=f"{method} ({where})")
                # Final errors of every repeat (metrics.json / their last test).
                finals = [r for r in ok if r["code"] == code and r["method"] == method]
                if finals:
                    xs = [float(r["steps"]) if x_key == "step" else float(r["wall_seconds"])
                          for r in finals]
                    ax.plot(xs, [float(r["normalized_l1"]) for r in finals],
                            "o" if code == "cpp" else "s", color=colour, mfc="none",
                            label=f"{method} ({code}, final)")
            if x_key == "wall_time":
                for pm, l1, seconds in PUBLISHED:
                    if pm == method:
                        ax.plot([seconds], [l1], "*", color=colour, ms=12, mec="k",
                                label=f"{method} (published, one core)")
        ax.set_yscale("log")
        if x_key == "wall_time":
            ax.set_xscale("log")
        ax.set_xlabel(label)
        ax.set_ylabel("normalized L1 error")
        ax.set_title("2D multi-scale Laplace (ω up to 16π): fbpinn against FBPINNs")
        ax.legend(fontsize=7)
        fig.tight_layout()
        fig.savefig(os.path.join(args.outdir, name), dpi=120)
        print("wrote", os.path.join(args.outdir, name))


if __name__ == "__main__":
    main()
