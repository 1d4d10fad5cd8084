// 1 rank = 2 ranks: each case is solved on MPI_COMM_WORLD (2 ranks) and, on
// every rank, alone on MPI_COMM_SELF; the relative L2 errors must agree to
// within 1e-8 of their value. Covers the p4est mesh with cg-amg (2D, 3D), the
// direct solver on an indefinite problem, and the 1D shared triangulation.

#include <cmath>

#include "tests.h"

namespace
{
  std::string
  case_prm(const unsigned int dim,
           const std::string &problem,
           const unsigned int degree,
           const std::string &solver,
           const unsigned int refinements,
           const std::string &output)
  {
    std::ostringstream s;
    s << "set Dimension = " << dim << "\n"
      << "set Output directory = " << output << "\n"
      << "subsection Problem\n  set Name = " << problem << "\nend\n"
      << "subsection Mesh\n  set Global refinements = " << refinements
      << "\nend\n"
      << "subsection FEM\n  set Polynomial degree = " << degree
      << "\n  set Solver = " << solver
      << "\n  set Solver tolerance = 1e-14\nend\n";
    return s.str();
  }

  void
  compare(const unsigned int dim,
          const std::string &problem,
          const unsigned int degree,
          const std::string &solver,
          const unsigned int refinements)
  {
    const auto [parallel, serial] =
      fbpinn_tests::run_parallel_and_serial([&](const std::string &output) {
        return case_prm(dim, problem, degree, solver, refinements, output);
      });

    const double       e2 = parallel.errors.relative_l2;
    const double       e1 = serial.errors.relative_l2;
    std::ostringstream what;
    what << problem << " " << dim << "D Q" << degree << " (" << solver
         << ") on " << parallel.mpi_ranks
         << " ranks: relative L2 equals the 1-rank value to 1e-8";
    fbpinn_tests::check(what.str(),
                        std::abs(e2 - e1) <= 1e-8 * e1 &&
                          parallel.n_dofs == serial.n_dofs,
                        "1 rank " + fbpinn_tests::to_string(e1) + ", 2 ranks " +
                          fbpinn_tests::to_string(e2));
  }
} // namespace


int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  fbpinn_tests::initlog();

  compare(2, "multiscale-laplace", 2, "cg-amg", 5);
  compare(3, "poisson", 1, "cg-amg", 3);
  compare(2, "helmholtz", 2, "direct", 4);
  compare(1, "poisson", 3, "cg-amg", 5);
}
