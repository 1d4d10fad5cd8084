// A problem second order in time in space-time: the wave equation
// u_tt = u_xx on [0, 1] × [0, 1] with u = sin(πx)(cos(πt) + sin(πt)), so that
// the second initial condition u_t(x, 0) = π sin(πx) is not zero. The face
// t = 0 carries two conditions (u and u_t: Problems::Interface::
// n_boundary_conditions() and initial_time_derivative()); without the second
// the problem would have no unique solution. elm and fbpinn solve it; time
// slabs tie u and u_t at a slab's start; a hard-constraint ansatz (which
// ties only u) is refused with one line.

#include <fbpinn/plugins.h>
#include <fbpinn/problems/interface.h>

#include "tests.h"

template <int dim>
class TestStandingWave
  : public fbpinn::Problems::PdeProblem<dim, TestStandingWave<dim>>
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

  /** u = sin(πx) + t v: ties u(x, 0) only (the refusal below). */
  bool
  has_hard_constraint() const override
  {
    return true;
  }

  void
  hard_constraint(const dealii::Point<dim> &x,
                  fbpinn::Jet<dim>         &g,
                  fbpinn::Jet<dim>         &d) const override
  {
    g                   = fbpinn::Jet<dim>();
    g.value             = std::sin(M_PI * x[0]);
    g.gradient[0]       = M_PI * std::cos(M_PI * x[0]);
    g.hessian[0][0]     = -M_PI * M_PI * std::sin(M_PI * x[0]);
    d                   = fbpinn::Jet<dim>();
    d.value             = x[dim - 1];
    d.gradient[dim - 1] = 1.;
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
    using std::cos;
    using std::sin;
    return sin(M_PI * x[0]) * (cos(M_PI * x[dim - 1]) + sin(M_PI * x[dim - 1]));
  }
};

FBPINN_REGISTER_TIME_DEPENDENT_PROBLEM(
  TestStandingWave,
  "test-standing-wave",
  "u_tt = u_xx, u = sin(πx)(cos(πt) + sin(πt)) (test).")

namespace
{
  std::string
  wave(const std::string &method, const std::string &extra)
  {
    return "set Dimension = 1\nset End time = 1\nset Method = " + method +
           "\nset Output directory = output-" + method +
           "\nset Write solution = false\n"
           "subsection Problem\n  set Name = test-standing-wave\nend\n" +
           extra;
  }
} // namespace

int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  fbpinn_tests::initlog();
  using fbpinn_tests::check;
  using fbpinn_tests::to_string;

  const auto problem =
    fbpinn::Plugins::Registry<fbpinn::Problems::Interface>::instance()
      .create<2>("test-standing-wave");
  {
    // The conditions of a run on the space-time box (ids 0, 1 in x).
    fbpinn::Problems::BoundaryConditions bc;
    bc.set_time_faces(2, 3);
    bc.check_boundary_ids({0, 1, 2, 3});
    problem->set_boundary_conditions(bc, {false});
  }
  {
    const dealii::Point<2> x(0.3, 0.);
    const auto     id = fbpinn::Problems::Interface<2>::initial_boundary_id;
    fbpinn::Jet<2> u;
    u.value       = 0.;
    u.gradient[1] = 2.;
    const auto second =
      problem->linearize_boundary_condition(1,
                                            id,
                                            x,
                                            dealii::Tensor<1, 2>(),
                                            u);
    check("t = 0 carries u and u_t; condition 1 is u_t − π sin(πx)",
          problem->n_boundary_conditions(id, x) == 2 &&
            problem->n_boundary_conditions(0, x) == 1 &&
            std::abs(second.residual - (2. - M_PI * std::sin(M_PI * 0.3))) <=
              1e-12 &&
            second.d_gradient[1] == 1. && second.d_value == 0.,
          std::to_string(problem->n_boundary_conditions(id, x)));
  }
  {
    const auto m =
      fbpinn_tests::run_prm(
        "fbpinn.prm",
        wave("fbpinn",
             "subsection Mesh\n  set Subdivisions = 4\n"
             "  set Time subdivisions = 4\n  set Global refinements = 0\nend\n"
             "subsection FBPINN\n  set Collocation points per direction = 8\n"
             "end\nsubsection Network\n  set Hidden layers = 16\nend\n"
             "subsection Training\n  set Steps = 2000\n"
             "  set Learning rate = 1e-2\n  set Progress interval = 0\nend\n"))
        .back();
    // 4 × 4 subdomains of 16 tanh units, 2000 Adam steps: 9.4e-3.
    check("fbpinn wave: relative L2 over space-time <= 2e-2",
          m.errors.relative_l2 <= 2e-2,
          to_string(m.errors.relative_l2));
  }
  {
    // elm, 8 × 8 (x, t) subdomains, K = 32: 1.5e-6 (2.5e-6 at t = T). Time
    // slabs tie u and u_t at a slab's start: 4 slabs of 8 × 2 cells reach
    // 3.8e-6 (without the u_t rows the slabs would have no unique solution;
    // the wave carries each slab's error on undamped, so it grows more than
    // heat's, which 4 slabs keep within 2×).
    const auto one =
      fbpinn_tests::run_prm(
        "elm-one.prm",
        wave("elm",
             "subsection Mesh\n  set Subdivisions = 8\n"
             "  set Time subdivisions = 8\n  set Global refinements = 0\nend\n"
             "subsection ELM\n  set Features per subdomain = 32\n"
             "  set Collocation points per direction = 8\nend\n"))
        .back();
    const auto four =
      fbpinn_tests::run_prm(
        "elm-four.prm",
        wave("elm",
             "subsection Mesh\n  set Subdivisions = 8\n"
             "  set Time subdivisions = 8\n  set Global refinements = 0\nend\n"
             "subsection ELM\n  set Features per subdomain = 32\n"
             "  set Collocation points per direction = 8\n"
             "  set Time slabs = 4\nend\n"))
        .back();
    check("elm wave: relative L2 over space-time <= 1e-5, at t = T <= 1e-5",
          one.errors.relative_l2 <= 1e-5 && one.final_time_relative_l2 <= 1e-5,
          to_string(one.errors.relative_l2) + ", " +
            to_string(one.final_time_relative_l2));
    check("elm wave, 4 time slabs: relative L2 within 3× of one slab",
          four.errors.relative_l2 <= 3. * one.errors.relative_l2 &&
            four.solver.converged,
          to_string(four.errors.relative_l2) + " against " +
            to_string(one.errors.relative_l2));
    // fbpinn, 4 slabs of 2000 steps on the 4 × 4 cells above: 1.1e-2.
    const auto slabs =
      fbpinn_tests::run_prm(
        "fbpinn-slabs.prm",
        wave("fbpinn",
             "subsection Mesh\n  set Subdivisions = 4\n"
             "  set Time subdivisions = 4\n  set Global refinements = 0\nend\n"
             "subsection FBPINN\n  set Collocation points per direction = 8\n"
             "  set Time slabs = 4\n"
             "end\nsubsection Network\n  set Hidden layers = 16\nend\n"
             "subsection Training\n  set Steps = 2000\n"
             "  set Learning rate = 1e-2\n  set Progress interval = 0\nend\n"))
        .back();
    check("fbpinn wave, 4 time slabs: relative L2 <= 2e-2",
          slabs.errors.relative_l2 <= 2e-2,
          to_string(slabs.errors.relative_l2));
  }
  fbpinn_tests::refused(
    "hard constraints on a problem second order in time",
    wave("elm", "subsection ELM\n  set Hard constraints = true\nend\n"),
    "the ansatz imposes u(x, 0) but not u_t(x, 0)");
}
