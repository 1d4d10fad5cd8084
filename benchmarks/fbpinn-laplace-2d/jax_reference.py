#!/usr/bin/env python3
"""The published JAX FBPINNs code (Ben Moseley, github.com/benmoseley/FBPINNs,
package `fbpinns`) on the 2D multi-scale Laplace case of the multilevel-FBPINN
paper, timed on one CPU core.

Case: -(u_xx + u_yy) = f on [0, 1]^2 with the exact solution
u = (1/n) sum_w sin(w pi x) sin(w pi y), w in (2, 4, 8, 16), n = 4, and
f = (2/n) sum_w (w pi)^2 sin(w pi x) sin(w pi y). Hard constraint, as in their
problem class: u = tanh(x/sd) tanh((1-x)/sd) tanh(y/sd) tanh((1-y)/sd) * NN
with sd = 1/16; loss = mean over the collocation points of (u_xx + u_yy + f)^2.

The problem class is not part of the installed package (fbpinns 0.2.0): it is
`Laplace2D_multiscale` in multilevel-paper/problems.py on the branch
multilevel-paper of github.com/benmoseley/FBPINNs (commit 8b3b233), used by
multilevel-paper/main.py ("Multilevel domain decomposition-based architectures
for physics-informed neural networks", Dolean, Heinlein, Mishra, Moseley,
arXiv:2306.05486). MultiscaleLaplace2D below is written anew against the
package's Problem API (init_params, sample_constraints, constraining_fn,
loss_fn, exact_solution) and computes the same loss, ansatz and exact solution.

  fbpinn: FBPINNTrainer, one-level RectangularDecompositionND with 16 x 16
          subdomain centres np.linspace(0, 1, 16) in each direction (the outer
          ones on the boundary), widths get_subdomain_ws(xs, 2.9) = 2.9/15
          (overlap 2.9 as in the elm-rrqr-paper branch's main.py, the
          configuration of the published 16 x 16 result),
          unnorm (0, 0.75), cosine windows (their default), FCN [2, 16, 1]
          (tanh) in every subdomain, AllActiveSchedulerND (the default).
  pinn:   PINNTrainer, one FCN [2, 64, 64, 1] over the whole domain. Their
          main.py passes the PINN a RectangularDecompositionND too, but the
          PINN trainer uses only its `unnorm` (the input is normalised by the
          domain, [0, 1] -> [-1, 1]); here it is one subdomain, centre 0.5 and
          width 1 per direction, unnorm (0, 0.75).
  both:   80 x 80 collocation points, sampler "grid" (np.linspace(0, 1, 80)
          per direction, boundary included, fixed for the whole run), Adam at
          lr 1e-3, seed 0, float32 (JAX's default; the package does not enable
          x64); test grid 350 x 350 (linspace, boundary included).

Timing, as benchmarks/fbpinn-oscillator/jax_reference.py: both trainers
AOT-compile the update step before the loop; this script wraps
Trainer._report, which the loop calls once before the first step (i = 0,
after compilation and the initial test) and after every step (i = 1..N). The
clock starts when the i = 0 report returns and stops at the i = N report after
jax.block_until_ready on the last loss, before the final test. With
--test-freq K < N the trainer also tests every K steps; those test calls are
timed and subtracted, so wall_seconds is the update steps plus the loop's own
bookkeeping in either case (compile, set-up and tests excluded). setup_seconds
is everything in train() before the clock starts (compile included).

Error: their own test step (_Trainer._test) on the --n-test grid against the
exact solution; normalized_l1 = mean|u - u_exact| / std(u_exact) (their l1n,
population std), relative_l2 = ||u - u_exact||_2 / ||u_exact||_2 on the same
grid. --history FILE writes one row per test (step, training seconds so far,
loss, normalized_l1, relative_l2): the JAX counterpart of fbpinn's
training.csv (which measures at the collocation points).

One core: XLA_FLAGS="--xla_cpu_multi_thread_eigen=false
intra_op_parallelism_threads=1" is set before jax is imported and the process
pins itself to CPU --cpu (default 1, like `taskset -c 1`).

Environment: the virtual environment of benchmarks/fbpinn-oscillator
(.venv-jax there, requirements-jax.txt there; see this directory's README).

    ../fbpinn-oscillator/.venv-jax/bin/python jax_reference.py --steps 200
    ../fbpinn-oscillator/.venv-jax/bin/python jax_reference.py --method fbpinn \\
        --steps 15000 --csv out.csv --test-freq 1000 --history hist.csv

Writes (overwrites) jax_results.csv beside this script, or the file given with
--csv; run.py calls it as `--method fbpinn|pinn --steps N --csv FILE --cpu C`.
Outputs of the fbpinns trainer (tensorboard summaries, model pickles) go to
scratch/jax-work/results/.
"""

