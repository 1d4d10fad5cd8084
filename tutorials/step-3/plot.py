#!/usr/bin/python3
"""Plot u_h(x, t) of a 1D + t run beside the exact solution at the times in
its solution_slices.csv (t, x, u, u_exact, error), and the pointwise error.
Usage: /usr/bin/python3 plot.py OUTPUT_DIRECTORY [PNG]"""
import csv
import os
import sys

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

directory = sys.argv[1]
png = sys.argv[2] if len(sys.argv) > 2 else "slices.png"
by_time = {}
with open(os.path.join(directory, "solution_slices.csv")) as f:
    for row in csv.DictReader(f):
        by_time.setdefault(float(row["t"]), []).append(
            (float(row["x"]), float(row["u"]), float(row["u_exact"])))
fig, (ax, err) = plt.subplots(1, 2, figsize=(9, 3.6))
for t, rows in sorted(by_time.items()):
    rows.sort()
    x, u, exact = zip(*rows)
    line, = ax.plot(x, u, label=f"t = {t:.2f}")
    ax.plot(x, exact, "k:", linewidth=1)
    err.semilogy(x, [abs(a - b) + 1e-16 for a, b in zip(u, exact)], color=line.get_color())
ax.set_xlabel("x")
ax.set_ylabel("u")
ax.set_title("u_h (solid) and the exact solution (dotted)")
ax.legend(fontsize=8)
err.set_xlabel("x")
err.set_ylabel("|u_h − u|")
err.set_title("pointwise error")
fig.tight_layout()
fig.savefig(png, dpi=110)
