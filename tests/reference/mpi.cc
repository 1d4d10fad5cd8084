// 1 rank = 2 ranks with a fem reference solution (deal.II's remote point
// evaluation finds each error point's cell on whichever rank owns it): fem
// and elm on poisson-constant-source give the same relative L2 error
// against the reference on 2 ranks as alone.

#include "tests.h"

namespace
{
  void
  check(const std::string &method)
  {
    const auto [parallel, serial] =
      fbpinn_tests::run_parallel_and_serial([&](const std::string &output) {
        return "set Dimension = 2\nset Method = " + method +
               "\nset Output directory = " + output +
               "\nset Write solution = false\n"
               "subsection Problem\n  set Name = poisson-constant-source\n"
               "end\nsubsection Mesh\n  set Subdivisions = 4\n"
               "  set Global refinements = 1\nend\n"
               "subsection FEM\n  set Polynomial degree = 2\nend\n"
               "subsection ELM\n  set Features per subdomain = 16\nend\n"
               "subsection Reference solution\n  set Type = fem\n"
               "  set Additional refinements = 1\nend\n";
      });
    const double difference =
      fbpinn_tests::relative_difference(parallel.errors.relative_l2,
                                        serial.errors.relative_l2);
    fbpinn_tests::check(method + ": 2 ranks = 1 rank against the fem reference "
                                 "(relative L2 to 1e-8)",
                        difference <= 1e-8 && parallel.solver.converged &&
                          parallel.error_reference == "fem",
                        fbpinn_tests::to_string(difference));
  }
} // namespace


int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  fbpinn_tests::initlog();
  check("fem");
  check("elm");
}
