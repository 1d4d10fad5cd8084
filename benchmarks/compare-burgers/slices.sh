#!/bin/bash
# u(x, t) of one setting per method at t = 0, 1/4, 1/2, 3/4, 1 (the CSVs in
# slices/ and slices.png; about 4 minutes on two cores). Build first.
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
  # At most about 2 000 samples per time (the binary writes 64 per cell).
  awk -F, 'NR == 1 { print; next } { rows[NR] = $0; t[NR] = $1 }
    END { n = 0; for (i = 2; i <= NR; ++i) if (t[i] == t[2]) ++n;
          step = int(n / 2000) + 1;
          for (i = 2; i <= NR; ++i) if ((i - 2) % step == 0) print rows[i] }' \
    "$work/$method/solution_slices.csv" > "$here/slices/$method.csv"
}
mkdir -p "$here/slices"
# fem: Q4 on 128 cells, BDF2, Δt = 2.5e-4 (the sweep's best); snapshots every 1/4.
run fem 'subsection Mesh\n set Subdivisions = 128\nend\nsubsection FEM\n set Polynomial degree = 4\nend\nsubsection Time stepping\n set Time step = 2.5e-4\n set Output interval = 0.25\nend\n'
# elm: 128 × 32 (x, t), K = 32, 32 slabs (parameter_files/burgers-elm.prm).
run elm 'subsection Mesh\n set Subdivisions = 128\n set Time subdivisions = 32\nend\nsubsection ELM\n set Time slabs = 32\nend\n'
# fbpinn: 32 × 8 subdomains of 16 units, 5 000 Adam steps.
run fbpinn ''
# pinn: 4 × 20 units, 2 000 Adam steps on the points of 32 × 8 cells.
run pinn 'subsection Network\n set Hidden layers = 20,20,20,20\nend\nsubsection Training\n set Steps = 2000\nend\n'
/usr/bin/python3 "$here/../plot_slices.py" "$here" "Cole–Hopf" "Burgers, ν = 0.01/π"
