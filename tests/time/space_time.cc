// Time-dependent problems in space-time: the heat equation u_t = κΔu + f in
// 1D, on the (x, t) mesh [0,1] × [0,1] with the initial data as rows (loss
// terms) on t = 0 and nothing on t = 1, by elm, fbpinn and pinn; the
// space-time error and the error at t = T (errors.final_time); Neumann data on
// a spatial id; the h-rate of elm in space-time; elm with 4 time slabs
// (block time marching) against one, and fbpinn with 4 (a training phase
// per slab); refusals of bad input.

#include "tests.h"

namespace
{
  std::string
  heat(const std::string &method, const std::string &extra)
  {
    return "set Dimension = 1\nset End time = 1\nset Method = " + method +
           "\nset Output directory = output-" + method +
           "\nset Write solution = false\n"
           "subsection Problem\n  set Name = heat\n"
           "  subsection heat\n    set Diffusivity = 0.1\n  end\nend\n"
           "subsection Mesh\n  set Subdivisions = 8\n"
           "  set Time subdivisions = 8\n  set Global refinements = 0\nend\n"
           "subsection ELM\n  set Features per subdomain = 32\n"
           "  set Collocation points per direction = 8\nend\n" +
           extra;
  }

  void
  bounded(const std::string &what, const double value, const double bound)
  {
    fbpinn_tests::check(what + " <= " + fbpinn_tests::to_string(bound),
                        value <= bound,
                        fbpinn_tests::to_string(value));
  }
} // namespace


