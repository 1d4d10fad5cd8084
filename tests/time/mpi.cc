// 1 rank = 2 ranks for a time-dependent problem: fem (the method of lines,
// Crank–Nicolson) and, in space-time, elm, fbpinn and pinn on the heat
// equation in 1D (the spatial or the (x, t) mesh split between the ranks)
// give the same error over (0, T), the same error at t = T and the same u_h
// and ∂u_h/∂x at a point at t = T (`Point values`); so does elm
// and fbpinn with 4 time slabs (block time marching, a training phase per
// slab), fbpinn and pinn with causal weights (the chunk losses summed over
// the ranks), and fem with ARKode.

#include "tests.h"

namespace
{
  void
  check(const std::string &method,
        const std::string &extra = "",
        const std::string &label = "")
  {
    const auto [parallel, serial] =
      fbpinn_tests::run_parallel_and_serial([&](const std::string &output) {
        return "set Dimension = 1\nset Method = " + method +
               "\nset Output directory = " + output +
               "\nset Write solution = false\n"
               "subsection Problem\n  set Name = heat\nend\n"
               "subsection Boundary conditions\n"
               "  set Neumann boundary ids = 1\nend\n"
               "subsection Mesh\n  set Subdivisions = 4\n"
               "  set Time subdivisions = 4\n  set Global refinements = 0\n"
               "end\n"
               "subsection FEM\n  set Polynomial degree = 2\nend\n"
               "subsection Time stepping\n  set Time step = 0.01\nend\n"
               "subsection ELM\n  set Features per subdomain = 16\n"
               "  set Collocation points per direction = 6\nend\n"
               "subsection FBPINN\n"
               "  set Collocation points per direction = 5\nend\n"
               "subsection Network\n  set Hidden layers = 8\nend\n"
               "subsection Training\n  set Steps = 200\n"
               "  set Learning rate = 1e-2\n"
               "  set Progress interval = 0\nend\n"
               "set Point values = 0.3, 1; 0.5, 1\n" +
               extra;
      });
    double worst = std::max(
      fbpinn_tests::relative_difference(parallel.errors.relative_l2,
                                        serial.errors.relative_l2),
      fbpinn_tests::relative_difference(parallel.final_time_relative_l2,
                                        serial.final_time_relative_l2));
    // u_h and ∂u_h/∂x at (0.3, T) and at the vertex (0.5, T), where the
    // cells that share it may give different gradients (`Point values`
    // takes the same cell on any number of ranks).
    if (parallel.point_values.size() != 2 || serial.point_values.size() != 2)
      worst = 1.;
    else
      for (unsigned int k = 0; k < 2; ++k)
        worst = std::max(
          {worst,
           fbpinn_tests::relative_difference(parallel.point_values[k].values[0],
                                             serial.point_values[k].values[0]),
           fbpinn_tests::relative_difference(
             parallel.point_values[k].gradients[0][0],
             serial.point_values[k].gradients[0][0])});
    const double tolerance = 1e-8;
    fbpinn_tests::check(method + label + ": heat: 2 ranks = 1 rank (to " +
                          fbpinn_tests::to_string(tolerance) + ")",
                        worst <= tolerance,
                        fbpinn_tests::to_string(worst));
  }
} // namespace


int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  fbpinn_tests::initlog();
  for (const std::string method : {"fem", "elm", "fbpinn", "pinn"})
    check(method);
  check("elm",
        "subsection ELM\n  set Time slabs = 4\nend\n",
        " with time slabs");
  check("fbpinn",
        "subsection FBPINN\n  set Time slabs = 4\nend\n",
        " with time slabs");
  for (const std::string method : {"fbpinn", "pinn"})
    check(method,
          "subsection Training\n  set Causal weighting = true\nend\n",
          " with causal weights");
  check("fem",
        "subsection Time stepping\n  set Scheme = arkode\nend\n"
        "subsection FEM\n  set Solver = direct\nend\n",
        " with arkode");
}