import argparse
import csv
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))

FIELDS = ["method", "steps", "wall_seconds", "steps_per_second", "normalized_l1",
          "relative_l2", "l1", "final_loss", "setup_seconds", "test_seconds", "n_test",
          "n_collocation", "n_subdomains", "overlap", "layer_sizes", "parameters",
          "seed", "jax", "fbpinns_commit"]
HISTORY_FIELDS = ["step", "wall_time", "loss", "normalized_l1", "relative_l2"]
FBPINNS_COMMIT = "ff309504a6eb58787042ee22a490a942e2877e62"


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--method", choices=["fbpinn", "pinn", "both"], default="both")
    p.add_argument("--steps", type=int, default=15000)
    p.add_argument("--csv", default=os.path.join(HERE, "jax_results.csv"))
    p.add_argument("--history", default="",
                   help="write the test errors of every test step to this CSV "
                        "(with --method both: METHOD is replaced by the method)")
    p.add_argument("--test-freq", type=int, default=0,
                   help="test every this many steps (0: only before and after training)")
    p.add_argument("--n-test", type=int, default=350, help="test points per direction")
    p.add_argument("--n-collocation", type=int, default=80,
                   help="collocation points per direction")
    p.add_argument("--sampler", default="grid", choices=["grid", "uniform", "sobol", "halton"],
                   help="fbpinns sampler of the collocation points (grid = linspace)")
    p.add_argument("--subdomains", type=int, default=16, help="subdomain centres per direction")
    p.add_argument("--levels", type=int, default=1,
                   help="fbpinn: L > 1 is the multilevel FBPINN of their multilevel-paper "
                        "main.py: level 1 one subdomain of width --overlap at the centre, "
                        "level l > 1 2^(l-1) centres per direction on linspace(0, 1) with "
                        "widths --overlap x their spacing (MultilevelRectangularDecompositionND);"
                        " --subdomains is then ignored")
    p.add_argument("--overlap", type=float, default=2.9,
                   help="width / spacing of the centres (get_subdomain_ws)")
    p.add_argument("--omegas", default="2,4,8,16", help="the frequencies w (times pi)")
    p.add_argument("--sd", type=float, default=1 / 16, help="ansatz length scale")
    p.add_argument("--unnorm", default="0,0.75", help="output unnormalisation mu,sd")
    p.add_argument("--fbpinn-layers", default="2,16,1")
    p.add_argument("--pinn-layers", default="2,64,64,1")
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


def numbers(text, kind=int):
    return [kind(x) for x in text.split(",")]


def problem_class():
    """The multi-scale Laplace problem in the fbpinns Problem API (imported
    lazily: jax must be imported after one_core())."""
    import jax.numpy as jnp
    from fbpinns.problems import Problem

    class MultiscaleLaplace2D(Problem):
        """-(u_xx + u_yy) = f on [0, 1]^2, u = (1/n) sum_w sin(w pi x) sin(w pi y),
        u = 0 on the boundary through the ansatz
        u = tanh(x/sd) tanh((1-x)/sd) tanh(y/sd) tanh((1-y)/sd) NN.
        After Laplace2D_multiscale (FBPINNs, branch multilevel-paper,
        multilevel-paper/problems.py), without its optional adaptive weights."""

        @staticmethod
        def init_params(omegas=(2, 4, 8, 16), sd=1 / 16):
            static_params = {"dims": (1, 2), "omegas": tuple(float(w) for w in omegas),
                             "sd": float(sd)}
            return static_params, {}

        @staticmethod
        def sample_constraints(all_params, domain, key, sampler, batch_shapes):
            # One constraint: the PDE residual, which needs u_xx and u_yy.
            x_batch = domain.sample_interior(all_params, key, sampler, batch_shapes[0])
            required_ujs = ((0, (0, 0)), (0, (1, 1)))
            return [[x_batch, required_ujs]]

        @staticmethod
        def _modes(all_params, x_batch):
            # sin(w pi x) sin(w pi y) for every w, shape (len(omegas), n, 1).
            omegas = all_params["static"]["problem"]["omegas"]
            x, y = x_batch[:, 0:1], x_batch[:, 1:2]
            return omegas, jnp.stack([jnp.sin(w * jnp.pi * x) * jnp.sin(w * jnp.pi * y)
                                      for w in omegas])

        @staticmethod
        def constraining_fn(all_params, x_batch, u):
            sd = all_params["static"]["problem"]["sd"]
            x, y = x_batch[:, 0:1], x_batch[:, 1:2]
            d = (jnp.tanh(x / sd) * jnp.tanh((1 - x) / sd)
                 * jnp.tanh(y / sd) * jnp.tanh((1 - y) / sd))
            return d * u

        @staticmethod
        def loss_fn(all_params, constraints):
            x_batch, uxx, uyy = constraints[0]
            omegas, modes = MultiscaleLaplace2D._modes(all_params, x_batch)
            scale = jnp.array([(w * jnp.pi) ** 2 for w in omegas]).reshape(-1, 1, 1)
            f = (2 / len(omegas)) * jnp.sum(scale * modes, axis=0)
            return jnp.mean((uxx + uyy + f) ** 2)

        @staticmethod
        def exact_solution(all_params, x_batch, batch_shape=None):
            omegas, modes = MultiscaleLaplace2D._modes(all_params, x_batch)
            return jnp.sum(modes, axis=0) / len(omegas)

    # The trainer pickles its Constants (problem class included): make the
    # class importable under its name from this module.
    MultiscaleLaplace2D.__qualname__ = "MultiscaleLaplace2D"
    globals()["MultiscaleLaplace2D"] = MultiscaleLaplace2D
    return MultiscaleLaplace2D


