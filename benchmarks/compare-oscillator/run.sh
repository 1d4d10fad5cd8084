#!/bin/bash
# Regenerates comparison.csv, comparison.md and the PNGs of this folder
# (about 5 minutes on one core). Build first: cmake --build build -j2.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
"$here/../../build/fbpinn-compare" "$here/case.prm" --output "$here" --force \
  --methods fem,elm,fbpinn,pinn --cycles 3 --timeout 300 \
  --vary "fem:FEM/Solver=direct" \
  --vary "elm:ELM/Features per subdomain=16,32,64" \
  --vary "fbpinn:Network/Hidden layers=16,32,64" \
  --vary "fbpinn:Training/Steps=5000,20000" \
  --vary "pinn:Network/Hidden layers=32,64,32;32" \
  --vary "pinn:Training/Steps=5000,20000" \
  --title "damped oscillator ω0 = 80 (1D)" "$@"
