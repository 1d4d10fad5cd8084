#!/usr/bin/python3
"""Plots and summary of benchmarks/elm-multiscale-laplace/results.csv:
error_vs_unknowns.png, error_vs_time.png and summary.md."""

import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import fbpinn_bench as fb  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
KEYS = ["scales", "J", "K", "points"]
VALUES = ["n_dofs", "n_rows", "n_nonzeros", "relative_l2", "setup", "assembly", "solve",
          "total", "condition_estimate"]


def main():
    raw = fb.read_csv(os.path.join(HERE, "results.csv"))
    rows = fb.medians(raw, KEYS, VALUES)
    for name, xkey, xlabel, plot in (
            ("error_vs_unknowns.png", "n_dofs", "unknowns (J² K)", "loglog"),
            ("error_vs_time.png", "total", "total time (setup + assembly + solve) [s], one core", "loglog")):
        figure, axis = plt.subplots(figsize=(6, 4.5))
        for J in sorted({int(r["J"]) for r in rows}):
            line = sorted((r[xkey], r["relative_l2"]) for r in rows if int(r["J"]) == J)
            getattr(axis, plot)(*zip(*line), "o-", label=f"J = {J}² (K = 16, 32, 64)")
        axis.set_xlabel(xlabel)
        axis.set_ylabel("relative L2 error")
        axis.set_title(f"ELM-FBPINN, multiscale-laplace 2D, n = {rows[0]['scales']}")
        axis.legend()
        figure.tight_layout()
        figure.savefig(os.path.join(HERE, name), dpi=120)

    lines = [f"Medians over {len(raw) // max(len(rows), 1)} repeats; {fb.machine()}; one core; solver qr.", "",
             "| n | J² | K | points/cell | unknowns | rows | nnz(M) | relative L2 | setup s | assembly s | solve s | total s | qr pivot-ratio κ bound | nnz/s in assembly |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in sorted(rows, key=lambda r: (int(r["J"]), int(r["K"]))):
        lines.append(f"| {r['scales']} | {r['J']}² | {r['K']} | {r['points']} | {r['n_dofs']:.0f} | "
                     f"{r['n_rows']:.0f} | {r['n_nonzeros']:.0f} | {r['relative_l2']:.2e} | "
                     f"{r['setup']:.4f} | {r['assembly']:.3f} | {r['solve']:.3f} | {r['total']:.3f} | "
                     f"{r['condition_estimate']:.1e} | {r['n_nonzeros'] / r['assembly']:.2e} |")
    with open(os.path.join(HERE, "summary.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
