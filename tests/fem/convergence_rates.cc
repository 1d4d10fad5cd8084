// FEM convergence: observed L2 rates in the mesh size h between the last two
// cycles of a refinement sweep must be within 0.15 of the theoretical p + 1
// (Q1 and Q2 in 2D, Q1 in 3D, Q2 in 1D on the shared triangulation), and the
// indefinite Helmholtz problem solved with the direct solver must converge at
// the same rate.

#include <cmath>

#include "tests.h"

namespace
{
  std::string
  sweep_prm(const unsigned int dim,
            const std::string &problem,
            const unsigned int degree,
            const std::string &solver,
            const unsigned int refinements,
            const unsigned int cycles)
  {
    std::ostringstream s;
    s << "set Dimension = " << dim << "\n"
      << "set Method = fem\n"
      << "set Output directory = output-" << problem << "-" << dim << "d-q"
      << degree << "\n"
      << "set Number of refinement cycles = " << cycles << "\n"
      << "set Write solution = false\n"
      << "subsection Problem\n  set Name = " << problem << "\nend\n"
      << "subsection Mesh\n  set Global refinements = " << refinements
      << "\nend\n"
      << "subsection FEM\n  set Polynomial degree = " << degree
      << "\n  set Solver = " << solver << "\nend\n";
    return s.str();
  }

  void
  check_rate(const unsigned int dim,
             const std::string &problem,
             const unsigned int degree,
             const std::string &solver,
             const unsigned int refinements,
             const unsigned int cycles)
  {
    const auto results = fbpinn_tests::run_prm(
      "sweep.prm",
      sweep_prm(dim, problem, degree, solver, refinements, cycles));
    const double       rate   = fbpinn_tests::last_l2_rate(results);
    const double       theory = degree + 1;
    std::ostringstream what;
    what << problem << " " << dim << "D Q" << degree << " (" << solver
         << "): L2 rate within 0.15 of " << theory;
    fbpinn_tests::check(what.str(),
                        std::abs(rate - theory) <= 0.15,
                        "rate " + fbpinn_tests::to_string(rate));
    bool all_converged = true;
    for (const auto &cycle : results)
      all_converged = all_converged && cycle.solver.converged;
    fbpinn_tests::check("  every solve converged", all_converged, "");
  }
} // namespace


int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  fbpinn_tests::initlog();

  check_rate(2, "poisson", 1, "cg-amg", 3, 4);
  check_rate(2, "poisson", 2, "cg-amg", 2, 4);
  check_rate(3, "poisson", 1, "cg-amg", 1, 4);
  check_rate(1, "poisson", 2, "cg-amg", 2, 4);
  check_rate(2, "multiscale-laplace", 2, "cg-amg", 5, 3);
  check_rate(2, "helmholtz", 2, "direct", 3, 3);
}
