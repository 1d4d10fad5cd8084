// fbpinn on 2 ranks follows the same training trajectory as on 1 rank: the
// initial parameters are keyed on each subdomain's box, every point's term is
// computed by the rank that owns its cell, and the gradient contributions of
// a subdomain's points on other ranks are summed on its owner, so only the
// order of that sum differs (round-off). 2D Poisson, 4 × 4 subdomains, one
// hidden layer of 8 tanh units, 300 Adam steps (fbpinn also followed by 50
// L-BFGS iterations, whose dot products are global sums); the relative L2
// errors of the two runs agree to 1e-9. The same with two levels and rad
// resampling (fbpinn) and with rar (pinn) every 100 steps: the candidates are
// keyed on their cells, so both runs choose the same points.

#include <cmath>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "tests.h"

int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  fbpinn_tests::initlog();

  // {method, L-BFGS iterations, extra entries of subsection FBPINN}
  for (const auto &[method, lbfgs, extra] :
       std::vector<std::tuple<std::string, unsigned int, std::string>>{
         {"fbpinn", 0, ""},
         {"pinn", 0, ""},
         {"fbpinn", 50, ""},
         {"fbpinn",
          0,
          "  set Levels = 2\n  set Resampling = rad\n"
          "  set Resampling interval = 100\n"},
         {"pinn",
          0,
          "  set Resampling = rar\n  set Resampling interval = 100\n"}})
    {
      const auto [parallel, serial] =
        fbpinn_tests::run_parallel_and_serial([&](const std::string &output) {
          return "set Dimension = 2\nset Method = " + method +
                 "\nset Output directory = " + output +
                 "\nset Write solution = false\n"
                 "subsection Problem\n  set Name = poisson\nend\n"
                 "subsection Mesh\n  set Subdivisions = 2\n"
                 "  set Global refinements = 1\nend\n"
                 "subsection FBPINN\n"
                 "  set Collocation points per direction = 4\n" +
                 extra +
                 "end\n"
                 "subsection Network\n  set Hidden layers = 8\nend\n"
                 "subsection Training\n  set Steps = 300\n"
                 "  set Learning rate = 1e-2\n"
                 "  set Progress interval = 0\n"
                 "  set L-BFGS steps = " +
                 std::to_string(lbfgs) + "\nend\n";
        });
      const double      e2 = parallel.errors.relative_l2;
      const double      e1 = serial.errors.relative_l2;
      const std::string name =
        method + ", 2D Poisson, 300 Adam steps" +
        (lbfgs > 0 ? " + " + std::to_string(lbfgs) + " L-BFGS" : "") +
        (extra.find("rad") != std::string::npos ? ", 2 levels, rad" :
         extra.find("rar") != std::string::npos ? ", rar" :
                                                  "");
      fbpinn_tests::check(name + ": " + std::to_string(parallel.mpi_ranks) +
                            " ranks equal 1 rank to 1e-9 (relative)",
                          std::abs(e2 - e1) <= 1e-9 * e1 &&
                            parallel.n_dofs == serial.n_dofs,
                          "1 rank " + fbpinn_tests::to_string(e1) +
                            ", 2 ranks " + fbpinn_tests::to_string(e2));
      fbpinn_tests::check(name + ": trains (relative L2 below 0.5)",
                          e1 < 0.5,
                          fbpinn_tests::to_string(e1));
    }
}
