#!/usr/bin/python3
"""Medians, ratios and plots of benchmarks/elm-solvers/results.csv: writes
summary.md, error_vs_time.png (ELM against FEM on multi-scale Laplace n = 4)
and solvers.png (every solver on every case).

    /usr/bin/python3 benchmarks/elm-solvers/plot.py
"""

import math
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import fbpinn_bench as fb  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
VALUES = ["n_dofs", "relative_l2", "normalized_l1", "iterations", "condition_estimate",
          "condition_number", "filtered_columns", "assembly", "solve", "total", "peak_rss_mb",
          "peak_rss_mb_max_rank", "n_rows", "n_nonzeros"]


def fmt(x, spec=".2e"):
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else format(x, spec)


def main():
    rows = fb.read_csv(os.path.join(HERE, "results.csv"))
    repeats = max(int(r["repeat"]) for r in rows) + 1
    med = fb.medians(rows, ["group", "case", "solver", "ranks"], VALUES)
    by = {}
    for r in med:
        by.setdefault(r["group"], []).append(r)

    out = [f"# ELM least-squares solvers: results",
           "",
           f"Machine: {fb.machine()}. Release build, OpenBLAS (serial). Medians over up to "
           f"{repeats} repeats (condition numbers and the long LSQR run: one). Times in "
           "seconds; `total` = setup + assembly + solve (without error evaluation). "
           "Iterative solvers: tolerance 1e-10, at most 20 000 iterations; filter "
           "tolerance 1e-10.", ""]

    out += ["## Condition numbers before and after local filtering", "",
            "Exact κ by dense SVD of the matrix the solver works on: qr the "
            "column-equilibrated M, filtered-direct the filtered M T.", "",
            "| case | unknowns | κ(M) | κ(M T) | kept columns | reduction |",
            "|---|---|---|---|---|---|"]
    cond = {}
    for r in by.get("condition", []):
        cond.setdefault(r["case"], {})[r["solver"]] = r
    for case, c in cond.items():
        before = c.get("qr", {}).get("condition_number", float("nan"))
        after = c.get("filtered-direct", {}).get("condition_number", float("nan"))
        kept = c.get("filtered-direct", {}).get("filtered_columns", float("nan"))
        out.append(f"| {case} | {c['qr']['n_dofs']:.0f} | {fmt(before, '.1e')} | "
                   f"{fmt(after, '.1e')} | {fmt(kept, '.0f')} | {fmt(before / after, '.1e')} |")

    out += ["", "## Every solver on the same matrices", "",
            "| case | ranks | solver | relative L2 | normalized L1 | iterations | converged | "
            "solve | total |", "|---|---|---|---|---|---|---|---|---|"]
    for r in by.get("solvers", []) + by.get("lsqr-long", []):
        if r["failed"]:
            out.append(f"| {r['case']} | {r['ranks']} | {r['solver']} | failed | | | | | |")
            continue
        out.append(f"| {r['case']}{' (100 000 it. allowed)' if r['group'] == 'lsqr-long' else ''}"
                   f" | {r['ranks']} | {r['solver']} | {fmt(r['relative_l2'])} | "
                   f"{fmt(r['normalized_l1'])} | {r['iterations']:.0f} | "
                   f"{'yes' if r['converged'] else 'NO'} | {r['solve']:.3f} | {r['total']:.3f} |")

    # Filtered LSQR against plain LSQR on the n = 2 case.
    lap2 = [r for r in by.get("solvers", []) if r["case"] == "laplace n=2 J=8^2 K=32"]
    flsqr = next((r for r in lap2 if r["solver"] == "filtered-lsqr"), None)
    plain = next((r for r in by.get("lsqr-long", [])), None)
    if flsqr and plain:
        out += ["", f"Iterations to the least-squares optimum on laplace n = 2, 8², K = 32: "
                f"filtered LSQR {flsqr['iterations']:.0f} (relative L2 {fmt(flsqr['relative_l2'])}); "
                f"plain LSQR {plain['iterations']:.0f}"
                f" ({'converged' if plain['converged'] else 'not converged'}, relative L2 "
                f"{fmt(plain['relative_l2'])}): ratio ≥ "
                f"{plain['iterations'] / flsqr['iterations']:.0f}."]

    out += ["", "## Multi-scale Laplace n = 4: filtered-direct against FEM, 2 ranks", "",
            "| method | case | unknowns | relative L2 | assembly | solve | total | peak RSS MB |",
            "|---|---|---|---|---|---|---|---|"]
    for r in by.get("n4", []) + by.get("fem", []):
        if r["failed"]:
            continue
        out.append(f"| {'ELM' if r['group'] == 'n4' else 'FEM'} | {r['case']} | "
                   f"{r['n_dofs']:.0f} | {fmt(r['relative_l2'])} | {r['assembly']:.3f} | "
                   f"{r['solve']:.3f} | {r['total']:.3f} | {r['peak_rss_mb']:.0f} |")

    out += ["", "## More than a million unknowns, 2 ranks", "",
            "| case | unknowns | rows | nonzeros | relative L2 | assembly | solve | total | "
            "peak RSS MB (sum of ranks) | largest rank MB |",
            "|---|---|---|---|---|---|---|---|---|---|"]
    for r in by.get("million", []):
        if r["failed"]:
            out.append(f"| {r['case']} | failed | | | | | | | | |")
            continue
        out.append(f"| {r['case']} | {r['n_dofs']:.0f} | {r['n_rows']:.0f} | "
                   f"{r['n_nonzeros']:.3g} | {fmt(r['relative_l2'])} | {r['assembly']:.1f} | "
                   f"{r['solve']:.1f} | {r['total']:.1f} | {r['peak_rss_mb']:.0f} | "
                   f"{r['peak_rss_mb_max_rank']:.0f} |")

    out += ["", "## The headline ratio", "",
            "Fastest setting of each method (median total time) among those reaching "
            "the accuracy, same run, same 2 ranks:", "",
            "| relative L2 ≤ | fastest ELM | time | fastest FEM | time | ELM / FEM |",
            "|---|---|---|---|---|---|"]
    for target in (1e-4, 1e-5):
        elm = [r for r in by.get("n4", []) if not r["failed"] and r["relative_l2"] <= target]
        fem = [r for r in by.get("fem", []) if not r["failed"] and r["relative_l2"] <= target]
        if elm and fem:
            e = min(elm, key=lambda r: r["total"])
            f = min(fem, key=lambda r: r["total"])
            out.append(f"| {target:.0e} | {e['case']} ({fmt(e['relative_l2'])}) | "
                       f"{e['total']:.2f} | {f['case']} ({fmt(f['relative_l2'])}) | "
                       f"{f['total']:.3f} | {e['total'] / f['total']:.0f} |")
        else:
            out.append(f"| {target:.0e} | {'none' if not elm else ''} | | "
                       f"{'none' if not fem else ''} | | |")

    with open(os.path.join(HERE, "summary.md"), "w") as f:
        f.write("\n".join(out) + "\n")
    print("\n".join(out))

    # ELM against FEM: error against total time.
    fig, ax = plt.subplots(figsize=(7, 5))
    for group, marker, name in (("n4", "o", "ELM filtered-direct"), ("fem", "s", "FEM cg-amg")):
        pts = [(r["total"], r["relative_l2"], r["case"]) for r in by.get(group, [])
               if not r["failed"]]
        ax.loglog([p[0] for p in pts], [p[1] for p in pts], marker, label=name)
        for t, e, case in pts:
            ax.annotate(case.replace("laplace n=4 ", "").replace("fem n=4 ", ""), (t, e),
                        fontsize=6, xytext=(3, 2), textcoords="offset points")
    for target in (1e-4, 1e-5):
        ax.axhline(target, color="grey", lw=0.5, ls="--")
    ax.set_xlabel("total time (setup + assembly + solve) [s], 2 ranks")
    ax.set_ylabel("relative L2 error")
    ax.set_title("Multi-scale Laplace n = 4: ELM-FBPINN against FEM")
    ax.legend()
    fig.tight_layout()
    fig.savefig(os.path.join(HERE, "error_vs_time.png"), dpi=130)

    # Every solver: solve time and error per case.
    cases = sorted({r["case"] for r in by.get("solvers", [])})
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.5))
    solvers = ["qr", "filtered-direct", "filtered-lsqr", "schwarz-cg", "lsqr", "normal-direct"]
    width = 0.8 / len(solvers)
    for i, s in enumerate(solvers):
        times, errors = [], []
        for c in cases:
            r = next((r for r in by["solvers"] if r["case"] == c and r["solver"] == s), None)
            ok = r is not None and not r["failed"]
            times.append(r["solve"] if ok else float("nan"))
            errors.append(r["relative_l2"] if ok else float("nan"))
        xs = [k + (i - len(solvers) / 2) * width for k in range(len(cases))]
        axes[0].bar(xs, times, width, label=s)
        axes[1].bar(xs, errors, width, label=s)
    for ax, name in ((axes[0], "solve time [s]"), (axes[1], "relative L2 error")):
        ax.set_yscale("log")
        ax.set_xticks(range(len(cases)))
        ax.set_xticklabels(cases, rotation=20, ha="right", fontsize=7)
        ax.set_ylabel(name)
    axes[0].legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(os.path.join(HERE, "solvers.png"), dpi=130)


if __name__ == "__main__":
    main()
