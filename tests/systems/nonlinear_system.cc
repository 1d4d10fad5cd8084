// A nonlinear system (two fields, registered here as a user would): fem
// solves it by Newton's method on the FESystem weak form at the optimal
// rate with few iterations; elm by Gauss–Newton with K features per field
// per subdomain; both on 2 fields with boundary data from u*.

#include <fbpinn/plugins.h>
#include <fbpinn/problems/system_problem.h>

#include <cmath>

#include "tests.h"

namespace fbpinn_tests
{
  using namespace fbpinn;
  using namespace dealii;

  /** −Δu + u v = f_u, −Δv + u³ = f_v with u = sin(πx) sin(πy) + 1,
   * v = cos(πx/2) cos(πy/2) + x y. */
  template <int dim>
  class CoupledReaction
    : public Problems::SystemProblem<dim, 2, CoupledReaction<dim>>
  {
  public:
    static void
    declare_parameters(ParameterHandler &)
    {}

    bool
    is_linear() const override
    {
      return false;
    }

    std::vector<std::string>
    field_names() const override
    {
      return {"u", "v"};
    }

    template <typename Number>
    std::array<Number, 2>
    pde_operator(const std::array<Jet<dim, Number>, 2> &w) const
    {
      return {-laplacian(w[0]) + w[0].value * w[1].value,
              -laplacian(w[1]) + w[0].value * w[0].value * w[0].value};
    }

    template <typename Number>
    std::array<Number, 2>
    solution(const std::array<Number, dim> &x) const
    {
      using std::cos;
      using std::sin;
      return {sin(M_PI * x[0]) * sin(M_PI * x[1]) + 1.,
              cos(0.5 * M_PI * x[0]) * cos(0.5 * M_PI * x[1]) + x[0] * x[1]};
    }
  };
} // namespace fbpinn_tests

FBPINN_REGISTER_PROBLEM_DIMS(fbpinn_tests::CoupledReaction,
                             "test-coupled-reaction",
                             "A nonlinear system of two fields (test).",
                             2)

namespace
{
  std::string
  prm(const std::string &method,
      const unsigned int cycles,
      const std::string &extra)
  {
    return "set Dimension = 2\nset Method = " + method +
           "\nset Output directory = output-" + method +
           "\nset Number of refinement cycles = " + std::to_string(cycles) +
           "\nset Write solution = false\n"
           "subsection Problem\n  set Name = test-coupled-reaction\nend\n"
           "subsection Mesh\n  set Subdivisions = 4\n"
           "  set Global refinements = 0\nend\n"
           "subsection Nonlinear solver\n  set Tolerance = 1e-10\nend\n" +
           extra;
  }
} // namespace


int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  fbpinn_tests::initlog();

  // fem Q2 (rate 3) with Neumann data on x = 1 as well, 4² to 16² cells,
  // MUMPS for the non-symmetric Jacobian: 4 Newton iterations on the finest
  // mesh.
  {
    const auto runs = fbpinn_tests::run_prm(
      "fem.prm",
      prm("fem",
          3,
          "subsection FEM\n  set Polynomial degree = 2\n"
          "  set Solver = direct\nend\n"
          "subsection Boundary conditions\n  set Neumann boundary ids = 1\n"
          "end\n"));
    for (unsigned int f = 0; f < 2; ++f)
      {
        const double rate = fbpinn_tests::last_field_l2_rate(runs, f);
        fbpinn_tests::check("fem: L2 rate of " +
                              runs.back().field_errors[f].first + " >= 2.9",
                            rate >= 2.9,
                            fbpinn_tests::to_string(rate));
      }
    const auto &nonlinear = runs.back().solver.nonlinear;
    fbpinn_tests::check("fem: Newton converges in at most 6 iterations",
                        runs.back().solver.converged && nonlinear.active &&
                          nonlinear.iterations <= 6,
                        std::to_string(nonlinear.iterations));
  }

  // elm, 4² subdomains, 64 features per field, qr for each step (the
  // filtered solvers' steps stall near 1e-6 of the initial residual, see
  // the README): achieved 6.7e-7 in 4 Gauss–Newton iterations.
  {
    const auto runs = fbpinn_tests::run_prm(
      "elm.prm",
      prm("elm",
          1,
          "subsection ELM\n  set Features per subdomain = 64\n"
          "  set Collocation points per direction = 12\nend\n"
          "subsection Linear solver\n  set Name = qr\nend\n"));
    const auto &last = runs.back();
    fbpinn_tests::check("elm: Gauss–Newton converges, relative L2 <= 1e-5",
                        last.solver.converged && last.solver.nonlinear.active &&
                          last.errors.relative_l2 <= 1e-5,
                        fbpinn_tests::to_string(last.errors.relative_l2));
  }
}