def run(method, args):
    import jax
    import numpy as np
    from fbpinns import trainers
    from fbpinns.constants import Constants, get_subdomain_ws
    from fbpinns.decompositions import RectangularDecompositionND
    from fbpinns.domains import RectangularDomainND
    from fbpinns.networks import FCN
    from fbpinns.util.logger import logger

    logger.setLevel("INFO" if args.verbose else "WARNING")

    n_steps = args.steps
    test_freq = args.test_freq if 0 < args.test_freq < n_steps else n_steps
    m = args.subdomains
    unnorm = tuple(numbers(args.unnorm, float))
    if method == "fbpinn":
        layer_sizes = numbers(args.fbpinn_layers)
        subdomain_xs = [np.linspace(0, 1, m), np.linspace(0, 1, m)]
        subdomain_ws = get_subdomain_ws(subdomain_xs, args.overlap)
        decomposition = RectangularDecompositionND
        decomposition_kwargs = dict(subdomain_xs=subdomain_xs, subdomain_ws=subdomain_ws,
                                    unnorm=unnorm)
        if args.levels > 1:
            from fbpinns.decompositions import MultilevelRectangularDecompositionND
            # As main.py of the multilevel-paper branch (weak scaling).
            counts = [2 ** i for i in range(args.levels)]
            subdomain_xss = ([[np.array([0.5]), np.array([0.5])]] +
                             [[np.linspace(0, 1, k), np.linspace(0, 1, k)] for k in counts[1:]])
            subdomain_wss = ([[np.array([args.overlap]), np.array([args.overlap])]] +
                             [get_subdomain_ws(xs, args.overlap) for xs in subdomain_xss[1:]])
            decomposition = MultilevelRectangularDecompositionND
            decomposition_kwargs = dict(subdomain_xss=subdomain_xss,
                                        subdomain_wss=subdomain_wss, unnorm=unnorm)
            m = None
    else:
        layer_sizes = numbers(args.pinn_layers)
        subdomain_xs = [np.array([0.5]), np.array([0.5])]
        subdomain_ws = [np.array([1.]), np.array([1.])]
        decomposition = RectangularDecompositionND
        decomposition_kwargs = dict(subdomain_xs=subdomain_xs, subdomain_ws=subdomain_ws,
                                    unnorm=unnorm)
    n = args.n_collocation
    c = Constants(
        run=f"jax-laplace2d-{method}",
        domain=RectangularDomainND,
        domain_init_kwargs=dict(xmin=np.array([0., 0.]), xmax=np.array([1., 1.])),
        problem=problem_class(),
        problem_init_kwargs=dict(omegas=numbers(args.omegas, float), sd=args.sd),
        decomposition=decomposition,
        decomposition_init_kwargs=decomposition_kwargs,
        network=FCN,
        network_init_kwargs=dict(layer_sizes=layer_sizes),
        ns=((n, n),),
        n_test=(args.n_test, args.n_test),
        sampler=args.sampler,
        n_steps=n_steps,
        optimiser_kwargs=dict(learning_rate=args.lr),
        seed=args.seed,
        summary_freq=args.summary_freq,
        test_freq=test_freq,
        model_save_freq=10**12,         # only the i = 0 save (outside the clock)
        show_figures=False,
        save_figures=False,
        clear_output=False,
    )

    Trainer = trainers.FBPINNTrainer if method == "fbpinn" else trainers.PINNTrainer
    marks = {"test_seconds": 0.}
    captured = {}
    history = []

    original_report = Trainer._report
    original_test = Trainer._test

    def training_seconds(now):
        return now - marks["t_start"] - marks["test_seconds"]

    def report(self, i, *rest):
        lossval = rest[-1]
        intermediate_test = 0 < i < n_steps and i % test_freq == 0
        if i == n_steps and "t_end" not in marks:
            jax.block_until_ready(lossval)      # lossval of the last step
            marks["t_end"] = time.perf_counter()
            captured["loss"] = float(lossval)
        elif intermediate_test:
            jax.block_until_ready(lossval)
            t_in = time.perf_counter()
            captured["t_now"] = training_seconds(t_in)
        if i == n_steps:
            captured["t_now"] = training_seconds(marks["t_end"])
        if lossval is not None:
            captured["lossval"] = lossval
        out = original_report(self, i, *rest)
        if i == 0 and "t_start" not in marks:
            marks["t_start"] = time.perf_counter()
        elif intermediate_test:
            marks["test_seconds"] += time.perf_counter() - t_in
        return out

    def test(self, x_batch_test, u_exact, *rest):
        u_test_losses = original_test(self, x_batch_test, u_exact, *rest)
        step, _, _, _, l1, l1n = u_test_losses[-1]
        captured["x"], captured["u_exact"] = x_batch_test, u_exact
        captured["losses"] = u_test_losses[-1]
        u, ue = np.asarray(captured["u_test"]), np.asarray(u_exact)
        rel_l2 = float(np.linalg.norm(u - ue) / np.linalg.norm(ue))
        captured["relative_l2"] = rel_l2
        loss = float(captured["lossval"]) if step > 0 else float("nan")
        history.append({"step": step, "wall_time": f"{captured.get('t_now', 0.):.4f}",
                        "loss": f"{loss:.6e}", "normalized_l1": f"{l1n:.6e}",
                        "relative_l2": f"{rel_l2:.6e}"})
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
    assert abs(l1n_here - l1n) <= 1e-5 * max(1.0, abs(l1n)), (l1n_here, l1n)
    wall = marks["t_end"] - marks["t_start"] - marks["test_seconds"]
    params = sum(x.size for x in jax.tree_util.tree_leaves(all_params["trainable"]["network"]))
    row = {
        "method": method, "steps": n_steps, "wall_seconds": f"{wall:.4f}",
        "steps_per_second": f"{n_steps / wall:.2f}", "normalized_l1": f"{l1n:.6e}",
        "relative_l2": f"{captured['relative_l2']:.6e}", "l1": f"{l1:.6e}",
        "final_loss": f"{captured['loss']:.6e}",
        "setup_seconds": f"{marks['t_start'] - t0:.3f}",
        "test_seconds": f"{marks['test_seconds']:.3f}",
        "n_test": args.n_test ** 2, "n_collocation": n * n,
        "n_subdomains": (sum(4 ** i for i in range(args.levels)) if method == "fbpinn" and
                         args.levels > 1 else m * m if method == "fbpinn" else 1),
        "overlap": args.overlap if method == "fbpinn" else "",
        "layer_sizes": "-".join(map(str, layer_sizes)), "parameters": params,
        "seed": args.seed, "jax": jax.__version__, "fbpinns_commit": FBPINNS_COMMIT[:7],
    }
    return row, history


