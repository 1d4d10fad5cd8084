#!/usr/bin/python3
"""The least-squares solvers of ELM-FBPINN, and ELM against FEM.

Every solver on the same ELM matrices: iterations, accuracy, time and the
exact condition number before and after local feature filtering, on the damped
harmonic oscillator (omega0 = 80 and 320, one and three levels) and on the 2D
multi-scale Laplace problem (n = 2 and n = 4; 8^2, 16^2 and 32^2 subdomains;
K from 16 to 80). In the same run, FEM (Q3 to Q6, cg-amg) on the n = 4
problem, for the ratio of ELM time to the fastest FEM setting's time at equal
accuracy. Writes results.csv (every run) and summary.md (medians).

    /usr/bin/python3 benchmarks/elm-solvers/run.py
    /usr/bin/python3 benchmarks/elm-solvers/plot.py

Environment: REPEATS=3 (repeats of the timed cases; the condition-number and
the slow iterative cases run once), ONLY=<substring> to run only the cases
whose label contains it (results then go to scratch/results.csv).
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import fbpinn_bench as fb  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPEATS = int(os.environ.get("REPEATS", "3"))
ONLY = os.environ.get("ONLY", "")


def oscillator(omega0, subdivisions, refinements, K, points, levels=1):
    return f"""set Dimension = 1
set Method = elm
set Allow unconverged = true
subsection Problem
  set Name = harmonic-oscillator
  subsection harmonic-oscillator
    set Omega0  = {omega0}
    set Damping = 2
  end
end
subsection Mesh
  set Subdivisions       = {subdivisions}
  set Global refinements = {refinements}
end
subsection ELM
  set Features per subdomain           = {K}
  set Collocation points per direction = {points}
  set Hard constraints                 = true
  set Levels                           = {levels}
end
"""


def laplace(n, J, K, points, overlap=2.0, refinements=0):
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
  set Global refinements = {refinements}
end
subsection ELM
  set Features per subdomain           = {K}
  set Collocation points per direction = {points}
  set Overlap factor                   = {overlap}
end
"""


def solver(name, max_iterations=20000, condition=False):
    return f"""subsection Linear solver
  set Name                     = {name}
  set Tolerance                = 1e-10
  set Max iterations           = {max_iterations}
  set Filter tolerance         = 1e-10
  set Compute condition number = {'true' if condition else 'false'}
end
"""


def fem(n, degree, J):
    return f"""set Dimension = 2
set Method = fem
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
subsection FEM
  set Polynomial degree = {degree}
  set Solver            = cg-amg
  set Solver tolerance  = 1e-12
end
"""


ALL = ["qr", "filtered-direct", "filtered-lsqr", "schwarz-cg", "lsqr", "normal-direct"]

# (group, label, prm without solver, solvers, ranks, repeats)
CASES = []
osc80 = oscillator(80, 20, 0, 12, 30)
osc320 = oscillator(320, 4, 3, 12, 40)
osc320_3 = oscillator(320, 4, 3, 12, 40, levels=3)
lap2 = laplace(2, 8, 32, 8)
lap4_16 = laplace(4, 16, 16, 6)
# Condition numbers (exact, dense SVD): qr works on M, filtered solvers on M T.
SMALL = [("oscillator w0=80 J=20 K=12", osc80),
         ("oscillator w0=320 J=32 K=12", osc320),
         ("oscillator w0=320 J=32+16+8 K=12 L=3", osc320_3),
         ("laplace n=2 J=8^2 K=32", lap2)]
for label, prm in SMALL + [("laplace n=4 J=16^2 K=16", lap4_16)]:
    CASES.append(("condition", label, prm, [("qr", True), ("filtered-direct", True)], 1, 1))
# Every solver, timed.
for label, prm in SMALL:
    CASES.append(("solvers", label, prm, [(s, False) for s in ALL], 1, REPEATS))
CASES.append(("solvers", "laplace n=4 J=16^2 K=16", lap4_16, [(s, False) for s in ALL], 2, 1))
# Plain LSQR given 100 000 iterations, for the iteration ratio.
CASES.append(("lsqr-long", "laplace n=2 J=8^2 K=32", lap2,
              [("lsqr", False)], 1, 1))
# Multi-scale n = 4: filtered-direct over J and K (p-refinement), 2 ranks.
for J, K, points in [(16, 16, 6), (16, 32, 8), (16, 48, 11), (16, 64, 13), (16, 64, 15),
                     (16, 72, 13), (16, 80, 13), (32, 16, 6), (32, 32, 8), (32, 48, 11)]:
    CASES.append(("n4", f"laplace n=4 J={J}^2 K={K} points={points}", laplace(4, J, K, points),
                  [("filtered-direct", False)], 2, REPEATS))
# The same with less overlap (support boxes 1.5× the cell instead of 2×):
# fewer nonzeros, and here more accurate.
for J, K, points in [(16, 48, 12), (16, 56, 13), (16, 64, 13)]:
    CASES.append(("n4", f"laplace n=4 J={J}^2 K={K} points={points} overlap=1.5",
                  laplace(4, J, K, points, overlap=1.5), [("filtered-direct", False)], 2,
                  REPEATS))
# One solve with more than a million unknowns (256^2 subdomains x K = 16), 2 ranks, once.
CASES.append(("million", "laplace n=4 J=256^2 K=16 points=6", laplace(4, 16, 16, 6, refinements=4),
              [("filtered-direct", False)], 2, 1))
# FEM on the same problem and ranks, for the time ratio.
for degree in (3, 4, 5, 6):
    for J in (8, 16, 32, 64):
        if degree * J <= 256:
            CASES.append(("fem", f"fem n=4 Q{degree} J={J}^2", fem(4, degree, J), [("fem", False)],
                          2, REPEATS))


def main():
    rows = []
    selected = [c for c in CASES if ONLY in c[1] or ONLY == c[0]]
    repeats = max(c[5] for c in selected)
    for repeat in range(repeats):
        for group, label, prm, solvers, ranks, case_repeats in selected:
            if repeat >= case_repeats:
                continue
            for name, condition in solvers:
                text = prm
                if name != "fem":
                    max_iterations = 100000 if group == "lsqr-long" else 20000
                    text += solver(name, max_iterations, condition)
                metrics = fb.run_case(text, os.path.join(HERE, "scratch"), "case", ranks=ranks)
                row = {"group": group, "case": label, "solver": name, "ranks": ranks,
                       "repeat": repeat}
                row.update(fb.flatten(metrics))
                if not metrics["failed"]:
                    row["condition_number"] = metrics["solver"].get("condition_number")
                    row["filtered_columns"] = metrics["solver"].get("filtered_columns")
                    row["n_levels"] = metrics.get("n_levels")
                rows.append(row)
                print(f"{group:9s} {label:40s} {name:15s} np={ranks} "
                      + (f"rel L2 {row['relative_l2']:.2e} L1 {row['normalized_l1']:.2e} "
                         f"total {row['total']:.2f} s solve {row['solve']:.2f} s "
                         f"{row['iterations']} it conv={row['converged']}"
                         + (f" kappa {row['condition_number']:.2e}" if condition else "")
                         if not row["failed"] else "FAILED: " + metrics["error"]), flush=True)
    out = os.path.join(HERE, "results.csv") if not ONLY else os.path.join(HERE, "scratch",
                                                                          "results.csv")
    fb.write_csv(out, rows)
    print("wrote", out)


if __name__ == "__main__":
    main()
