#!/usr/bin/python3
"""summary.md and error_vs_step.png / error_vs_time.png from run.py's output.

    /usr/bin/python3 benchmarks/fbpinn-oscillator/plot.py
"""

import csv
import glob
import os
import statistics
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import fbpinn_bench as fb  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def history(path):
    with open(path) as f:
        return [{k: float(v) for k, v in row.items()} for row in csv.DictReader(f)]


def main():
    rows = fb.read_csv(os.path.join(HERE, "results.csv"))
    out = ["# FBPINN and PINN on the damped oscillator (omega0 = 80)", "",
           f"Machine: {fb.machine()}; one core each. Medians over the repeats.", "",
           "| code | method | runs | steps | training s | steps/s | normalized L1 | "
           "first step with L1 <= 1e-3 (collocation points) | time to it s |",
           "|---|---|---|---|---|---|---|---|---|"]
    speeds = {}
    for code in sorted({r["code"] for r in rows}):
        for method in ("fbpinn", "pinn", "fbpinn+lbfgs"):
            ok = [r for r in rows if r["code"] == code and r["method"] == method
                  and r["failed"] == "False"]
            failed = [r for r in rows if r["code"] == code and r["method"] == method
                      and r["failed"] != "False"]
            if not ok:
                if failed:
                    out.append(f"| {code} | {method} | {len(failed)} failed | | | | | | |")
                continue
            med = {k: statistics.median(float(r[k]) for r in ok)
                   for k in ("steps", "training_seconds", "steps_per_second", "normalized_l1")}
            speeds[(code, method)] = med["steps_per_second"]
            reached, when = "not reached", ""
            if code.startswith("fbpinn"):
                for path in sorted(glob.glob(os.path.join(HERE, f"history-cpp-{method}-*.csv"))):
                    h = history(path)
                    hit = next((x for x in h if x["normalized_l1"] <= 1e-3), None)
                    if hit:
                        reached, when = f"{hit['step']:.0f}", f"{hit['wall_time']:.2f}"
                    break
            else:
                reached = "(not recorded)"
            out.append(f"| {code} | {method} | {len(ok)} | {med['steps']:.0f} | "
                       f"{med['training_seconds']:.2f} | {med['steps_per_second']:.0f} | "
                       f"{med['normalized_l1']:.2e} | {reached} | {when} |")
    for method in ("fbpinn", "pinn"):
        # Ratio per repeat (the two ran back to back), then the median.
        ratios = []
        for r in rows:
            if r["code"] != "fbpinn (C++)" or r["method"] != method or r["failed"] != "False":
                continue
            other = [x for x in rows if x["code"] == "FBPINNs (JAX)" and x["method"] == method
                     and x["repeat"] == r["repeat"] and x["failed"] == "False"]
            if other:
                ratios.append(float(r["steps_per_second"]) /
                              float(other[0]["steps_per_second"]))
        if ratios:
            out.append("")
            out.append(f"{method}: fbpinn (C++) / FBPINNs (JAX) steps per second, pair by pair: "
                       + ", ".join(f"{x:.2f}" for x in ratios)
                       + f"; median {statistics.median(ratios):.2f}.")
    with open(os.path.join(HERE, "summary.md"), "w") as f:
        f.write("\n".join(out) + "\n")
    print("\n".join(out))

    for x_key, name, label in (("step", "error_vs_step.png", "Adam step"),
                               ("wall_time", "error_vs_time.png", "wall time [s], one core")):
        fig, ax = plt.subplots(figsize=(6.5, 4.5))
        for method, colour in (("fbpinn", "C0"), ("pinn", "C1")):
            paths = sorted(glob.glob(os.path.join(HERE, f"history-cpp-{method}-*.csv")))
            if paths:
                h = history(paths[0])
                ax.semilogy([x[x_key] for x in h], [x["normalized_l1"] for x in h], colour,
                            label=f"{method} (fbpinn C++)")
        for r in rows:
            if r["code"].startswith("FBPINNs") and r["failed"] == "False" and r["repeat"] == "0":
                x = float(r["steps"]) if x_key == "step" else float(r["training_seconds"])
                ax.semilogy([x], [float(r["normalized_l1"])], "k*" if r["method"] == "fbpinn"
                            else "kx", label=f"{r['method']} (FBPINNs JAX, final)")
        ax.axhline(1e-3, color="grey", lw=0.5, ls="--")
        ax.set_xlabel(label)
        ax.set_ylabel("normalized L1 error")
        ax.set_title("Damped oscillator, omega0 = 80")
        ax.legend(fontsize=8)
        fig.tight_layout()
        fig.savefig(os.path.join(HERE, name), dpi=120)


if __name__ == "__main__":
    main()
