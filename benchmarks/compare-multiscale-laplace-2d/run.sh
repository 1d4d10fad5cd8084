#!/bin/bash
# Regenerates comparison.csv, comparison.md and the PNGs of this folder
# (about 30 minutes on one core). Build first: cmake --build build -j2.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
"$here/../../build/fbpinn-compare" "$here/case.prm" --output "$here" --force \
  --methods fem,elm,fbpinn,pinn --cycles 4 --timeout 180 \
  --vary "fbpinn:Network/Hidden layers=16,32" \
  --vary "fbpinn:Training/Steps=1000,5000" \
  --vary "pinn:Network/Hidden layers=32,64,32;32" \
  --vary "pinn:Training/Steps=1000,5000" \
  --title "multiscale-laplace 2D, n = 4 (ω up to 16π)" "$@"