def main():
    args = parse_args()
    one_core(args.cpu)
    workdir = os.path.join(HERE, "scratch", "jax-work")   # trainer writes results/ here
    os.makedirs(workdir, exist_ok=True)
    csv_path = os.path.abspath(args.csv)
    history_path = os.path.abspath(args.history) if args.history else ""
    os.chdir(workdir)

    methods = ["fbpinn", "pinn"] if args.method == "both" else [args.method]
    rows = []
    for method in methods:
        row, history = run(method, args)
        rows.append(row)
        print(f"{row['method']:>6}: {row['steps']} steps in {row['wall_seconds']} s "
              f"({row['steps_per_second']} steps/s; set-up incl. compile "
              f"{row['setup_seconds']} s, tests {row['test_seconds']} s), normalized L1 "
              f"{row['normalized_l1']}, relative L2 {row['relative_l2']} on "
              f"{row['n_test']} points, loss {row['final_loss']}", flush=True)
        if history_path:
            path = history_path.replace("METHOD", method)
            with open(path, "w", newline="") as f:
                writer = csv.DictWriter(f, fieldnames=HISTORY_FIELDS)
                writer.writeheader()
                writer.writerows(history)
    with open(csv_path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    print("wrote", csv_path, "| affinity", sorted(os.sched_getaffinity(0)),
          "| XLA_FLAGS", os.environ["XLA_FLAGS"])


if __name__ == "__main__":
    sys.exit(main())
