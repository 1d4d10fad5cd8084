// 1 rank = 2 ranks for a system: fem on Stokes (Taylor–Hood, one pressure
// DoF fixed) gives the same error of every field on 2 ranks as alone, on the
// unit square and on the L-shape.

#include "tests.h"

namespace
{
  void
  check(const std::string &geometry)
  {
    const auto [parallel, serial] =
      fbpinn_tests::run_parallel_and_serial([&](const std::string &output) {
        return "set Dimension = 2\nset Method = fem\nset Output directory = " +
               output +
               "\nset Write solution = false\n"
               "subsection Problem\n  set Name = stokes\nend\n"
               "subsection Geometry\n  set Name = " +
               geometry +
               "\nend\n"
               "subsection Mesh\n  set Subdivisions = 4\n"
               "  set Global refinements = 1\nend\n"
               "subsection FEM\n  set Polynomial degree = 1\n"
               "  set Solver = direct\nend\n";
      });
    double worst = 0;
    for (unsigned int f = 0; f < serial.field_errors.size(); ++f)
      worst = std::max(worst,
                       fbpinn_tests::relative_difference(
                         parallel.field_errors[f].second.relative_l2,
                         serial.field_errors[f].second.relative_l2));
    fbpinn_tests::check("stokes on " + geometry +
                          ": 2 ranks = 1 rank, every field (to 1e-8)",
                        serial.field_errors.size() == 3 && worst <= 1e-8,
                        fbpinn_tests::to_string(worst));
  }
} // namespace


int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  fbpinn_tests::initlog();
  check("hyper-rectangle");
  check("l-shape");
}
