#!/bin/bash
# fbpinn-compare on a seconds-long sweep (tests/cli/compare_case.prm, the
# quick preset, 3 cycles, plus one FEM solver name the binary rejects): the
# CSV must have every method, finite errors, errors of the default FEM and
# ELM settings that decrease with resolution, and the rejected runs as
# failed rows with the binary's message; a second run into the same
# directory must refuse to overwrite it; a rerun of pinn alone with
# --keep-others keeps the other methods' rows, in the CSV and the tables.
# Usage: compare.sh FBPINN_BINARY SOURCE_DIR
set -eu
fbpinn=$1
source_dir=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

compare=(/usr/bin/python3 "$source_dir/app/fbpinn-compare")
"${compare[@]}" "$source_dir/tests/cli/compare_case.prm" --binary "$fbpinn" \
  --sweep quick --cycles 3 --output out \
  --vary "fem:FEM/Solver=cg-amg,no-such-solver" | tee run.log
test -s out/comparison.md
/usr/bin/python3 "$source_dir/tests/cli/compare_check.py" out

if "${compare[@]}" "$source_dir/tests/cli/compare_case.prm" --binary "$fbpinn" \
     --sweep quick --output out 2> refused.log; then
  echo "FAIL: a second run overwrote out/comparison.csv"; exit 1
fi
grep -q "exists; pass --force" refused.log

# --keep-others: rerun pinn alone; the other methods' rows stay as they
# were, in the CSV and in the tables.
cp out/comparison.csv before.csv
if "${compare[@]}" "$source_dir/tests/cli/compare_case.prm" --binary "$fbpinn" \
     --sweep quick --output out --methods pinn --keep-others 2> refused.log; then
  echo "FAIL: --keep-others without --force ran"; exit 1
fi
grep -q "pass --force as well" refused.log
"${compare[@]}" "$source_dir/tests/cli/compare_case.prm" --binary "$fbpinn" \
  --sweep quick --cycles 3 --output out --methods pinn --keep-others --force > rerun.log
grep -v "^pinn," before.csv > others-before.csv
grep -v "^pinn," out/comparison.csv > others-after.csv
cmp others-before.csv others-after.csv
test "$(grep -c "^pinn," out/comparison.csv)" = "$(grep -c "^pinn," before.csv)"
for label in FEM ELM-FBPINN FBPINN PINN; do
  grep -q "| $label |" out/comparison.md
done
echo "compare: all checks passed"
