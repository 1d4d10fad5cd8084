// The example plugin (plugins/example_problem.cc, its own shared library) is
// loaded through 'Additional shared libraries' and solved with FEM: its name
// must be accepted and Q2 must converge at rate 3 on it.

#include <fbpinn/plugins.h>
#include <fbpinn/problems/interface.h>

#include <algorithm>
#include <cmath>

#include "test_config.h"
#include "tests.h"

int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  fbpinn_tests::initlog();

  const auto &registry =
    fbpinn::Plugins::Registry<fbpinn::Problems::Interface>::instance();
  const auto names = registry.names();
  const bool before =
    std::count(names.begin(), names.end(), "example-reaction-diffusion") > 0;
  fbpinn_tests::check("plugin absent before loading", !before, "");

  const auto results = fbpinn_tests::run_prm(
    "plugin.prm",
    "set Dimension = 2\n"
    "set Additional shared libraries = " FBPINN_EXAMPLE_PLUGIN "\n"
    "set Number of refinement cycles = 3\n"
    "set Output directory = output-plugin\n"
    "subsection Problem\n"
    "  set Name = example-reaction-diffusion\n"
    "  subsection example-reaction-diffusion\n"
    "    set Reaction = 5\n"
    "  end\n"
    "end\n"
    "subsection Mesh\n  set Global refinements = 3\nend\n"
    "subsection FEM\n  set Polynomial degree = 2\nend\n");

  fbpinn_tests::check("plugin problem solved",
                      results.back().problem == "example-reaction-diffusion",
                      results.back().problem);
  const double rate = fbpinn_tests::last_l2_rate(results);
  fbpinn_tests::check("Q2 L2 rate within 0.15 of 3",
                      std::abs(rate - 3.) <= 0.15,
                      "rate " + fbpinn_tests::to_string(rate));
  fbpinn_tests::check("relative L2 below 1e-5",
                      results.back().errors.relative_l2 < 1e-5,
                      fbpinn_tests::to_string(
                        results.back().errors.relative_l2));
}
