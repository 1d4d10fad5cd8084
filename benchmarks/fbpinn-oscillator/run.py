#!/usr/bin/python3
"""FBPINN and PINN in fbpinn on the FBPINNs reference case, and (if its
virtual environment exists) the published JAX FBPINNs code on the same case,
interleaved in one run so that their speeds are measured side by side.

Case: damped harmonic oscillator, omega0 = 80, damping 2 (delta), t in [0, 1];
FBPINN with 15 subdomains, one hidden layer of 32 tanh units, about 200
collocation points (14 Gauss points in each of the 15 cells: 210), Adam at
learning rate 1e-3 for 20 000 steps; the PINN with the same network over the
whole domain; and fbpinn followed by 500 L-BFGS iterations (fbpinn only).
Every run on core 0 (taskset -c 0 for fbpinn; the JAX script pins itself
there with --cpu 0 and keeps XLA to one thread).

    /usr/bin/python3 benchmarks/fbpinn-oscillator/run.py
    /usr/bin/python3 benchmarks/fbpinn-oscillator/plot.py

Writes results.csv (one row per run: method, code, steps, wall time of the
training, steps per second, final errors) and history-<code>-<method>-<repeat>.csv
(fbpinn's training.csv: step, wall time, loss, normalized L1 and relative L2
at the collocation points). Environment: REPEATS (default 3), STEPS (20000).
"""

import csv
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import fbpinn_bench as fb  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPEATS = int(os.environ.get("REPEATS", "3"))
STEPS = int(os.environ.get("STEPS", "20000"))
JAX_PYTHON = os.path.join(HERE, ".venv-jax", "bin", "python")


def prm(method, lbfgs_steps=0):
    return f"""set Dimension = 1
set Method = {method}
subsection Problem
  set Name = harmonic-oscillator
  subsection harmonic-oscillator
    set Omega0  = 80
    set Damping = 2
  end
end
subsection Mesh
  set Subdivisions       = 15
  set Global refinements = 0
end
subsection FBPINN
  set Collocation points per direction = 14
  set Hard constraints                 = true
end
subsection Network
  set Hidden layers = 32
  set Activation    = tanh
end
subsection Training
  set Learning rate     = 1e-3
  set Steps             = {STEPS}
  set Progress interval = 200
  set L-BFGS steps      = {lbfgs_steps}
  # The weighting the recorded results were measured with (before 'Loss
  # weighting' existed); like the JAX code's hard-constraint loss, the plain
  # mean of r² over equal-weight points, up to a constant. The default
  # 'normalized' gives L1 3.3e-3 here (tests/fbpinn/loss_weighting).
  set Loss weighting    = quadrature
end
"""


def run_ours(method, repeat):
    scratch = os.path.join(HERE, "scratch")
    # "fbpinn+lbfgs": the fbpinn case followed by 500 L-BFGS iterations.
    lbfgs = 500 if method.endswith("+lbfgs") else 0
    metrics = fb.run_case(prm(method.replace("+lbfgs", ""), lbfgs), scratch,
                          method.replace("+", "-"), single_core=True)
    if metrics["failed"]:
        return {"code": "fbpinn (C++)", "method": method, "repeat": repeat, "failed": True}
    history = os.path.join(HERE, f"history-cpp-{method}-{repeat}.csv")
    shutil.copy(os.path.join(scratch, method.replace("+", "-"), "training.csv"), history)
    solve = metrics["timings"]["solve"]
    return {"code": "fbpinn (C++)", "method": method, "repeat": repeat, "failed": False,
            "steps": metrics["solver"]["iterations"], "training_seconds": solve,
            "steps_per_second": metrics["solver"]["iterations"] / solve,
            "normalized_l1": metrics["errors"]["normalized_l1"],
            "relative_l2": metrics["errors"]["relative_l2"],
            "parameters": metrics["n_dofs"]}


def run_jax(method, repeat):
    out = os.path.join(HERE, "scratch", f"jax-{method}-{repeat}.csv")
    command = [JAX_PYTHON, os.path.join(HERE, "jax_reference.py"), "--method", method,
               "--steps", str(STEPS), "--csv", out, "--cpu", "0"]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0 or not os.path.exists(out):
        print(result.stderr[-2000:])
        return {"code": "FBPINNs (JAX)", "method": method, "repeat": repeat, "failed": True}
    with open(out) as f:
        row = list(csv.DictReader(f))[-1]
    return {"code": "FBPINNs (JAX)", "method": method, "repeat": repeat, "failed": False,
            "steps": int(row["steps"]), "training_seconds": float(row["wall_seconds"]),
            "steps_per_second": float(row["steps_per_second"]),
            "normalized_l1": float(row["normalized_l1"]),
            "relative_l2": float(row["relative_l2"]), "parameters": int(row["parameters"])}


def main():
    os.makedirs(os.path.join(HERE, "scratch"), exist_ok=True)
    with_jax = os.path.exists(JAX_PYTHON)
    if not with_jax:
        print("no .venv-jax: running fbpinn only (see README for the JAX set-up)")
    rows = []
    for repeat in range(REPEATS):
        for method in ("fbpinn", "pinn"):
            runs = [run_ours] + ([run_jax] if with_jax else [])
            for run in runs:
                row = run(method, repeat)
                rows.append(row)
                print({k: v for k, v in row.items()}, flush=True)
        row = run_ours("fbpinn+lbfgs", repeat)
        rows.append(row)
        print(row, flush=True)
    fb.write_csv(os.path.join(HERE, "results.csv"), rows)
    print("machine:", fb.machine())


if __name__ == "__main__":
    main()
