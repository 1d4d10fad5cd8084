// 1 rank = 2 ranks for the nonlinear solvers: fem (Newton) on
// nonlinear-poisson and elm (Gauss–Newton) on nonlinear-poisson give the same
// error and the same number of iterations on all ranks as alone.

#include <cmath>

#include "tests.h"

namespace
{
  void
  check(const std::string &method, const std::string &settings)
  {
    const auto [parallel, serial] =
      fbpinn_tests::run_parallel_and_serial([&](const std::string &output) {
        return "set Dimension = 2\nset Method = " + method +
               "\nset Output directory = " + output +
               "\nset Write solution = false\n"
               "subsection Problem\n  set Name = nonlinear-poisson\nend\n"
               "subsection Mesh\n  set Subdivisions = 4\n"
               "  set Global refinements = 1\nend\n" +
               settings;
      });
    const double difference =
      fbpinn_tests::relative_difference(parallel.errors.relative_l2,
                                        serial.errors.relative_l2);
    fbpinn_tests::check(method + ": 2 ranks = 1 rank (relative L2 to 1e-6)",
                        difference <= 1e-6,
                        fbpinn_tests::to_string(difference));
    fbpinn_tests::check(method + ": the same iterations, converged",
                        parallel.solver.iterations ==
                            serial.solver.iterations &&
                          parallel.solver.converged && serial.solver.converged,
                        std::to_string(parallel.solver.iterations) + " / " +
                          std::to_string(serial.solver.iterations));
  }
} // namespace


int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  fbpinn_tests::initlog();
  check("fem", "subsection FEM\n  set Solver = direct\nend\n");
  check("elm",
        "subsection ELM\n  set Features per subdomain = 16\n"
        "  set Collocation points per direction = 10\nend\n"
        "subsection Linear solver\n  set Name = qr\nend\n");
}
