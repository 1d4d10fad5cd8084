#!/usr/bin/python3
"""ELM-FBPINN on the damped harmonic oscillator (ω0 = 80, d = 2): sweeps of the
number of subdomains J and of features per subdomain K, on one core, with the
direct qr solver (and lsqr for the published case J = 20, K = 12). Writes
results.csv (every repeat) beside this script; plot.py draws and summarises.

    /usr/bin/python3 benchmarks/elm-oscillator/run.py      (REPEATS=5 by default)
"""

import math
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import fbpinn_bench as fb  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPEATS = int(os.environ.get("REPEATS", "5"))


def prm(J, K, points, hard, solver):
    # LSQR without preconditioning does not reach its tolerance on these
    # matrices (condition numbers 1e10 and more); it is run to its iteration
    # limit and recorded as unconverged, with the error it reached.
    return f"""set Dimension = 1
set Method = elm
set Allow unconverged = {"true" if solver == "lsqr" else "false"}
subsection Problem
  set Name = harmonic-oscillator
  subsection harmonic-oscillator
    set Omega0  = 80
    set Damping = 2
  end
end
subsection Mesh
  set Subdivisions       = {J}
  set Global refinements = 0
end
subsection ELM
  set Features per subdomain           = {K}
  set Collocation points per direction = {points}
  set Hard constraints                 = {"true" if hard else "false"}
end
subsection Linear solver
  set Name           = {solver}
  set Tolerance      = 1e-12
  set Max iterations = 20000
end
"""


def configurations():
    for J in (5, 10, 20, 40):
        for K in (4, 8, 12, 16, 24):
            # At least 2.5 collocation rows per unknown, and 30 points per cell.
            points = max(30, math.ceil(2.5 * K))
            yield J, K, points, True, "qr"
    yield 20, 12, 30, False, "qr"
    yield 20, 12, 30, True, "lsqr"


def main():
    rows = []
    for repeat in range(REPEATS):
        for J, K, points, hard, solver in configurations():
            metrics = fb.run_case(prm(J, K, points, hard, solver),
                                  os.path.join(HERE, "scratch"), "case", single_core=True)
            row = {"J": J, "K": K, "points": points,
                   "constraint": "hard" if hard else "boundary rows",
                   "solver": solver, "repeat": repeat}
            row.update(fb.flatten(metrics))
            rows.append(row)
            print(f"J={J:3d} K={K:3d} {row['constraint']:13s} {solver:4s} "
                  + (f"L1 {row['normalized_l1']:.2e} total {row['total']:.4f} s"
                     if not row["failed"] else "FAILED: " + metrics["error"]), flush=True)
    fb.write_csv(os.path.join(HERE, "results.csv"), rows)

    # The published case once more, with the solution written, for the 1D plot.
    case = prm(20, 12, 30, True, "qr").replace("set Dimension = 1", "set Dimension = 1\nset Write solution = true")
    out = os.path.join(HERE, "scratch", "solution-J20-K12")
    with open(out + ".prm", "w") as f:
        f.write(case + f"\nset Output directory = {out}\n")
    os.system(f"{fb.BINARY} {out}.prm > /dev/null")


if __name__ == "__main__":
    main()
