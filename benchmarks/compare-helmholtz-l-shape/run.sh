#!/bin/bash
# Regenerates comparison.csv, comparison.md and the PNGs of this folder
# (about 40 minutes on one core). Build first: cmake --build build -j2.
# One mesh (the paper's 16² decomposition); fem sweeps its degree, elm K and
# the activation and the points (K > 25 needs more than 5² per cell),
# fbpinn the width and the steps, pinn one 2 × 64 network.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
"$here/../../build/fbpinn-compare" "$here/case.prm" --output "$here" --force \
  --methods fem,elm,fbpinn,pinn --cycles 1 --timeout 900 \
  --vary "elm:ELM/Features per subdomain=16,32,64" \
  --vary "elm:ELM/Feature scale=1" \
  --vary "elm:ELM/Collocation points per direction=5,8,12" \
  --vary "fbpinn:Network/Hidden layers=16,32" \
  --vary "fbpinn:Training/Steps=5000,20000" \
  --vary "pinn:Network/Hidden layers=64;64" \
  --vary "pinn:Training/Steps=2000" \
  --title "helmholtz-l-shape (ELM-FBPINN paper), ω = 8, k = 1, 16² subdomains" "$@"
