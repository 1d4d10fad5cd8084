#!/usr/bin/env python3
"""The published JAX FBPINNs code (Ben Moseley, github.com/benmoseley/FBPINNs,
package `fbpinns`) on the reference case of its README and example 1, timed on
one CPU core.

Case: damped harmonic oscillator u'' + 2*d*u' + w0^2*u = 0, u(0) = 1,
u'(0) = 0, t in [0, 1], with w0 = 80 and d = 2 (fbpinns.problems.
HarmonicOscillator1D; delta = d, omega0 = w0). Soft constraints, as in their
problem class: loss = mean(residual^2) + 1e6*(u(0)-1)^2 + 1e2*u'(0)^2.

  fbpinn: FBPINNTrainer, RectangularDecompositionND with 15 subdomain centres
          np.linspace(0, 1, 15) and widths 0.15 (= 2.1 x the spacing 1/14,
          exactly as in their README / example 1), cosine windows, FCN
          [1, 32, 1] (tanh) in every subdomain, AllActiveSchedulerND.
  pinn:   PINNTrainer, one FCN over the whole domain, [1, 32, 1] by default
          (their README compares with [1, 64, 64, 1]: --pinn-layers 1,64,64,1).
  both:   200 collocation points, sampler "grid" (np.linspace(0, 1, 200),
          endpoints included, fixed for the whole run), Adam lr 1e-3, seed 0,
          float32 (JAX's default; the package does not enable x64).

Timing: both trainers AOT-compile the update step (jit(...).lower().compile())
before the loop. The trainer does not return its timings, so this script wraps
Trainer._report, which the loop calls once before the first step (i = 0, after
compilation and the initial test) and once after every step (i = 1..N). The
clock starts when the i = 0 report returns and stops at the i = N report after
jax.block_until_ready on the last loss, before the final test. So
wall_seconds is the training loop only: N update steps plus the loop's own
bookkeeping (their scheduler iteration, the loss print every --summary-freq
steps); it excludes JIT compilation, set-up and testing (test_freq is set to
N, so the only tests are at i = 0 and i = N). setup_seconds is everything in
train() before the clock starts (compile included).

Error: their own test step (_Trainer._test) on a uniform grid of --n-test
points (np.linspace(0, 1, n), endpoints included) against the exact solution;
normalized_l1 = mean|u - u_exact| / std(u_exact) (their l1n; population std),
relative_l2 = ||u - u_exact||_2 / ||u_exact||_2 on the same grid.

One core: XLA_FLAGS="--xla_cpu_multi_thread_eigen=false
intra_op_parallelism_threads=1" is set before jax is imported and the process
pins itself to CPU --cpu (default 1, like `taskset -c 1`).

    .venv-jax/bin/python jax_reference.py --steps 2000            # both methods
    .venv-jax/bin/python jax_reference.py --method fbpinn --steps 20000 --csv out.csv

Writes (overwrites) jax_results.csv beside this script, or the file given with
--csv; run.py calls it as `--method fbpinn|pinn --steps N --csv FILE`. Outputs of the fbpinns trainer (tensorboard
summaries, model pickles) go to scratch/jax-work/results/.
"""

import argparse
import csv
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))

FIELDS = ["method", "steps", "wall_seconds", "steps_per_second", "normalized_l1",
          "relative_l2", "l1", "setup_seconds", "n_test", "n_collocation",
          "n_subdomains", "layer_sizes", "parameters", "jax", "fbpinns_commit"]
FBPINNS_COMMIT = "ff309504a6eb58787042ee22a490a942e2877e62"


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--method", choices=["fbpinn", "pinn", "both"], default="both")
    p.add_argument("--steps", type=int, default=20000)
    p.add_argument("--csv", default=os.path.join(HERE, "jax_results.csv"))
    p.add_argument("--n-test", type=int, default=5000, help="points of the test grid")
    p.add_argument("--n-collocation", type=int, default=200)
    p.add_argument("--sampler", default="grid", choices=["grid", "uniform", "sobol", "halton"],
                   help="fbpinns sampler of the collocation points (grid = linspace)")
    p.add_argument("--subdomains", type=int, default=15)
    p.add_argument("--width", type=float, default=0.15, help="subdomain width (README: 0.15)")
    p.add_argument("--fbpinn-layers", default="1,32,1")
    p.add_argument("--pinn-layers", default="1,32,1")
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--summary-freq", type=int, default=1000)
    p.add_argument("--cpu", type=int, default=1, help="CPU to pin to (-1: do not pin)")
    p.add_argument("--verbose", action="store_true", help="show the trainer's INFO log")
    return p.parse_args()


def one_core(cpu):
    # Must happen before jax (XLA) is imported.
    os.environ["XLA_FLAGS"] = ("--xla_cpu_multi_thread_eigen=false "
                               "intra_op_parallelism_threads=1")
    os.environ.setdefault("JAX_PLATFORMS", "cpu")
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"
    if cpu >= 0:
        os.sched_setaffinity(0, {cpu})


def layers(text):
    return [int(x) for x in text.split(",")]


