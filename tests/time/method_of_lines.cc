// fem on time-dependent problems: the method of lines (Methods::
// MethodOfLines) on the heat equation in 1D. Temporal rates with Q4 on 32
// cells (spatial error far below): implicit Euler 1, Crank–Nicolson and
// BDF2 2; ARKode (adaptive DIRK) whose error follows its tolerance; spatial
// rates of Q2 with Crank–Nicolson at a small step: 3 in L2,
// 2 in H1; Neumann data on a spatial id; time_steps in the metrics; and the
// refusals of residuals that the method of lines here does not treat
// (second order in time, a mass coefficient that depends on u); a run
// resumed from a checkpoint equals the uninterrupted one.

#include <fbpinn/plugins.h>
#include <fbpinn/problems/interface.h>

#include "tests.h"

namespace
{
  std::string
  heat(const std::string &scheme,
       const double       time_step,
       const unsigned int degree,
       const std::string &extra = "")
  {
    return "set Dimension = 1\nset End time = 1\nset Method = fem\n"
           "set Output directory = output-" +
           scheme +
           "\nset Write solution = false\n"
           "subsection Problem\n  set Name = heat\nend\n"
           "subsection Mesh\n  set Subdivisions = 8\n"
           "  set Global refinements = 2\nend\n"
           "subsection FEM\n  set Polynomial degree = " +
           std::to_string(degree) +
           "\nend\n"
           "subsection Time stepping\n  set Scheme = " +
           scheme +
           "\n  set Time step = " + fbpinn_tests::to_string(time_step) +
           "\nend\n" + extra;
  }

  double
  rate(const double coarse, const double fine)
  {
    return std::log2(coarse / fine);
  }
} // namespace


/** u_tt = u_xx in space-time: second order in time. */
template <int dim>
class TestWave : public fbpinn::Problems::PdeProblem<dim, TestWave<dim>>
{
public:
  static void
  declare_parameters(dealii::ParameterHandler &)
  {}

  bool
  is_linear() const override
  {
    return true;
  }

  unsigned int
  time_derivative_order() const override
  {
    return 2;
  }

  template <typename Number>
  Number
  pde_operator(const fbpinn::Jet<dim, Number> &u) const
  {
    return u.hessian[dim - 1][dim - 1] - u.hessian[0][0];
  }

  template <typename Number>
  Number
  solution(const std::array<Number, dim> &x) const
  {
    using std::sin;
    return sin(M_PI * x[0]) * sin(M_PI * x[dim - 1]);
  }
};

/** (1 + u²) u_t = u_xx: a mass coefficient that depends on u. */
template <int dim>
class TestNonlinearMass
  : public fbpinn::Problems::PdeProblem<dim, TestNonlinearMass<dim>>
{
public:
  static void
  declare_parameters(dealii::ParameterHandler &)
  {}

  bool
  is_linear() const override
  {
    return false;
  }

  unsigned int
  time_derivative_order() const override
  {
    return 1;
  }

  template <typename Number>
  Number
  pde_operator(const fbpinn::Jet<dim, Number> &u) const
  {
    return (1. + u.value * u.value) * u.gradient[dim - 1] - u.hessian[0][0];
  }

  template <typename Number>
  Number
  solution(const std::array<Number, dim> &x) const
  {
    using std::sin;
    return sin(M_PI * x[0]) * (1. + x[dim - 1]);
  }
};

FBPINN_REGISTER_TIME_DEPENDENT_PROBLEM(TestWave,
                                       "test-wave",
                                       "u_tt = u_xx (test).")
FBPINN_REGISTER_TIME_DEPENDENT_PROBLEM(TestNonlinearMass,
                                       "test-nonlinear-mass",
                                       "(1 + u²) u_t = u_xx + f (test).")


