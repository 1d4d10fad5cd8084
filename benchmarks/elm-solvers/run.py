#!/usr/bin/python3
"""The least-squares solvers of ELM-FBPINN on the 2D multi-scale Laplace
problem: iterations, accuracy and time of each solver on the same matrix.
A first part of the solver benchmark (the full sweep of the solver issue is
not done yet). Writes results.csv (every repeat) and summary.md (medians).

    /usr/bin/python3 benchmarks/elm-solvers/run.py       (REPEATS=3 by default)
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import fbpinn_bench as fb  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPEATS = int(os.environ.get("REPEATS", "3"))

# (scales n, subdomains per direction, K, points per direction, solver, ranks)
CASES = [(2, 8, 32, 8, s, 1) for s in ("qr", "filtered-direct", "filtered-lsqr", "schwarz-cg", "lsqr")]
CASES += [(2, 8, 64, 13, s, 1) for s in ("qr", "filtered-direct")]
CASES += [(4, 16, 64, 13, "filtered-direct", 2)]


def prm(n, J, K, points, solver):
    return f"""set Dimension = 2
set Method = elm
set Allow unconverged = true
subsection Problem
  set Name = multiscale-laplace
  subsection multiscale-laplace
    set Number of scales = {n}
  end
end
subsection Mesh
  set Subdivisions       = {J}
  set Global refinements = 0
end
subsection ELM
  set Features per subdomain           = {K}
  set Collocation points per direction = {points}
end
subsection Linear solver
  set Name             = {solver}
  set Tolerance        = 1e-10
  set Max iterations   = 20000
  set Filter tolerance = 1e-10
end
"""


def main():
    rows = []
    for repeat in range(REPEATS):
        for n, J, K, points, solver, ranks in CASES:
            metrics = fb.run_case(prm(n, J, K, points, solver), os.path.join(HERE, "scratch"),
                                  "case", ranks=ranks)
            row = {"scales": n, "J": J, "K": K, "points": points, "solver": solver,
                   "ranks": ranks, "repeat": repeat}
            row.update(fb.flatten(metrics))
            rows.append(row)
            print(f"n={n} J={J}² K={K} {solver:15s} np={ranks} "
                  + (f"rel L2 {row['relative_l2']:.2e} solve {row['solve']:.2f} s "
                     f"{row['iterations']} it converged={row['converged']}"
                     if not row["failed"] else "FAILED: " + metrics["error"]), flush=True)
    fb.write_csv(os.path.join(HERE, "results.csv"), rows)

    keys = ["scales", "J", "K", "points", "solver", "ranks"]
    lines = [f"Medians over {REPEATS} repeats; {fb.machine()}; filter tolerance 1e-10, "
             "iterative tolerance 1e-10, at most 20 000 iterations.", "",
             "| n | J² | K | points | solver | ranks | unknowns | relative L2 | iterations | converged | condition estimate | assembly s | solve s | total s |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in fb.medians(rows, keys, ["n_dofs", "relative_l2", "iterations", "condition_estimate",
                                     "assembly", "solve", "total"]):
        lines.append(f"| {r['scales']} | {r['J']}² | {r['K']} | {r['points']} | {r['solver']} | "
                     f"{r['ranks']} | {r['n_dofs']:.0f} | {r['relative_l2']:.2e} | "
                     f"{r['iterations']:.0f} | {'yes' if r['converged'] else 'NO'} | "
                     f"{r['condition_estimate']:.1e} | {r['assembly']:.3f} | {r['solve']:.2f} | "
                     f"{r['total']:.2f} |")
    with open(os.path.join(HERE, "summary.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
