#!/usr/bin/python3
"""Draw u, u_exact and the error of a 1D run from the solution.csv that fbpinn
writes into the output directory of every 1D run.

    /usr/bin/python3 benchmarks/plot_solution_1d.py OUTPUT_DIR [PNG]
"""

import csv
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    directory = sys.argv[1]
    png = sys.argv[2] if len(sys.argv) > 2 else os.path.join(directory, "solution.png")
    path = os.path.join(directory, "solution.csv")
    if not os.path.exists(path):
        sys.exit(f"{path} not found: run a 1D case with 'set Write solution = true' first")
    with open(path) as f:
        rows = list(csv.DictReader(f))
    x = [float(r["x"]) for r in rows]
    u = [float(r["u"]) for r in rows]
    exact = [float(r["u_exact"]) for r in rows]
    error = [abs(float(r["error"])) for r in rows]

    title = os.path.basename(os.path.normpath(directory))
    figure, (top, bottom) = plt.subplots(2, 1, figsize=(8, 6), sharex=True)
    top.plot(x, exact, "k-", lw=2, label="u exact")
    top.plot(x, u, "C1--", lw=1.2, label="u (fbpinn)")
    top.set_ylabel("u")
    top.legend()
    top.set_title(title)
    bottom.semilogy(x, [max(e, 1e-18) for e in error], "C3-", lw=1)
    bottom.set_xlabel("x")
    bottom.set_ylabel("|u − u exact|")
    figure.tight_layout()
    figure.savefig(png, dpi=120)
    print(f"wrote {png}")


if __name__ == "__main__":
    main()
