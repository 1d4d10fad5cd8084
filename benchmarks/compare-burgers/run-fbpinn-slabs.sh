#!/bin/bash
# fbpinn with Time slabs = 8 (a training phase per slab) on the case of this
# folder, the same settings as run.sh's fbpinn rows otherwise: writes
# fbpinn-slabs/ (comparison.csv, comparison.md, the PNGs), about 10 minutes on
# one core. Build first: cmake --build build -j2.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
"$here/../../build/fbpinn-compare" "$here/case.prm" --output "$here/fbpinn-slabs" --force \
  --methods fbpinn --cycles 2 --timeout 400 \
  --vary "fbpinn:Network/Hidden layers=16" \
  --vary "fbpinn:Training/Steps=2000,5000" \
  --vary "fbpinn:FBPINN/Time slabs=8" \
  --title "Burgers 1D + t (ν = 0.01/π), fbpinn with 8 time slabs" "$@"
