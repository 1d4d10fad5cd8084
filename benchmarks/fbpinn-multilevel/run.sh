#!/bin/bash
# The multilevel FBPINN against the one-level FBPINN on two points of the
# weak-scaling test of the multilevel-FBPINN paper: n = 2 scales (L = 3
# levels, 4² cells on the finest level, 20² points) and n = 3 (L = 4, 8²
# cells, 40² points), 30 000 Adam steps each (case.prm), with two overlaps:
#   - 1.9 on our cells (the paper's number, applied to our cell-centred
#     subdomains of width 1.9/k on a level of k cells a side);
#   - 1.9 k/(k − 1) with k the finest level's cells a side: the width of
#     their finest subdomains, whose centres lie on linspace(0, 1, k), the
#     outer ones on the boundary (2.533 for k = 4, 2.171 for k = 8).
# Then, if the JAX environment of benchmarks/fbpinn-oscillator exists, the
# published code (fbpinn-laplace-2d/jax_reference.py --levels) on the
# same four configurations with their own layout. Writes runs/<name>/
# (metrics.json, training.csv), jax/<name>.csv and -history.csv,
# results.csv and error_vs_step.png. About 15 minutes on one core. Build
# first.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
binary=${FBPINN_BINARY:-"$here/../../build/fbpinn"}
python="$here/../fbpinn-oscillator/.venv-jax/bin/python"
mkdir -p "$here/runs" "$here/jax"
run() { # name, scales, refinements, levels, overlap
  local name=$1 n=$2 r=$3 levels=$4 overlap=$5
  {
    sed -e "s/set Number of scales = .*/set Number of scales = $n/" \
        -e "s/set Global refinements = .*/set Global refinements = $r/" \
        -e "s/set Levels  *= .*/set Levels = $levels/" \
        -e "s/set Overlap factor  *= .*/set Overlap factor = $overlap/" "$here/case.prm"
    printf 'set Output directory = %s\n' "$here/runs/$name"
  } > "$here/runs/$name.prm"
  "$binary" "$here/runs/$name.prm" | tail -n 1
}
jax() { # name, scales, levels (1: one level of 2^(r) centres), centres
  local name=$1 n=$2 levels=$3 centres=$4
  local omegas=2 sd=0.5
  [ "$n" = 3 ] && omegas=2,4,8 && sd=0.125
  [ "$n" = 2 ] && omegas=2,4 && sd=0.25
  "$python" "$here/../fbpinn-laplace-2d/jax_reference.py" --method fbpinn \
    --levels "$levels" --subdomains "$centres" --overlap 1.9 --omegas "$omegas" \
    --sd "$sd" --n-collocation $((10 * 2 ** (n - 1))) --steps 30000 --test-freq 1000 \
    --cpu "${JAX_CPU:-0}" --csv "$here/jax/$name.csv" --history "$here/jax/$name-history.csv" |
    tail -n 2 | head -n 1
}
run n2-L3-1.9 2 2 3 1.9
run n2-L1-1.9 2 2 1 1.9
run n3-L4-1.9 3 3 4 1.9
run n3-L1-1.9 3 3 1 1.9
run n2-L3-2.533 2 2 3 2.533
run n2-L1-2.533 2 2 1 2.533
run n3-L4-2.171 3 3 4 2.171
run n3-L1-2.171 3 3 1 2.171
if [ -x "$python" ]; then
  jax n2-L3 2 3 4
  jax n2-L1 2 1 4
  jax n3-L4 3 4 8
  jax n3-L1 3 1 8
else
  echo "no $python: the JAX runs are skipped (see benchmarks/fbpinn-oscillator/README.md)"
fi
/usr/bin/python3 "$here/summarize.py"
