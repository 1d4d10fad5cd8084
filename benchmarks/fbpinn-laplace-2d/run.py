#!/usr/bin/python3
"""FBPINN and PINN in fbpinn (C++) and in the published JAX FBPINNs code on the
2D multi-scale Laplace case of the multilevel-FBPINN paper, interleaved in one
run so that their speeds are measured side by side on the same core.

Case (README.md): -Δu = f on [0,1]², u = (1/4) Σ_{ω=2,4,8,16} sin(ωπx)
sin(ωπy), hard-constraint ansatz with s = 1/16, 80 × 80 collocation points,
Adam at 1e-3 for 15 000 steps; FBPINN with 16 × 16 subdomains and [2, 16, 1]
tanh networks, PINN [2, 64, 64, 1]. fbpinn reads case-fbpinn.prm /
case-pinn.prm (Steps, Progress interval and Output directory replaced); the
JAX side is jax_reference.py in the virtual environment of
benchmarks/fbpinn-oscillator (.venv-jax there; see README.md).

Every run is pinned to core --cpu (default 1): fbpinn under `taskset -c CPU`
with OMP/OpenBLAS/deal.II threads at 1, the JAX script by sched_setaffinity
with XLA on one thread. For each repeat and each method, fbpinn runs first and
the JAX code right after it, so each pair shares the machine's state.

The fbpinn binary is first copied, with the libfbpinn.so it links (its RUNPATH
points into build/, which may be rebuilt meanwhile), to --snapshot (default
/tmp/fbpinn-bench-binary) and run from there with LD_LIBRARY_PATH; the commit
of the work tree and whether it had changes are recorded in build-info.txt and
in every row. --binary-dir DIR uses an existing copy instead.

    /usr/bin/python3 benchmarks/fbpinn-laplace-2d/run.py                  # full study
    /usr/bin/python3 benchmarks/fbpinn-laplace-2d/run.py --steps 1000 --repeats 1 \\
        --outdir benchmarks/fbpinn-laplace-2d/scratch/short               # smoke test
    /usr/bin/python3 benchmarks/fbpinn-laplace-2d/plot.py [--outdir DIR]

Writes into --outdir (default: this directory): results.csv (one row per run:
method, code (cpp/jax), repeat, steps, wall_seconds of the training loop,
steps_per_second, normalized_l1, relative_l2, final loss, ...), summary.md
(medians, and the steps/s ratio cpp/jax pair by pair and its median, per
method), history-cpp-<method>-<repeat>.csv (fbpinn's training.csv: step, wall
time, loss, normalized L1 and relative L2 at the collocation points) and
history-jax-<method>-<repeat>.csv (the JAX code's own test errors every
--jax-test-freq steps on its 350 × 350 grid; test time not counted).
"""

import argparse
import csv
import datetime
import json
import os
import re
import shutil
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import fbpinn_bench as fb  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = fb.REPO_ROOT
JAX_PYTHON = os.environ.get(
    "JAX_PYTHON", os.path.join(HERE, "..", "fbpinn-oscillator", ".venv-jax", "bin", "python"))
METHODS = ("fbpinn", "pinn")


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--steps", type=int, default=15000, help="Adam steps (published: 15000)")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--methods", default="fbpinn,pinn", help="comma separated: fbpinn,pinn")
    p.add_argument("--codes", default="cpp,jax", help="comma separated: cpp,jax")
    p.add_argument("--cpu", type=int, default=1, help="the core every run is pinned to")
    p.add_argument("--outdir", default=HERE, help="where results.csv, summary.md, history-* go")
    p.add_argument("--progress-interval", type=int, default=500,
                   help="fbpinn: a training.csv row every this many steps")
    p.add_argument("--jax-test-freq", type=int, default=500,
                   help="JAX: a test (history row) every this many steps; 0: only at the end")
    p.add_argument("--snapshot", default="/tmp/fbpinn-bench-binary",
                   help="copy build/fbpinn and build/libfbpinn.so here first")
    p.add_argument("--binary-dir", default="",
                   help="use the fbpinn and libfbpinn.so already in this directory (no copy)")
    p.add_argument("--jax-python", default=JAX_PYTHON)
    args = p.parse_args()
    args.methods = [m for m in args.methods.split(",") if m]
    args.codes = [c for c in args.codes.split(",") if c]
    for m in args.methods:
        if m not in METHODS:
            p.error(f"unknown method {m!r}")
    for c in args.codes:
        if c not in ("cpp", "jax"):
            p.error(f"unknown code {c!r}")
    return args


def git(*command, strip=True):
    result = subprocess.run(["git", "-C", REPO_ROOT] + list(command),
                            capture_output=True, text=True)
    return result.stdout.strip() if strip else result.stdout


