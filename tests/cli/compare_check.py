"""Checks of tests/cli/compare.sh on the output directory of fbpinn-compare."""
import csv
import math
import os
import sys

directory = sys.argv[1]
rows = list(csv.DictReader(open(os.path.join(directory, "comparison.csv"))))
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)


for method in ("fem", "elm", "fbpinn", "pinn"):
    ok = [r for r in rows if r["method"] == method and r["status"] == "ok"]
    check(len(ok) >= 3, f"{method}: {len(ok)} successful runs, expected at least 3")
    for r in ok:
        for key in ("relative_l2", "normalized_l1", "total"):
            value = float(r[key])
            check(math.isfinite(value) and value >= 0, f"{method} {r['setting']}: {key} = {r[key]}")
        check(int(r["dofs"]) > 0, f"{method}: no DoFs")

# The rejected solver: a failed row per degree and cycle, with the message.
rejected = [r for r in rows if "no-such-solver" in r["setting"]]
check(len(rejected) == 6, f"{len(rejected)} rows of the rejected solver (2 degrees × 3 cycles), expected 6")
for r in rejected:
    check(r["status"] == "failed" and "Solver" in r["message"],
          f"rejected solver: status {r['status']}, message '{r['message']}'")
check(all(r["status"] == "ok" for r in rows if r not in rejected),
      "a run other than the rejected ones did not succeed")

# Errors decrease with resolution for the default FEM (Q2) and ELM (K = 16)
# settings; measured rel. L2 3.9e-3 and 4.0e-4 on 8² cells.
for method, bound in (("fem", 1e-2), ("elm", 2e-3)):
    default = sorted((int(r["cycle"]), float(r["relative_l2"])) for r in rows
                     if r["method"] == method and r["default"] == "True")
    errors = [e for _, e in default]
    check(len(errors) == 3, f"{method}: {len(errors)} default runs, expected 3")
    check(all(b < a for a, b in zip(errors, errors[1:])),
          f"{method}: default errors do not decrease with resolution: {errors}")
    check(errors and errors[-1] <= bound, f"{method}: finest error {errors[-1:]} above {bound}")

text = open(os.path.join(directory, "comparison.md")).read()
for heading in ("Fastest setting found per accuracy level", "Default setting per cycle",
                "Runs that did not succeed: 6 of", "FBPINN", "PINN", "ELM-FBPINN"):
    check(heading in text, f"comparison.md lacks '{heading}'")
try:
    import matplotlib  # noqa: F401
    for png in ("error_vs_time.png", "error_vs_dofs.png"):
        check(os.path.getsize(os.path.join(directory, png)) > 1000, f"{png} missing")
except ImportError:
    pass

for f in failures:
    print("FAIL:", f)
print(f"{len(rows)} rows, {len(failures)} failures")
sys.exit(1 if failures else 0)