int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  fbpinn_tests::initlog();
  using fbpinn_tests::check;

  {
    // 8 × 8 space-time subdomains, K = 32: 4.6e-6 (5.0e-6 at t = T).
    const auto m = fbpinn_tests::run_prm("elm.prm", heat("elm", "")).back();
    check("elm heat: metrics say 1D, time-dependent, T = 1",
          m.dimension == 1 && m.time_dependent && m.end_time == 1.,
          std::to_string(m.dimension));
    bounded("elm heat: relative L2 over space-time",
            m.errors.relative_l2,
            1e-5);
    bounded("elm heat: relative L2 at t = T", m.final_time_relative_l2, 1e-5);
  }
  {
    // Block time marching: 4 slabs of 8 × 2 cells, one after another, reach
    // the accuracy of the single space-time solve (3.6e-6 against 4.6e-6)
    // with a ninth of the factorisation's flops (MUMPS: 1.8e7 against
    // 1.5e8 for 4 solves of a quarter of the size).
    const auto one =
      fbpinn_tests::run_prm("one-slab.prm", heat("elm", "")).back();
    const auto four =
      fbpinn_tests::run_prm("four-slabs.prm",
                            heat("elm",
                                 "subsection ELM\n  set Time slabs = 4\nend\n"))
        .back();
    bounded("elm heat, 4 time slabs: relative L2 / that of 1 slab",
            four.errors.relative_l2 / one.errors.relative_l2,
            2.);
    bounded("elm heat, 4 time slabs: relative L2 at t = T / that of 1 slab",
            four.final_time_relative_l2 / one.final_time_relative_l2,
            2.);
    bounded("elm heat, 4 time slabs: flops / those of 1 slab",
            four.solver.flops / one.solver.flops,
            0.25);
    check("elm heat, 4 time slabs: 4 solves, all converged",
          four.solver.iterations == 4 && four.solver.converged,
          std::to_string(four.solver.iterations));
  }
  {
    // Slab by slab with a checkpoint after slab 2 of 4; a run resumed from it
    // solves slabs 3 and 4 and ends with the uninterrupted run's result.
    const std::string slabs = "subsection ELM\n  set Time slabs = 4\nend\n";
    const auto        whole =
      fbpinn_tests::run_prm("checkpointed.prm",
                            heat("elm",
                                 slabs +
                                   "set Output directory = ck-whole\n"
                                   "subsection ELM\n"
                                   "  set Checkpoint interval = 2\nend\n"))
        .back();
    const auto resumed =
      fbpinn_tests::run_prm("resumed.prm",
                            heat("elm",
                                 slabs + "set Output directory = ck-resumed\n"
                                         "subsection ELM\n"
                                         "  set Resume from = ck-whole\nend\n"))
        .back();
    check("elm heat, time slabs: resumed after slab 2 = uninterrupted (to "
          "1e-12), 2 slabs solved",
          fbpinn_tests::relative_difference(resumed.errors.relative_l2,
                                            whole.errors.relative_l2) <=
              1e-12 &&
            fbpinn_tests::relative_difference(resumed.final_time_relative_l2,
                                              whole.final_time_relative_l2) <=
              1e-12 &&
            resumed.solver.iterations == 2,
          fbpinn_tests::to_string(resumed.errors.relative_l2) + " against " +
            fbpinn_tests::to_string(whole.errors.relative_l2));
    fbpinn_tests::refused(
      "resuming time slabs with another K",
      heat("elm",
           slabs + "subsection ELM\n  set Resume from = ck-whole\n"
                   "  set Features per subdomain = 16\nend\n"),
      "was written for 2D, K = 32");
  }
  {
    // The flux κ ∂u/∂n given at x = 1: 5.5e-6.
    const auto m =
      fbpinn_tests::run_prm("neumann.prm",
                            heat("elm",
                                 "subsection Boundary conditions\n"
                                 "  set Neumann boundary ids = 1\nend\n"))
        .back();
    bounded("elm heat, Neumann at x = 1: relative L2",
            m.errors.relative_l2,
            2e-5);
  }
  {
    // h-refinement of the space-time mesh at K = 16: L2 2.6e-3, 1.7e-4,
    // rate 3.9 on the last step.
    const auto cycles = fbpinn_tests::run_prm(
      "rate.prm",
      heat("elm",
           "set Number of refinement cycles = 3\n"
           "subsection Mesh\n  set Subdivisions = 2\n"
           "  set Time subdivisions = 2\nend\n"
           "subsection ELM\n  set Features per subdomain = 16\n"
           "  set Collocation points per direction = 6\nend\n"));
    const double rate = fbpinn_tests::last_l2_rate(cycles);
    check("elm heat: space-time L2 rate in h >= 3.5",
          rate >= 3.5,
          fbpinn_tests::to_string(rate));
  }
  {
    // 4 × 4 subdomains of 16 tanh units, 2000 Adam steps: 4.3e-3.
    const std::string networks =
      "subsection Mesh\n  set Subdivisions = 4\n"
      "  set Time subdivisions = 4\nend\n"
      "subsection FBPINN\n  set Collocation points per direction = 8\nend\n"
      "subsection Training\n  set Steps = 2000\n  set Learning rate = 1e-2\n"
      "  set Progress interval = 0\nend\n";
    const auto f =
      fbpinn_tests::run_prm(
        "fbpinn.prm",
        heat("fbpinn",
             networks + "subsection Network\n  set Hidden layers = 16\n"
                        "end\n"))
        .back();
    bounded("fbpinn heat: relative L2 over space-time",
            f.errors.relative_l2,
            1e-2);
    // The same with 4 time slabs of one cell along t, trained one after
    // another (2000 steps each on a quarter of the points): 4.2e-3.
    const auto slabs =
      fbpinn_tests::run_prm(
        "fbpinn-slabs.prm",
        heat("fbpinn",
             networks + "subsection Network\n  set Hidden layers = 16\n"
                        "end\nsubsection FBPINN\n  set Time slabs = 4\nend\n"))
        .back();
    bounded("fbpinn heat, 4 time slabs: relative L2 / that of 1 slab",
            slabs.errors.relative_l2 / f.errors.relative_l2,
            2.);
    check("fbpinn heat, 4 time slabs: 4 phases of 2000 Adam steps",
          slabs.solver.iterations == 8000 && slabs.solver.converged,
          std::to_string(slabs.solver.iterations));
    // One network 2 × 32 on the same points: 1.0e-2.
    const auto p =
      fbpinn_tests::run_prm(
        "pinn.prm",
        heat("pinn",
             networks + "subsection Network\n  set Hidden layers = 32, 32\n"
                        "end\n"))
        .back();
    bounded("pinn heat: relative L2 over space-time",
            p.errors.relative_l2,
            2.5e-2);
  }

  fbpinn_tests::refused(
    "the face t = 0 named as a spatial boundary",
    heat("elm",
         "subsection Boundary conditions\n  set Neumann boundary ids = 2\n"
         "end\n"),
    "boundary id 2, which is the face t = 0");
  fbpinn_tests::refused("a spatial dimension of 3",
                        heat("elm", "set Dimension = 3\n"),
                        "needs a spatial dimension of 1 or 2");
  fbpinn_tests::refused("3 time slabs on 8 cells along t",
                        heat("elm",
                             "subsection ELM\n  set Time slabs = 3\nend\n"),
                        "a cell straddles a slab boundary");
  fbpinn_tests::refused(
    "time slabs for a steady problem",
    "set Dimension = 1\nset Method = elm\nset Output directory = steady\n"
    "subsection Problem\n  set Name = multiscale-laplace\nend\n"
    "subsection ELM\n  set Time slabs = 2\nend\n",
    "the problem is not time-dependent");
  fbpinn_tests::refused("time slabs for the pinn",
                        heat("pinn",
                             "subsection FBPINN\n  set Time slabs = 2\nend\n"),
                        "the pinn has one network on the whole domain");
  fbpinn_tests::refused("fbpinn time slabs with resampling",
                        heat("fbpinn",
                             "subsection FBPINN\n  set Time slabs = 2\n"
                             "  set Resampling = rad\nend\n"),
                        "resampling with time slabs is not implemented");
  fbpinn_tests::refused("a point of 'Point values' with 1 coordinate",
                        heat("elm", "set Point values = 0.5\n"),
                        "the point '0.5' has 1 coordinates");
  fbpinn_tests::refused("a point outside the mesh",
                        heat("elm", "set Point values = 0.5, 2\n"),
                        "lies outside the mesh");
  fbpinn_tests::refused(
    "fem: a point value at a time it does not keep",
    heat("fem",
         "set Point values = 0.5, 0.55\n"
         "subsection Time stepping\n  set Time step = 0.05\nend\n"),
    "is not a time that fem's method of lines keeps");
  fbpinn_tests::refused("End time = 0",
                        heat("elm", "set End time = 0\n"),
                        "'End time' must be positive");
}
