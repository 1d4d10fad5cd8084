#!/usr/bin/env python3
"""The published JAX FBPINNs code (github.com/benmoseley/FBPINNs, package
`fbpinns`, commit ff30950) on its own Burgers example, notebook
"examples/4. Using subdomain scheduling - (1+1)D Burgers' equation.ipynb",
with the notebook's configuration unchanged, on one CPU core:

  BurgersEquation2D (nu = 0.01/pi; hard constraint
  u = tanh((x+1)/sd) tanh((1-x)/sd) tanh(t/sd) NN - sin(pi x), sd = 0.1;
  loss = mean of the squared residual), RectangularDecompositionND with
  centres linspace(-1, 1, 20) x linspace(0, 1, 10), widths
  get_subdomain_ws(xs, 2.9), unnorm (0, 3), FCN (2, 16, 1) per subdomain,
  LineSchedulerRectangularND(point=[0.], iaxis=0) (the active band of
  subdomains moves along t from t = 0 over the run), 200 x 100 collocation
  points (their default sampler), Adam at their default rate 1e-3,
  100 000 steps; test on their 200 x 100 grid against their reference
  (burgers_viscous_time_exact1).

The clock runs from the report before the first step (after the update step
is compiled) to the report after the last one (jax.block_until_ready on the
loss), with the tests in between (--test-freq) timed and subtracted, as
benchmarks/fbpinn-laplace-2d/jax_reference.py does. Errors: their test step's
normalized L1 (mean|u - u*| / std(u*)) and the relative L2 on the same grid.

Environment (see benchmarks/fbpinn-oscillator/requirements-jax.txt):
    python3 -m venv .venv-jax && .venv-jax/bin/pip install -r \
        ../fbpinn-oscillator/requirements-jax.txt FBPINNs-ff30950.tar.gz
    .venv-jax/bin/python jax_fbpinns_example.py [--steps 100000] [--cpu 1]

Writes (overwrites) jax_example.csv beside this script, or --csv FILE.
"""

