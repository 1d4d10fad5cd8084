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
    const unsigned int rank =
      dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD);
    const auto parallel = fbpinn_tests::run_prm(
      "parallel.prm",
      case_prm(dim, problem, degree, solver, refinements, "output-parallel"));
    const std::string serial_name = "serial-" + std::to_string(rank) + ".prm";
    const auto        serial =
      fbpinn_tests::run_prm(serial_name,
                            case_prm(dim,
                                     problem,
                                     degree,
                                     solver,
                                     refinements,
                                     "output-serial-" + std::to_string(rank)),
                            MPI_COMM_SELF);

    const double       e2 = parallel.back().errors.relative_l2;
    const double       e1 = serial.back().errors.relative_l2;
    std::ostringstream what;
    what << problem << " " << dim << "D Q" << degree << " (" << solver
         << ") on " << parallel.back().mpi_ranks
         << " ranks: relative L2 equals the 1-rank value to 1e-8";
    fbpinn_tests::check(what.str(),
                        std::abs(e2 - e1) <= 1e-8 * e1 &&
                          parallel.back().n_dofs == serial.back().n_dofs,
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
