#!/bin/bash
# Regenerates comparison.csv, comparison.md and the PNGs of this folder
# (about 25 minutes on two cores). Build first: cmake --build build -j2.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
"$here/../../build/fbpinn-compare" "$here/case.prm" --output "$here" --force \
  --methods fem,elm,fbpinn,pinn --cycles 3 --timeout 240 \
  --vary "fem:FEM/Polynomial degree=2,4" \
  --vary "fem:FEM/Solver=direct" \
  --vary "fem:Time stepping/Time step=1e-3,2.5e-4" \
  --vary "elm:ELM/Features per subdomain=16,32" \
  --vary "elm:ELM/Activation=tanh" \
  --vary "elm:ELM/Feature scale=1" \
  --vary "fbpinn:Network/Hidden layers=16" \
  --vary "fbpinn:Training/Steps=2000,5000" \
  --vary "pinn:Network/Hidden layers=20;20;20;20" \
  --vary "pinn:Training/Steps=2000" \
  --title "Burgers 1D + t (ν = 0.01/π), fem by the method of lines, the others in space-time" "$@"
