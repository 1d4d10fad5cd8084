#!/usr/bin/python3
"""Plots and summary of benchmarks/elm-oscillator/results.csv:
error_vs_K.png, error_vs_time.png, solution.png and summary.md."""

import math
import os
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import fbpinn_bench as fb  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
KEYS = ["J", "K", "points", "constraint", "solver"]
VALUES = ["n_dofs", "n_rows", "n_nonzeros", "normalized_l1", "relative_l2", "setup",
          "assembly", "solve", "total", "iterations", "condition_estimate"]



def main():
    rows = fb.medians(fb.read_csv(os.path.join(HERE, "results.csv")), KEYS, VALUES)
    sweep = [r for r in rows if r["constraint"] == "hard" and r["solver"] == "qr"]
    n_repeats = len(fb.read_csv(os.path.join(HERE, "results.csv"))) // max(len(rows), 1)

    figure, axis = plt.subplots(figsize=(6, 4.5))
    for J in sorted({int(r["J"]) for r in sweep}):
        line = sorted((int(r["K"]), r["normalized_l1"]) for r in sweep if int(r["J"]) == J)
        axis.semilogy(*zip(*line), "o-", label=f"J = {J}")
    axis.axhline(1.1e-4, color="gray", ls=":", label="ELM-FBPINN paper (J = 20)")
    axis.set_xlabel("K (features per subdomain)")
    axis.set_ylabel("normalized L1 error")
    axis.set_title("ELM-FBPINN, harmonic oscillator ω0 = 80")
    axis.legend()
    figure.tight_layout()
    figure.savefig(os.path.join(HERE, "error_vs_K.png"), dpi=120)

    figure, axis = plt.subplots(figsize=(6, 4.5))
    for J in sorted({int(r["J"]) for r in sweep}):
        line = sorted((r["total"], r["normalized_l1"]) for r in sweep if int(r["J"]) == J)
        axis.loglog(*zip(*line), "o-", label=f"J = {J}")
    axis.plot([5.4], [1.1e-4], "k*", ms=12, label="published Python (5.4 s)")
    axis.set_xlabel("total time (setup + assembly + solve) [s], one core")
    axis.set_ylabel("normalized L1 error")
    axis.legend()
    figure.tight_layout()
    figure.savefig(os.path.join(HERE, "error_vs_time.png"), dpi=120)

    solution_dir = os.path.join(HERE, "scratch", "solution-J20-K12")
    if os.path.exists(os.path.join(solution_dir, "solution.csv")):
        subprocess.run([sys.executable, os.path.join(HERE, "..", "plot_solution_1d.py"),
                        solution_dir, os.path.join(HERE, "solution.png")], check=True)

    lines = [f"Medians over {n_repeats} repeats; {fb.machine()}; one core (taskset -c 0).", "",
             "| J | K | points/cell | constraint | solver | unknowns | rows | nnz(M) | normalized L1 | relative L2 | assembly s | solve s | total s | iterations | converged | nnz/s in assembly |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in sorted(rows, key=lambda r: (r["constraint"], r["solver"], int(r["J"]), int(r["K"]))):
        rate = r["n_nonzeros"] / r["assembly"] if r["assembly"] > 0 else math.nan
        lines.append(f"| {r['J']} | {r['K']} | {r['points']} | {r['constraint']} | {r['solver']} | "
                     f"{r['n_dofs']:.0f} | {r['n_rows']:.0f} | {r['n_nonzeros']:.0f} | "
                     f"{r['normalized_l1']:.2e} | {r['relative_l2']:.2e} | {r['assembly']:.4f} | "
                     f"{r['solve']:.4f} | {r['total']:.4f} | {r['iterations']:.0f} | "
                     f"{'yes' if r['converged'] else 'NO'} | {rate:.2e} |")
    target = [r for r in rows if r["J"] == "20" and r["K"] == "12" and r["constraint"] == "hard"
              and r["solver"] == "qr"]
    if target:
        t = target[0]
        lines += ["", "Targets (J = 20, K = 12, ω0 = 80, hard constraint, qr):",
                  f"- normalized L1 {t['normalized_l1']:.2e} (target ≤ 2e-4; paper 1.1e-4): "
                  + ("met" if t["normalized_l1"] <= 2e-4 else "NOT met"),
                  f"- total {t['total']:.4f} s on one core (target ≤ 0.5 s; published Python 5.4 s): "
                  + ("met" if t["total"] <= 0.5 else "NOT met")]
    big = max(sweep, key=lambda r: r["n_nonzeros"])
    lines.append(f"- assembly rate on the largest case (J = {big['J']}, K = {big['K']}): "
                 f"{big['n_nonzeros'] / big['assembly']:.2e} nonzeros of M per second "
                 "(target ≥ 5e6 per core)")
    with open(os.path.join(HERE, "summary.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
