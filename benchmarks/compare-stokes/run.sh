#!/bin/bash
# Regenerates comparison.csv, comparison.md and the PNGs of this folder
# (about 20 minutes on one core). Build first: cmake --build build -j2.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
"$here/../../build/fbpinn-compare" "$here/case.prm" --output "$here" --force \
  --methods fem,elm,fbpinn,pinn --cycles 3 --timeout 300 \
  --vary "fem:FEM/Polynomial degree=1,2,3,4" \
  --vary "fem:FEM/Solver=direct" \
  --vary "elm:ELM/Features per subdomain=16,32,64" \
  --vary "elm:ELM/Collocation points per direction=8,12" \
  --vary "elm:ELM/Activation=tanh" \
  --vary "elm:ELM/Feature scale=1" \
  --vary "fbpinn:Network/Hidden layers=16;16" \
  --vary "fbpinn:Training/Steps=1000,5000" \
  --vary "pinn:Network/Hidden layers=32;32" \
  --vary "pinn:Training/Steps=1000,5000" \
  --title "stokes 2D (Taylor–Hood for fem), 2² → 8² cells" "$@"
