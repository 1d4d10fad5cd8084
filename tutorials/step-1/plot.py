#!/usr/bin/python3
"""Plot step-1's output (the table it prints, from a file or standard input):
relative L2 error against unknowns for fem and elm. Usage:
    ./step-1 > output.txt && /usr/bin/python3 plot.py output.txt"""
import re
import sys

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

rows = {"fem": [], "elm": []}
for line in open(sys.argv[1]) if len(sys.argv) > 1 else sys.stdin:
    m = re.match(r"(fem Q\d|elm K = +\d+)\s+(\d+)\s+(\S+)$", line.strip())
    if m:
        rows[m.group(1)[:3]].append((int(m.group(2)), float(m.group(3)), re.sub(" +", " ", m.group(1))))
fig, ax = plt.subplots(figsize=(5, 3.6))
for method, marker in (("fem", "o"), ("elm", "s")):
    n, e, labels = zip(*rows[method])
    ax.loglog(n, e, marker=marker, label={"fem": "FEM (Q1, Q2)", "elm": "ELM-FBPINN (K = 8, 32)"}[method])
    for x, y, label in zip(n, e, labels):
        ax.annotate(label, (x, y), textcoords="offset points", xytext=(5, 4), fontsize=8)
ax.set_xlabel("unknowns")
ax.set_ylabel("relative L2 error")
ax.set_title("step-1: −Δu = f on 8 × 8 cells")
ax.grid(True, which="both", alpha=0.3)
ax.legend()
fig.tight_layout()
fig.savefig("error_vs_unknowns.png", dpi=120)
