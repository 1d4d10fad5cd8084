#!/usr/bin/python3
"""ELM-FBPINN on the 2D multi-scale Laplace problem: sweeps of the number of
subdomains J² and of the features per subdomain K, with the direct qr solver,
on one core. Collocation points per direction n_q = ⌈√(2.5 K)⌉ so that there
are at least 2.5 rows per unknown. Writes results.csv beside this script.

    /usr/bin/python3 benchmarks/elm-multiscale-laplace/run.py

Environment: REPEATS (default 3), SCALES (the number of scales n, default 2),
MAX_UNKNOWNS (skip larger cases, default 8192: qr time grows fast).
"""

import math
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import fbpinn_bench as fb  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPEATS = int(os.environ.get("REPEATS", "3"))
SCALES = int(os.environ.get("SCALES", "2"))
MAX_UNKNOWNS = int(os.environ.get("MAX_UNKNOWNS", "8192"))


def prm(J, K, points):
    return f"""set Dimension = 2
set Method = elm
subsection Problem
  set Name = multiscale-laplace
  subsection multiscale-laplace
    set Number of scales = {SCALES}
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
  set Name = qr
end
"""


def main():
    rows = []
    for repeat in range(REPEATS):
        for J in (4, 8, 16):
            for K in (16, 32, 64):
                if J * J * K > MAX_UNKNOWNS:
                    continue
                points = math.ceil(math.sqrt(2.5 * K))
                metrics = fb.run_case(prm(J, K, points), os.path.join(HERE, "scratch"),
                                      "case", single_core=True)
                row = {"scales": SCALES, "J": J, "K": K, "points": points, "repeat": repeat}
                row.update(fb.flatten(metrics))
                rows.append(row)
                print(f"J={J:2d}² K={K:3d} n_q={points:2d} "
                      + (f"rel L2 {row['relative_l2']:.2e} assembly {row['assembly']:.3f} s "
                         f"solve {row['solve']:.3f} s" if not row["failed"]
                         else "FAILED: " + metrics["error"]), flush=True)
    fb.write_csv(os.path.join(HERE, "results.csv"), rows)


if __name__ == "__main__":
    main()
