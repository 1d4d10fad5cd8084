#!/usr/bin/python3
"""u(x, t) of each method at t = 0, 1/4, 1/2, 3/4, 1 beside the reference,
from the <method>.csv files (solution_slices.csv of a 1D + t run: t, x, u,
u_exact) in FOLDER/slices/ (written by FOLDER/slices.sh); the plot is
FOLDER/slices.png.

    /usr/bin/python3 benchmarks/plot_slices.py FOLDER REFERENCE_LABEL TITLE
"""

import csv
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

METHODS = [("fem", "FEM"), ("elm", "ELM-FBPINN"), ("fbpinn", "FBPINN"), ("pinn", "PINN")]
TIMES = [0.0, 0.25, 0.5, 0.75, 1.0]


def read(path):
    by_time = {}
    with open(path) as f:
        for row in csv.DictReader(f):
            t = float(row["t"])
            by_time.setdefault(t, []).append((float(row["x"]), float(row["u"]), float(row["u_exact"])))
    return by_time


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    here, reference, title = sys.argv[1:]
    present = [(m, label) for m, label in METHODS
               if os.path.exists(os.path.join(here, "slices", m + ".csv"))]
    if not present:
        raise SystemExit("no slices/*.csv: run slices.sh first")
    fig, axes = plt.subplots(1, len(present), figsize=(4.2 * len(present), 3.6),
                             sharey=True, squeeze=False)
    colors = plt.get_cmap("viridis")
    for ax, (method, label) in zip(axes[0], present):
        data = read(os.path.join(here, "slices", method + ".csv"))
        for i, wanted in enumerate(TIMES):
            t = min(data, key=lambda s: abs(s - wanted))
            rows = sorted(data[t])
            x = [r[0] for r in rows]
            color = colors(i / (len(TIMES) - 1))
            ax.plot(x, [r[2] for r in rows], color="0.6", lw=3.0, alpha=0.6,
                    label=reference if i == 0 else None)
            ax.plot(x, [r[1] for r in rows], color=color, lw=1.2, label=f"t = {t:.2f}")
        ax.set_title(label)
        ax.set_xlabel("x")
        ax.grid(alpha=0.3)
    axes[0][0].set_ylabel("u(x, t)")
    axes[0][-1].legend(fontsize=7, loc="upper right")
    fig.suptitle(title + ": each method (thin) and the reference (grey)")
    fig.tight_layout()
    out = os.path.join(here, "slices.png")
    fig.savefig(out, dpi=110)
    print(out)


if __name__ == "__main__":
    main()
