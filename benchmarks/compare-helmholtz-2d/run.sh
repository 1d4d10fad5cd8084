#!/bin/bash
# Regenerates comparison.csv, comparison.md and the PNGs of this folder
# (about 15 minutes on one core). Build first: cmake --build build -j2.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
"$here/../../build/fbpinn-compare" "$here/case.prm" --output "$here" --force \
  --methods fem,elm,fbpinn,pinn --cycles 4 --timeout 120 \
  --vary "fem:FEM/Solver=direct" \
  --vary "elm:ELM/Feature scale=1,2" \
  --vary "fbpinn:Network/Hidden layers=16,32" \
  --vary "fbpinn:Training/Steps=1000,5000" \
  --vary "pinn:Network/Hidden layers=32,64" \
  --vary "pinn:Training/Steps=1000,5000" \
  --title "Helmholtz 2D, k = 8" "$@"
