#!/bin/bash
# Regenerates comparison.csv, comparison.md and the PNGs of this folder
# (about 25 minutes on one core). Build first: cmake --build build -j2.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
"$here/../../build/fbpinn-compare" "$here/case.prm" --output "$here" --force \
  --methods fem,elm,fbpinn,pinn --cycles 3 --timeout 300 \
  --vary "fem:FEM/Polynomial degree=1,2,4" \
  --vary "fem:Time stepping/Time step=1e-2,1e-3" \
  --vary "fem:Time stepping/Scheme=crank-nicolson,bdf2,arkode" \
  --vary "elm:ELM/Features per subdomain=16,32,64" \
  --vary "elm:ELM/Activation=tanh" \
  --vary "elm:ELM/Feature scale=1" \
  --vary "fbpinn:Network/Hidden layers=16" \
  --vary "fbpinn:Training/Steps=2000,5000" \
  --vary "fbpinn:FBPINN/Time slabs=1,4" \
  --vary "fbpinn:Training/Causal weighting=false,true" \
  --vary "pinn:Network/Hidden layers=32;32" \
  --vary "pinn:Training/Steps=1000,2000" \
  --vary "pinn:Training/Causal weighting=false,true" \
  --title "heat 1D + t, fem by the method of lines, the others in space-time" "$@"
