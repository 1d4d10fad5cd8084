#!/bin/bash
# Regenerates scaling.csv, scaling.md and scaling.png of this folder (about
# 30 minutes on one core). Build first: cmake --build build -j2.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
"$here/../../build/fbpinn-compare" "$here/case.prm" --scaling --scales 1,2,3,4,5,6 \
  --target 1e-3 --output "$here" --force \
  --methods fem,elm,fbpinn,pinn --cycles 3 --timeout 90 \
  --vary "fem:FEM/Polynomial degree=2,4,6" --vary "fem:FEM/Solver=cg-amg" \
  --vary "elm:ELM/Features per subdomain=32,64" --vary "elm:ELM/Activation=tanh" \
  --vary "elm:ELM/Feature scale=1" \
  --vary "fbpinn:Network/Hidden layers=32" --vary "fbpinn:Training/Steps=5000" \
  --vary "pinn:Network/Hidden layers=64" --vary "pinn:Training/Steps=5000" \
  --title "multiscale-laplace 2D, fixed cells per wavelength" "$@"
