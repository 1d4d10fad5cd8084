"""Shared helpers of the benchmark scripts: run one parameter file through the
fbpinn binary and read its metrics.json. Standard library only; run the
scripts with Debian's /usr/bin/python3."""

import csv
import json
import os
import statistics
import subprocess
import sys

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
BINARY = os.environ.get("FBPINN_BINARY", os.path.join(REPO_ROOT, "build", "fbpinn"))


def run_case(prm_text, workdir, name, ranks=1, single_core=False):
    """Write prm_text to workdir/name.prm, run it, return metrics.json as a dict
    (with 'failed': True and the error line if the run failed)."""
    if not os.path.exists(BINARY):
        sys.exit(f"fbpinn binary not found at {BINARY}: build it first "
                 "(cmake -S . -B build && cmake --build build -j2) or set FBPINN_BINARY")
    os.makedirs(workdir, exist_ok=True)
    output = os.path.join(workdir, name)
    prm = os.path.join(workdir, name + ".prm")
    with open(prm, "w") as f:
        f.write(prm_text + f"\nset Output directory = {output}\nset Write solution = false\n")
    command = [BINARY, prm]
    if ranks > 1:
        command = ["mpirun", "--allow-run-as-root", "--oversubscribe", "-np", str(ranks)] + command
    env = dict(os.environ)
    if single_core:
        # One core: pin the process and keep BLAS and TBB to one thread.
        command = ["taskset", "-c", "0"] + command
        env.update(OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", DEAL_II_NUM_THREADS="1")
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        return {"failed": True, "error": (result.stderr.strip().splitlines() or ["?"])[-1]}
    with open(os.path.join(output, "metrics.json")) as f:
        metrics = json.load(f)
    metrics["failed"] = False
    return metrics


def flatten(metrics):
    """The columns every benchmark CSV shares."""
    if metrics.get("failed"):
        return {"failed": True}
    t = metrics["timings"]
    return {
        "failed": False,
        "n_dofs": metrics["n_dofs"],
        "n_rows": metrics["n_rows"],
        "n_nonzeros": metrics["n_nonzeros"],
        "relative_l2": metrics["errors"]["relative_l2"],
        "normalized_l1": metrics["errors"]["normalized_l1"],
        "setup": t["setup"],
        "assembly": t["assembly"],
        "solve": t["solve"],
        "total": t["total"],
        "iterations": metrics["solver"]["iterations"],
        "converged": metrics["solver"]["converged"],
        "condition_estimate": metrics["solver"]["condition_estimate"],
        "peak_rss_mb": metrics["memory"]["peak_rss_mb"],
        "peak_rss_mb_max_rank": metrics["memory"].get("peak_rss_mb_max_rank"),
    }


def write_csv(path, rows):
    keys = []
    for row in rows:
        for k in row:
            if k not in keys:
                keys.append(k)
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=keys)
        writer.writeheader()
        writer.writerows(rows)


def read_csv(path):
    with open(path) as f:
        return list(csv.DictReader(f))


def medians(rows, key_columns, value_columns):
    """Group rows by key_columns and take the median of value_columns over the
    repeats of each group; failed rows are kept as failures."""
    groups = {}
    for row in rows:
        groups.setdefault(tuple(row[k] for k in key_columns), []).append(row)
    result = []
    for key, group in groups.items():
        entry = dict(zip(key_columns, key))
        ok = [r for r in group if r.get("failed") in ("False", False)]
        entry["failed"] = not ok
        entry["converged"] = bool(ok) and all(str(r.get("converged")) == "True" for r in ok)
        for column in value_columns:
            values = [float(r[column]) for r in ok if r.get(column) not in (None, "")]
            entry[column] = statistics.median(values) if values else float("nan")
        result.append(entry)
    return result


def machine():
    """One line naming the machine."""
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores"
