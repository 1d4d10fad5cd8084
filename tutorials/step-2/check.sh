#!/bin/bash
# ctest's check of step-2: the binary loads the plugin (its problem and its
# entry are in --print-parameters), fem Q2 converges at rate ≥ 2.9 and
# reaches relative L2 ≤ 1.5e-4 on 64² cells (achieved 2.97, 8.5e-5), elm
# reaches ≤ 2e-6 (achieved 4.2e-7), with the parameter files of the tutorial.
# Usage: check.sh FBPINN_BINARY PLUGIN_LIBRARY TUTORIAL_DIR
set -u
fbpinn=$1
plugin=$2
tutorial=$3
failures=0
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
for method in fem elm; do
  sed -e "s#^set Additional shared libraries.*#set Additional shared libraries = $plugin#" \
      -e "s#^set Output directory.*#set Output directory = output-$method#" \
      "$tutorial/step-2-$method.prm" > step-2-$method.prm
done
"$fbpinn" --print-parameters step-2-fem.prm > parameters.prm 2>&1
if grep -q "subsection step-2-advection-diffusion" parameters.prm &&
   grep -q "set Diffusion *= 0.05" parameters.prm; then
  echo "ok   --print-parameters shows the plugin's problem and its entry"
else
  fail "--print-parameters does not show the plugin's problem"
fi
"$fbpinn" step-2-fem.prm > fem.out 2>&1 || { cat fem.out; fail "step-2-fem.prm does not run"; }
"$fbpinn" step-2-elm.prm > elm.out 2>&1 || { cat elm.out; fail "step-2-elm.prm does not run"; }
/usr/bin/python3 - <<'PY' || failures=$((failures + 1))
import csv, json, sys
rows = list(csv.DictReader(open("output-fem/convergence.csv")))
rate, fem = float(rows[-1]["l2_rate"]), float(rows[-1]["relative_l2"])
elm = json.load(open("output-elm/metrics.json"))["errors"]["relative_l2"]
checks = [(f"fem Q2: L2 rate {rate:.2f} >= 2.9", rate >= 2.9),
          (f"fem Q2 on 64² cells: relative L2 {fem:.3g} <= 1.5e-4", fem <= 1.5e-4),
          (f"elm 16² x 48: relative L2 {elm:.3g} <= 2e-6", elm <= 2e-6)]
for text, ok in checks:
    print(("ok  " if ok else "FAIL"), text)
sys.exit(0 if all(ok for _, ok in checks) else 1)
PY
[ "$failures" -eq 0 ] || { echo "$failures failure(s)"; exit 1; }