int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  fbpinn_tests::initlog();
  using fbpinn_tests::check;
  using fbpinn_tests::to_string;

  // Δt = 0.05 → 0.025 (0.025 → 0.0125 for BDF2, whose implicit-Euler first
  // step needs the smaller steps): relative L2 over (0, T) and at T.
  // Achieved: implicit Euler 0.96 (L2), Crank–Nicolson 2.01 (L2),
  // BDF2 1.90 (at T).
  {
    const double coarse =
      fbpinn_tests::run_prm("ie1.prm", heat("implicit-euler", 0.05, 4))
        .back()
        .errors.relative_l2;
    const double fine =
      fbpinn_tests::run_prm("ie2.prm", heat("implicit-euler", 0.025, 4))
        .back()
        .errors.relative_l2;
    check("implicit Euler: L2(0,T; L2) rate in Δt >= 0.9",
          rate(coarse, fine) >= 0.9,
          to_string(rate(coarse, fine)));
  }
  {
    const auto coarse =
      fbpinn_tests::run_prm("cn1.prm", heat("crank-nicolson", 0.05, 4)).back();
    const auto fine =
      fbpinn_tests::run_prm("cn2.prm", heat("crank-nicolson", 0.025, 4)).back();
    check("Crank–Nicolson: L2(0,T; L2) rate in Δt >= 1.9",
          rate(coarse.errors.relative_l2, fine.errors.relative_l2) >= 1.9,
          to_string(rate(coarse.errors.relative_l2, fine.errors.relative_l2)));
    check("Crank–Nicolson: rate in Δt at t = T >= 1.9",
          rate(coarse.final_time_relative_l2, fine.final_time_relative_l2) >=
            1.9,
          to_string(
            rate(coarse.final_time_relative_l2, fine.final_time_relative_l2)));
    check("metrics: time_steps = 40, time-dependent, 1D",
          fine.time_steps == 40 && fine.time_dependent && fine.dimension == 1,
          std::to_string(fine.time_steps));
  }
  {
    const double coarse =
      fbpinn_tests::run_prm("bdf1.prm", heat("bdf2", 0.025, 4))
        .back()
        .final_time_relative_l2;
    const double fine =
      fbpinn_tests::run_prm("bdf2.prm", heat("bdf2", 0.0125, 4))
        .back()
        .final_time_relative_l2;
    check("BDF2: rate in Δt at t = T >= 1.8",
          rate(coarse, fine) >= 1.8,
          to_string(rate(coarse, fine)));
  }
  {
    // ARKode, DIRK of order 4, errors sampled every 0.05: relative
    // tolerance 1e-4 gives L2(0,T; L2) 2.9e-6 in 93 steps, 1e-6 gives
    // 3.4e-8 (4.3e-10 at T) in 521 steps.
    const auto tolerance = [](const std::string &relative,
                              const std::string &absolute) {
      return "subsection FEM\n  set Solver = direct\nend\n"
             "subsection Time stepping\n  set Relative tolerance = " +
             relative + "\n  set Absolute tolerance = " + absolute + "\nend\n";
    };
    const auto loose =
      fbpinn_tests::run_prm("ark1.prm",
                            heat("arkode", 0.05, 4, tolerance("1e-4", "1e-6")))
        .back();
    const auto tight =
      fbpinn_tests::run_prm("ark2.prm",
                            heat("arkode", 0.05, 4, tolerance("1e-6", "1e-8")))
        .back();
    check("arkode, tolerance 1e-4: L2(0,T; L2) <= 1e-5 in at most 150 steps",
          loose.errors.relative_l2 <= 1e-5 && loose.time_steps <= 150 &&
            loose.solver.converged,
          to_string(loose.errors.relative_l2) + " in " +
            std::to_string(loose.time_steps));
    check("arkode, tolerance 1e-6: L2(0,T; L2) <= 1e-7, at T <= 1e-8",
          tight.errors.relative_l2 <= 1e-7 &&
            tight.final_time_relative_l2 <= 1e-8 && tight.solver.converged,
          to_string(tight.errors.relative_l2) + ", " +
            to_string(tight.final_time_relative_l2));
    check("arkode: 100× tighter tolerance, at least 30× smaller error",
          loose.errors.relative_l2 >= 30. * tight.errors.relative_l2,
          to_string(loose.errors.relative_l2 / tight.errors.relative_l2));
  }
  {
    // Q2, Δt = 5e-4, 8 → 16 → 32 cells: L2 1.6e-3, 2.0e-4, 2.5e-5 (rate
    // 3.0), H1 rate 2.0; the same with the flux given at x = 1.
    for (const std::string bc : {"", "  set Neumann boundary ids = 1\n"})
      {
        const auto cycles = fbpinn_tests::run_prm(
          "space.prm",
          heat("crank-nicolson",
               5e-4,
               2,
               "set Number of refinement cycles = 3\n"
               "subsection Mesh\n  set Global refinements = 0\nend\n"
               "subsection Boundary conditions\n" +
                 bc + "end\n"));
        const auto  &c = cycles[1], &f = cycles[2];
        const double l2 = rate(c.errors.l2, f.errors.l2);
        const double h1 = rate(c.errors.h1_seminorm, f.errors.h1_seminorm);
        check(std::string("Q2 in space") +
                (bc.empty() ? "" : ", Neumann at x = 1") +
                ": L2 rate >= 2.9 and H1 rate >= 1.9",
              l2 >= 2.9 && h1 >= 1.9,
              to_string(l2) + ", " + to_string(h1));
      }
  }

  {
    // Checkpoints: BDF2 (which needs uⁿ and uⁿ⁻¹) over 40 steps with a
    // checkpoint every 10; the run resumed from the last one (step 30)
    // equals the uninterrupted run.
    const std::string checkpoints =
      "subsection Time stepping\n  set Checkpoint interval = 10\nend\n";
    const auto full =
      fbpinn_tests::run_prm("full.prm",
                            heat("bdf2",
                                 0.025,
                                 4,
                                 "set Output directory = output-full\n" +
                                   checkpoints))
        .back();
    const auto resumed =
      fbpinn_tests::run_prm(
        "resumed.prm",
        heat("bdf2",
             0.025,
             4,
             "set Output directory = output-resumed\n"
             "subsection Time stepping\n  set Resume from = output-full\n"
             "end\n"))
        .back();
    const auto same = [](const double a, const double b) {
      return std::abs(a - b) <= 1e-12 * std::abs(a);
    };
    check("bdf2 resumed after step 30 of 40 = uninterrupted (errors over "
          "(0, T) and at T to 1e-12, steps)",
          same(full.errors.relative_l2, resumed.errors.relative_l2) &&
            same(full.final_time_relative_l2, resumed.final_time_relative_l2) &&
            resumed.time_steps == 40,
          to_string(full.errors.relative_l2) + " / " +
            to_string(resumed.errors.relative_l2) + ", " +
            to_string(full.final_time_relative_l2) + " / " +
            to_string(resumed.final_time_relative_l2));
    fbpinn_tests::refused(
      "resuming with another time step",
      heat("bdf2",
           0.0125,
           4,
           "set Output directory = output-other\n"
           "subsection Time stepping\n  set Resume from = output-full\n"
           "end\n"),
      "was written for 1D + t, 1 field(s), bdf2 with 40 steps");
    fbpinn_tests::refused("checkpoints with arkode",
                          heat("arkode", 0.05, 4, checkpoints),
                          "SUNDIALS keeps ARKode's step history");
  }

  const std::string other =
    "set Dimension = 1\nset Method = fem\nset Output directory = "
    "output-refused\nsubsection Mesh\n  set Subdivisions = 4\n"
    "  set Global refinements = 0\nend\n"
    "subsection FEM\n  set Solver = direct\nend\n"
    "subsection Time stepping\n  set Time step = 0.1\nend\n";
  fbpinn_tests::refused("second order in time",
                        other +
                          "subsection Problem\n  set Name = test-wave\nend\n",
                        "is of order 2 in time");
  fbpinn_tests::refused(
    "a mass coefficient that depends on u",
    other + "subsection Problem\n  set Name = test-nonlinear-mass\nend\n",
    "coefficient of ∂u/∂t that depends on u");
}