import argparse
import csv
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--steps", type=int, default=100000)
    p.add_argument("--test-freq", type=int, default=10000)
    p.add_argument("--cpu", type=int, default=1, help="CPU to pin to (-1: do not pin)")
    p.add_argument("--csv", default=os.path.join(HERE, "jax_example.csv"))
    p.add_argument("--history", default="", help="CSV of the errors at every test")
    args = p.parse_args()

    # One core, set before jax is imported.
    os.environ["XLA_FLAGS"] = ("--xla_cpu_multi_thread_eigen=false "
                               "intra_op_parallelism_threads=1")
    os.environ.setdefault("JAX_PLATFORMS", "cpu")
    if args.cpu >= 0:
        os.sched_setaffinity(0, {args.cpu})

    import jax
    import numpy as np
    from fbpinns import trainers
    from fbpinns.constants import Constants, get_subdomain_ws
    from fbpinns.decompositions import RectangularDecompositionND
    from fbpinns.domains import RectangularDomainND
    from fbpinns.networks import FCN
    from fbpinns.problems import BurgersEquation2D
    from fbpinns.schedulers import LineSchedulerRectangularND
    from fbpinns.util.logger import logger

    logger.setLevel("WARNING")
    workdir = os.path.join(HERE, "scratch", "jax-work")
    os.makedirs(workdir, exist_ok=True)
    csv_path = os.path.abspath(args.csv)
    history_path = os.path.abspath(args.history) if args.history else ""
    os.chdir(workdir)

    n_steps = args.steps
    test_freq = args.test_freq if 0 < args.test_freq < n_steps else n_steps
    subdomain_xs = [np.linspace(-1, 1, 20), np.linspace(0, 1, 10)]
    c = Constants(
        run="jax-burgers-example",
        domain=RectangularDomainND,
        domain_init_kwargs=dict(xmin=np.array([-1, 0.]), xmax=np.array([1., 1.])),
        problem=BurgersEquation2D,
        problem_init_kwargs=dict(),
        decomposition=RectangularDecompositionND,
        decomposition_init_kwargs=dict(subdomain_xs=subdomain_xs,
                                       subdomain_ws=get_subdomain_ws(subdomain_xs, 2.9),
                                       unnorm=(0., 3.)),
        network=FCN,
        network_init_kwargs=dict(layer_sizes=(2, 16, 1)),
        scheduler=LineSchedulerRectangularND,
        scheduler_kwargs=dict(point=[0.], iaxis=0),
        ns=((200, 100),),
        n_test=(200, 100),
        n_steps=n_steps,
        test_freq=test_freq,
        model_save_freq=10**12,
        show_figures=False,
        save_figures=False,
        clear_output=False,
    )

    Trainer = trainers.FBPINNTrainer
    marks = {"test_seconds": 0.}
    captured = {}
    history = []
    original_report, original_test = Trainer._report, Trainer._test
    original_model = trainers.FBPINN_model_jit

    def report(self, i, *rest):
        lossval = rest[-1]
        intermediate = 0 < i < n_steps and i % test_freq == 0
        if i == n_steps and "t_end" not in marks:
            jax.block_until_ready(lossval)
            marks["t_end"] = time.perf_counter()
            captured["loss"] = float(lossval)
        elif intermediate:
            jax.block_until_ready(lossval)
            t_in = time.perf_counter()
        now = marks.get("t_end", time.perf_counter())
        captured["t_now"] = now - marks.get("t_start", now) - marks["test_seconds"]
        out = original_report(self, i, *rest)
        if i == 0 and "t_start" not in marks:
            marks["t_start"] = time.perf_counter()
        elif intermediate:
            marks["test_seconds"] += time.perf_counter() - t_in
        return out

    def test(self, x_batch_test, u_exact, *rest):
        losses = original_test(self, x_batch_test, u_exact, *rest)
        step, _, _, _, l1, l1n = losses[-1]
        u, ue = np.asarray(captured["u_test"]), np.asarray(u_exact)
        captured["l1n"] = float(l1n)
        captured["relative_l2"] = float(np.linalg.norm(u - ue) / np.linalg.norm(ue))
        captured["step"] = step
        history.append({"step": step, "wall_time": f"{captured.get('t_now', 0.):.3f}",
                        "normalized_l1": f"{l1n:.6e}",
                        "relative_l2": f"{captured['relative_l2']:.6e}"})
        print(f"step {step}: normalized L1 {l1n:.3e}, relative L2 "
              f"{captured['relative_l2']:.3e}, {captured.get('t_now', 0.):.1f} s",
              flush=True)
        return losses

    def model(*a, **k):
        out = original_model(*a, **k)
        captured["u_test"] = out[0]
        return out

    Trainer._report, Trainer._test = report, test
    trainers.FBPINN_model_jit = model
    original_plot = trainers.plot_trainer.plot
    trainers.plot_trainer.plot = lambda *a, **k: None
    try:
        t0 = time.perf_counter()
        Trainer(c).train()
    finally:
        Trainer._report, Trainer._test = original_report, original_test
        trainers.FBPINN_model_jit = original_model
        trainers.plot_trainer.plot = original_plot

    assert captured["step"] == n_steps, captured["step"]
    wall = marks["t_end"] - marks["t_start"] - marks["test_seconds"]
    row = {"code": "FBPINNs (JAX) ff30950", "steps": n_steps,
           "wall_seconds": f"{wall:.2f}", "steps_per_second": f"{n_steps / wall:.1f}",
           "normalized_l1": f"{captured['l1n']:.6e}",
           "relative_l2": f"{captured['relative_l2']:.6e}",
           "final_loss": f"{captured['loss']:.6e}",
           "setup_seconds": f"{marks['t_start'] - t0:.2f}",
           "jax": jax.__version__}
    with open(csv_path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(row))
        writer.writeheader()
        writer.writerow(row)
    if history_path:
        with open(history_path, "w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(history[0]))
            writer.writeheader()
            writer.writerows(history)
    print(row, flush=True)


if __name__ == "__main__":
    sys.exit(main())
