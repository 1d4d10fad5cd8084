#!/usr/bin/python3
"""results.csv and error_vs_step.png from the runs of run.sh: fbpinn's
runs/<name>/ (metrics.json, training.csv) and the published JAX code's
jax/<name>.csv and jax/<name>-history.csv, beside the values read off the
authors' weak-scaling figure (README.md).

    /usr/bin/python3 benchmarks/fbpinn-multilevel/summarize.py
"""

import csv
import json
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
# (name, scales n, levels L, overlap on our cells)
RUNS = [("n2-L3-1.9", 2, 3, 1.9), ("n2-L1-1.9", 2, 1, 1.9),
        ("n3-L4-1.9", 3, 4, 1.9), ("n3-L1-1.9", 3, 1, 1.9),
        ("n2-L3-2.533", 2, 3, 2.533), ("n2-L1-2.533", 2, 1, 2.533),
        ("n3-L4-2.171", 3, 4, 2.171), ("n3-L1-2.171", 3, 1, 2.171)]
JAX = [("n2-L3", 2, 3), ("n2-L1", 2, 1), ("n3-L4", 3, 4), ("n3-L1", 3, 1)]
# Multilevel FBPINN, normalized L1 after 30 000 steps, read off the
# weak-scaling plot of the authors' notebook (one seed; README.md).
PUBLISHED = {2: 1e-3, 3: 7e-3}


def main():
    rows = []
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2), sharey=True)
    for name, n, levels, overlap in RUNS:
        directory = os.path.join(HERE, "runs", name)
        path = os.path.join(directory, "metrics.json")
        if not os.path.exists(path):
            print(f"{name}: no metrics.json, skipped (run run.sh)")
            continue
        with open(path) as f:
            m = json.load(f)
        steps = m["solver"]["iterations"]
        solve = m["timings"]["solve"]
        rows.append({"code": "fbpinn", "run": name, "scales": n, "levels": levels,
                     "overlap": overlap, "subdomains": m["n_subdomains"],
                     "parameters": m["n_dofs"], "steps": steps,
                     "normalized_l1": m["errors"]["normalized_l1"],
                     "relative_l2": m["errors"]["relative_l2"], "seconds": solve,
                     "steps_per_s": steps / solve if solve > 0 else ""})
        with open(os.path.join(directory, "training.csv")) as f:
            history = list(csv.DictReader(f))
        ax = axes[n - 2]
        ax.plot([int(r["step"]) for r in history], [float(r["normalized_l1"]) for r in history],
                "-" if levels > 1 else "--", color="tab:red" if overlap == 1.9 else "tab:blue",
                label=f"fbpinn, {levels} level{'s' if levels > 1 else ''}, δ = {overlap}")
    for name, n, levels in JAX:
        path = os.path.join(HERE, "jax", name + ".csv")
        if not os.path.exists(path):
            print(f"jax {name}: no result, skipped")
            continue
        with open(path) as f:
            r = next(csv.DictReader(f))
        rows.append({"code": "jax", "run": name, "scales": n, "levels": levels,
                     "overlap": 1.9, "subdomains": r["n_subdomains"],
                     "parameters": r["parameters"], "steps": r["steps"],
                     "normalized_l1": float(r["normalized_l1"]),
                     "relative_l2": float(r["relative_l2"]),
                     "seconds": float(r["wall_seconds"]),
                     "steps_per_s": float(r["steps_per_second"])})
        with open(os.path.join(HERE, "jax", name + "-history.csv")) as f:
            history = list(csv.DictReader(f))
        axes[n - 2].plot([int(h["step"]) for h in history],
                         [float(h["normalized_l1"]) for h in history],
                         "-" if levels > 1 else "--", color="0.3",
                         label=f"JAX code, {levels} level{'s' if levels > 1 else ''}")
    if not rows:
        raise SystemExit("no runs: run run.sh first")
    for n, ax in zip((2, 3), axes):
        ax.axhline(PUBLISHED[n], color="k", lw=0.8, ls=":",
                   label="published multilevel (figure, ≈)")
        ax.set_title(f"n = {n}: finest level {2 ** n}² subdomains, "
                     f"{10 * 2 ** (n - 1)}² points", fontsize=9)
        ax.set_xlabel("Adam step")
        ax.set_yscale("log")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7)
    axes[0].set_ylabel("normalized L1 error")
    fig.suptitle("multiscale Laplace 2D, the weak-scaling test of the multilevel FBPINN",
                 fontsize=10)
    fig.tight_layout()
    fig.savefig(os.path.join(HERE, "error_vs_step.png"), dpi=120)
    with open(os.path.join(HERE, "results.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    for r in rows:
        print(", ".join(f"{k} {v:.3g}" if isinstance(v, float) else f"{k} {v}"
                        for k, v in r.items()))


if __name__ == "__main__":
    main()