def snapshot_binary(args):
    """The directory holding the fbpinn binary and libfbpinn.so to run, and a
    line describing their build."""
    if args.binary_dir:
        directory = os.path.abspath(args.binary_dir)
        info_path = os.path.join(directory, "build-info.txt")
        info = open(info_path).read().strip() if os.path.exists(info_path) else "unknown build"
    else:
        build = os.path.dirname(fb.BINARY)
        directory = os.path.abspath(args.snapshot)
        os.makedirs(directory, exist_ok=True)
        for name in ("fbpinn", "libfbpinn.so"):
            source = os.path.join(build, name)
            if not os.path.exists(source):
                sys.exit(f"{source} not found: build first (cmake --build build -j2)")
            shutil.copy2(source, os.path.join(directory, name))
        mtime = datetime.datetime.fromtimestamp(
            os.path.getmtime(os.path.join(build, "libfbpinn.so")), datetime.timezone.utc)
        dirty = git("status", "--porcelain", "--untracked-files=no", "--", "source",
                    "include", "app", "CMakeLists.txt", strip=False)
        info = (f"commit {git('rev-parse', '--short', 'HEAD')}"
                f"{' + uncommitted changes in ' + ', '.join(sorted({l[3:] for l in dirty.splitlines()})) if dirty else ''}"
                f", libfbpinn.so built {mtime:%Y-%m-%d %H:%M:%S} UTC")
        with open(os.path.join(directory, "build-info.txt"), "w") as f:
            f.write(info + "\n")
        if dirty:
            with open(os.path.join(directory, "worktree.diff"), "w") as f:
                f.write(git("diff", "--", "source", "include", "app", "CMakeLists.txt") + "\n")
    binary = os.path.join(directory, "fbpinn")
    env = dict(os.environ, LD_LIBRARY_PATH=directory)
    ldd = subprocess.run(["ldd", binary], capture_output=True, text=True, env=env).stdout
    if os.path.join(directory, "libfbpinn.so") not in ldd:
        sys.exit(f"{binary} does not resolve libfbpinn.so in {directory}:\n{ldd}")
    return directory, info


def prm_text(method, args, output):
    with open(os.path.join(HERE, f"case-{method}.prm")) as f:
        text = f.read()
    replacements = {
        "Steps": str(args.steps),
        "Progress interval": str(args.progress_interval),
        "Output directory": output,
        "Write solution": "false",
    }
    for key, value in replacements.items():
        text, n = re.subn(rf"^(\s*set {re.escape(key)}\s*=).*$", rf"\g<1> {value}", text,
                          flags=re.MULTILINE)
        if n != 1:
            sys.exit(f"case-{method}.prm: expected one 'set {key}' line, found {n}")
    return text


def run_cpp(method, repeat, args, binary_dir, build_info):
    scratch = os.path.join(HERE, "scratch", "cpp")
    os.makedirs(scratch, exist_ok=True)
    name = f"{method}-{repeat}"
    output = os.path.join(scratch, name)
    prm = os.path.join(scratch, name + ".prm")
    with open(prm, "w") as f:
        f.write(prm_text(method, args, output))
    env = dict(os.environ, LD_LIBRARY_PATH=binary_dir, OMP_NUM_THREADS="1",
               OPENBLAS_NUM_THREADS="1", DEAL_II_NUM_THREADS="1")
    command = ["taskset", "-c", str(args.cpu), os.path.join(binary_dir, "fbpinn"), prm]
    base = {"method": method, "code": "cpp", "repeat": repeat, "build": build_info}
    result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=REPO_ROOT)
    if result.returncode != 0:
        error = (result.stderr.strip().splitlines() or ["?"])[-1]
        return dict(base, failed=True, error=error)
    with open(os.path.join(output, "metrics.json")) as f:
        metrics = json.load(f)
    shutil.copy(os.path.join(output, "training.csv"),
                os.path.join(args.outdir, f"history-cpp-{method}-{repeat}.csv"))
    with open(os.path.join(output, "training.csv")) as f:
        last = list(csv.DictReader(f))[-1]
    steps = metrics["solver"]["iterations"]
    solve = metrics["timings"]["solve"]
    return dict(base, failed=False, steps=steps, wall_seconds=f"{solve:.4f}",
                steps_per_second=f"{steps / solve:.2f}",
                normalized_l1=f"{metrics['errors']['normalized_l1']:.6e}",
                relative_l2=f"{metrics['errors']['relative_l2']:.6e}",
                final_loss=f"{float(last['loss']):.6e}",
                parameters=metrics["n_dofs"], n_subdomains=metrics.get("n_subdomains", ""),
                n_collocation=metrics["n_rows"], error="")