def run(method, args):
    import jax
    import jax.numpy as jnp
    import numpy as np
    from fbpinns import trainers
    from fbpinns.constants import Constants
    from fbpinns.decompositions import RectangularDecompositionND
    from fbpinns.domains import RectangularDomainND
    from fbpinns.networks import FCN
    from fbpinns.problems import HarmonicOscillator1D
    from fbpinns.util.logger import logger

    logger.setLevel("INFO" if args.verbose else "WARNING")

    n_steps = args.steps
    m = args.subdomains
    layer_sizes = layers(args.fbpinn_layers if method == "fbpinn" else args.pinn_layers)
    c = Constants(
        run=f"jax-{method}",
        domain=RectangularDomainND,
        domain_init_kwargs=dict(xmin=np.array([0.]), xmax=np.array([1.])),
        problem=HarmonicOscillator1D,
        problem_init_kwargs=dict(d=2, w0=80),
        decomposition=RectangularDecompositionND,
        decomposition_init_kwargs=dict(
            subdomain_xs=[np.linspace(0, 1, m)],
            subdomain_ws=[args.width * np.ones((m,))],
            unnorm=(0., 1.),
        ),
        network=FCN,
        network_init_kwargs=dict(layer_sizes=layer_sizes),
        ns=((args.n_collocation,),),
        n_test=(args.n_test,),
        sampler=args.sampler,
        n_steps=n_steps,
        optimiser_kwargs=dict(learning_rate=args.lr),
        seed=args.seed,
        summary_freq=args.summary_freq,
        test_freq=n_steps,              # tests at i = 0 and i = n_steps only
        model_save_freq=10**12,         # only the i = 0 save (outside the clock)
        show_figures=False,
        save_figures=False,
        clear_output=False,
    )

    Trainer = trainers.FBPINNTrainer if method == "fbpinn" else trainers.PINNTrainer
    marks = {}
    captured = {}

    original_report = Trainer._report
    original_test = Trainer._test

    def report(self, i, *rest):
        if i == n_steps and "t_end" not in marks:
            jax.block_until_ready(rest[-1])      # lossval of the last step
            marks["t_end"] = time.perf_counter()
        out = original_report(self, i, *rest)
        if i == 0 and "t_start" not in marks:
            marks["t_start"] = time.perf_counter()
        return out

    def test(self, x_batch_test, u_exact, *rest):
        u_test_losses = original_test(self, x_batch_test, u_exact, *rest)
        captured["x"], captured["u_exact"] = x_batch_test, u_exact
        captured["losses"] = u_test_losses[-1]
        return u_test_losses

    # Capture the model output of their test step (first output = final u).
    model_jit_name = "FBPINN_model_jit" if method == "fbpinn" else "PINN_model_jit"
    original_model_jit = getattr(trainers, model_jit_name)

    def model_jit(*a, **k):
        out = original_model_jit(*a, **k)
        captured["u_test"] = out[0]
        return out

    Trainer._report, Trainer._test = report, test
    setattr(trainers, model_jit_name, model_jit)
    # Their test step draws matplotlib figures at i = 0; not needed here.
    original_plot = trainers.plot_trainer.plot
    trainers.plot_trainer.plot = lambda *a, **k: None
    try:
        t0 = time.perf_counter()
        trainer = Trainer(c)
        all_params = trainer.train()
    finally:
        Trainer._report, Trainer._test = original_report, original_test
        setattr(trainers, model_jit_name, original_model_jit)
        trainers.plot_trainer.plot = original_plot

    u, ue = np.asarray(captured["u_test"]), np.asarray(captured["u_exact"])
    step, _, _, _, l1, l1n = captured["losses"]
    assert step == n_steps, step
    l1n_here = float(np.mean(np.abs(u - ue)) / np.std(ue))
    assert abs(l1n_here - l1n) <= 1e-6 * max(1.0, abs(l1n)), (l1n_here, l1n)
    rel_l2 = float(np.linalg.norm(u - ue) / np.linalg.norm(ue))
    wall = marks["t_end"] - marks["t_start"]
    params = sum(x.size for x in jax.tree_util.tree_leaves(all_params["trainable"]["network"]))
    return {
        "method": method, "steps": n_steps, "wall_seconds": f"{wall:.4f}",
        "steps_per_second": f"{n_steps / wall:.2f}", "normalized_l1": f"{l1n:.6e}",
        "relative_l2": f"{rel_l2:.6e}", "l1": f"{l1:.6e}",
        "setup_seconds": f"{marks['t_start'] - t0:.3f}", "n_test": args.n_test,
        "n_collocation": args.n_collocation,
        "n_subdomains": m if method == "fbpinn" else 1,
        "layer_sizes": "-".join(map(str, layer_sizes)), "parameters": params,
        "jax": jax.__version__, "fbpinns_commit": FBPINNS_COMMIT[:7],
    }


def main():
    args = parse_args()
    one_core(args.cpu)
    workdir = os.path.join(HERE, "scratch", "jax-work")   # trainer writes results/ here
    os.makedirs(workdir, exist_ok=True)
    csv_path = os.path.abspath(args.csv)
    os.chdir(workdir)

    methods = ["fbpinn", "pinn"] if args.method == "both" else [args.method]
    rows = []
    for method in methods:
        row = run(method, args)
        rows.append(row)
        print(f"{row['method']:>6}: {row['steps']} steps in {row['wall_seconds']} s "
              f"({row['steps_per_second']} steps/s; set-up incl. compile "
              f"{row['setup_seconds']} s), normalized L1 {row['normalized_l1']}, "
              f"relative L2 {row['relative_l2']} on {row['n_test']} points", flush=True)
    with open(csv_path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    print("wrote", csv_path, "| affinity", sorted(os.sched_getaffinity(0)),
          "| XLA_FLAGS", os.environ["XLA_FLAGS"])


if __name__ == "__main__":
    sys.exit(main())
