// 1 rank = 2 ranks with mixed boundary conditions by id (Dirichlet, Neumann,
// Robin) on the unit square: fem (boundary integrals) and elm (collocation
// rows) give the same relative L2 error on all ranks as alone.

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
               "subsection Problem\n  set Name = poisson-variable\nend\n"
               "subsection Mesh\n  set Subdivisions = 4\n"
               "  set Global refinements = 1\nend\n"
               "subsection Boundary conditions\n"
               "  set Neumann boundary ids = 1, 3\n"
               "  set Robin boundary ids = 2\nend\n" +
               settings;
      });
    const double difference =
      fbpinn_tests::relative_difference(parallel.errors.relative_l2,
                                        serial.errors.relative_l2);
    fbpinn_tests::check(method +
                          ": 2 ranks = 1 rank with Neumann and Robin ids "
                          "(relative L2 to 1e-8)",
                        difference <= 1e-8 && parallel.solver.converged,
                        fbpinn_tests::to_string(difference));
  }
} // namespace


int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  fbpinn_tests::initlog();
  check("fem", "subsection FEM\n  set Polynomial degree = 2\nend\n");
  check("elm",
        "subsection ELM\n  set Features per subdomain = 16\nend\n"
        "subsection Linear solver\n  set Name = qr\nend\n");
}
