#!/bin/bash
# u(x, t) of one setting per method at t = 0, 1/4, 1/2, 3/4, 1 beside the
# manufactured solution (the CSVs in slices/ and slices.png; about a minute
# on one core). Build first.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
binary="$here/../../build/fbpinn"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
run() { # method, extra entries
  local method=$1
  shift
  {
    cat "$here/case.prm"
    printf 'set Method = %s\nset Output directory = %s\n' "$method" "$work/$method"
    printf '%b' "$*"
  } > "$work/$method.prm"
  "$binary" "$work/$method.prm" | tail -n 1
  cp "$work/$method/solution_slices.csv" "$here/slices/$method.csv"
}
mkdir -p "$here/slices"
# fem: Q4 on 8 cells, Crank–Nicolson, Δt = 1e-3; snapshots every 1/4.
run fem 'subsection FEM\n set Polynomial degree = 4\nend\nsubsection Mesh\n set Subdivisions = 8\nend\nsubsection Time stepping\n set Time step = 1e-3\n set Output interval = 0.25\nend\n'
# elm: 8 × 8 (x, t), K = 32.
run elm 'subsection Mesh\n set Global refinements = 1\nend\n'
# fbpinn: 8 × 8 subdomains of 16 units, 4 time slabs of 2 000 Adam steps.
run fbpinn 'subsection Mesh\n set Global refinements = 1\nend\nsubsection FBPINN\n set Time slabs = 4\nend\n'
# pinn: 2 × 32 units, 2 000 Adam steps on the points of 4 × 4 cells.
run pinn 'subsection Network\n set Hidden layers = 32,32\nend\n'
/usr/bin/python3 "$here/../plot_slices.py" "$here" "exact" "heat 1D + t, κ = 0.1"
