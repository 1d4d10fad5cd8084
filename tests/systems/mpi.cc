// 1 rank = 2 ranks for a system: fem on Stokes (Taylor–Hood, one pressure
// DoF fixed), elm (K features per field, filtered-direct), fbpinn and pinn
// (three network outputs, 200 Adam steps) give the same error of every field
// on 2 ranks as alone, on the unit square and on the L-shape; fem and elm
// also with the traction on x = 1 (the pressure determined).

#include "tests.h"

namespace
{
  void
  check(const std::string &geometry,
        const std::string &method,
        const std::string &conditions = "")
  {
    const auto [parallel, serial] =
      fbpinn_tests::run_parallel_and_serial([&](const std::string &output) {
        return "set Dimension = 2\nset Method = " + method +
               "\nset Output directory = " + output +
               "\nset Write solution = false\n"
               "subsection Problem\n  set Name = stokes\nend\n"
               "subsection Geometry\n  set Name = " +
               geometry +
               "\nend\n"
               "subsection Mesh\n  set Subdivisions = 4\n"
               "  set Global refinements = 1\nend\n"
               "subsection FEM\n  set Polynomial degree = 1\n"
               "  set Solver = direct\nend\n"
               "subsection ELM\n  set Features per subdomain = 16\n"
               "  set Collocation points per direction = 8\nend\n"
               "subsection Linear solver\n  set Name = filtered-direct\n"
               "end\n" +
               conditions +
               (method == "fem" || method == "elm" ?
                  std::string() :
                  // 12 cells on the L-shape, 4 on the square; 200 Adam steps.
                  "subsection Mesh\n  set Subdivisions = 2\n"
                  "  set Global refinements = 0\nend\n"
                  "subsection FBPINN\n"
                  "  set Collocation points per direction = 5\nend\n"
                  "subsection Network\n  set Hidden layers = 8\nend\n"
                  "subsection Training\n  set Steps = 200\n"
                  "  set Learning rate = 1e-2\n"
                  "  set Progress interval = 0\nend\n");
      });
    double worst = 0;
    for (unsigned int f = 0; f < serial.field_errors.size(); ++f)
      worst = std::max(worst,
                       fbpinn_tests::relative_difference(
                         parallel.field_errors[f].second.relative_l2,
                         serial.field_errors[f].second.relative_l2));
    // elm's pressure is determined up to a constant that the features
    // nearly contain: the filtered normal equations leave it to round-off,
    // which differs with the partition (1.4e-8 on the L-shape).
    // fbpinn and pinn: the gradient sums differ in order only.
    const double tolerance = method == "elm" ? 1e-6 : 1e-8;
    fbpinn_tests::check(method + ": stokes on " + geometry +
                          (conditions.empty() ? "" : " with the traction") +
                          ": 2 ranks = 1 rank, every field (to " +
                          fbpinn_tests::to_string(tolerance) + ")",
                        serial.field_errors.size() == 3 && worst <= tolerance,
                        fbpinn_tests::to_string(worst));
  }
} // namespace


int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  fbpinn_tests::initlog();
  for (const std::string method : {"fem", "elm", "fbpinn", "pinn"})
    {
      check("hyper-rectangle", method);
      check("l-shape", method);
    }
  for (const std::string method : {"fem", "elm"})
    check("hyper-rectangle",
          method,
          "subsection Boundary conditions\n"
          "  set Neumann boundary ids = 1\nend\n");
}