def run_jax(method, repeat, args):
    scratch = os.path.join(HERE, "scratch", "jax")
    os.makedirs(scratch, exist_ok=True)
    out = os.path.join(scratch, f"jax-{method}-{repeat}.csv")
    if os.path.exists(out):
        os.remove(out)
    command = [args.jax_python, os.path.join(HERE, "jax_reference.py"), "--method", method,
               "--steps", str(args.steps), "--csv", out, "--cpu", str(args.cpu),
               "--test-freq", str(args.jax_test_freq),
               "--history", os.path.join(args.outdir, f"history-jax-{method}-{repeat}.csv")]
    base = {"method": method, "code": "jax", "repeat": repeat, "build": "fbpinns ff30950"}
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0 or not os.path.exists(out):
        print(result.stderr[-2000:], file=sys.stderr)
        error = (result.stderr.strip().splitlines() or ["?"])[-1]
        return dict(base, failed=True, error=error)
    with open(out) as f:
        row = list(csv.DictReader(f))[-1]
    return dict(base, failed=False, steps=int(row["steps"]), wall_seconds=row["wall_seconds"],
                steps_per_second=row["steps_per_second"], normalized_l1=row["normalized_l1"],
                relative_l2=row["relative_l2"], final_loss=row["final_loss"],
                parameters=int(row["parameters"]), n_subdomains=row["n_subdomains"],
                n_collocation=row["n_collocation"], error="")


def summary(rows, machine, build_info, args):
    ok = lambda r: str(r["failed"]) == "False"  # noqa: E731
    out = ["# FBPINN and PINN on the 2D multi-scale Laplace case (fbpinn C++ against "
           "FBPINNs JAX)", "",
           f"Machine: {machine}; every run on core {args.cpu}. fbpinn: {build_info}. "
           f"Medians over the repeats.", "",
           "| code | method | runs | steps | training s | steps/s | normalized L1 | "
           "relative L2 | final loss |",
           "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for method in args.methods:
        for code in args.codes:
            group = [r for r in rows if r["code"] == code and r["method"] == method]
            good = [r for r in group if ok(r)]
            if not good:
                if group:
                    out.append(f"| {code} | {method} | {len(group)} failed | | | | | | |")
                continue
            med = {k: statistics.median(float(r[k]) for r in good)
                   for k in ("steps", "wall_seconds", "steps_per_second", "normalized_l1",
                             "relative_l2", "final_loss")}
            out.append(f"| {code} | {method} | {len(good)} | {med['steps']:.0f} | "
                       f"{med['wall_seconds']:.1f} | {med['steps_per_second']:.2f} | "
                       f"{med['normalized_l1']:.2e} | {med['relative_l2']:.2e} | "
                       f"{med['final_loss']:.3e} |")
    out.append("")
    for method in args.methods:
        ratios = []
        for r in rows:
            if r["code"] != "cpp" or r["method"] != method or not ok(r):
                continue
            other = [x for x in rows if x["code"] == "jax" and x["method"] == method
                     and x["repeat"] == r["repeat"] and ok(x)]
            if other:
                ratios.append(float(r["steps_per_second"]) /
                              float(other[0]["steps_per_second"]))
        if ratios:
            out.append(f"{method}: steps/s cpp / jax, pair by pair: "
                       + ", ".join(f"{x:.2f}" for x in ratios)
                       + f"; median {statistics.median(ratios):.2f}.")
    failed = [r for r in rows if not ok(r)]
    for r in failed:
        out.append(f"- failed: {r['code']} {r['method']} repeat {r['repeat']}: {r['error']}")
    return "\n".join(out) + "\n"


def main():
    args = parse_args()
    args.outdir = os.path.abspath(args.outdir)
    os.makedirs(args.outdir, exist_ok=True)
    if "jax" in args.codes and not os.path.exists(args.jax_python):
        print(f"no {args.jax_python}: running fbpinn only (see README.md for the JAX set-up)")
        args.codes = [c for c in args.codes if c != "jax"]
    binary_dir, build_info = ("", "")
    if "cpp" in args.codes:
        binary_dir, build_info = snapshot_binary(args)
        print("fbpinn:", build_info, "from", binary_dir, flush=True)
    rows = []
    for repeat in range(args.repeats):
        for method in args.methods:
            for code in args.codes:
                if code == "cpp":
                    row = run_cpp(method, repeat, args, binary_dir, build_info)
                else:
                    row = run_jax(method, repeat, args)
                rows.append(row)
                print({k: v for k, v in row.items() if k != "build"}, flush=True)
                # Written after every run, so an interrupted study keeps its rows.
                fb.write_csv(os.path.join(args.outdir, "results.csv"), rows)
    text = summary(rows, fb.machine(), build_info, args)
    with open(os.path.join(args.outdir, "summary.md"), "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
