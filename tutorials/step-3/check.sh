#!/bin/bash
# ctest's check of step-3: step-3.prm (burgers by elm, 16 time slabs)
# reaches relative L2 ≤ 2e-3 over (0, 1) and ≤ 4e-3 at t = 1 (achieved
# 1.25e-3, 2.5e-3) with Gauss–Newton converged in every slab, and writes the
# slices that plot.py draws.
# Usage: check.sh FBPINN_BINARY TUTORIAL_DIR
set -u
fbpinn=$1
tutorial=$2
sed "s#^set Output directory.*#set Output directory = output-step-3#" \
  "$tutorial/step-3.prm" > step-3.prm
"$fbpinn" step-3.prm > step-3.out 2>&1 || { cat step-3.out; echo "FAIL step-3.prm does not run"; exit 1; }
tail -1 step-3.out
/usr/bin/python3 - <<'PY' || exit 1
import csv, json, sys
m = json.load(open("output-step-3/metrics.json"))
total, final = m["errors"]["relative_l2"], m["errors"]["final_time"]
times = {float(r["t"]) for r in csv.DictReader(open("output-step-3/solution_slices.csv"))}
checks = [(f"relative L2 over (0, 1) {total:.3g} <= 2e-3", total <= 2e-3),
          (f"relative L2 at t = 1 {final:.3g} <= 4e-3", final <= 4e-3),
          ("Gauss–Newton converged", m["solver"]["converged"] is True),
          (f"solution_slices.csv at t = {sorted(times)}", times == {0, 0.25, 0.5, 0.75, 1})]
for text, ok in checks:
    print(("ok  " if ok else "FAIL"), text)
sys.exit(0 if all(ok for _, ok in checks) else 1)
PY
/usr/bin/python3 "$tutorial/plot.py" output-step-3 slices.png && echo "ok   plot.py drew slices.png" ||
  { echo "FAIL plot.py"; exit 1; }
