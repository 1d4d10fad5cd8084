// Multilevel FBPINN (issue 14, item 2; Dolean, Heinlein, Mishra, Moseley
// 2024): on the multi-scale Laplace problem (n = 3, ω up to 8π) with the
// paper's tanh ansatz, 8² cells of 5² uniform points, one hidden layer of 16
// tanh units, output scale 0.75, Adam 1e-3 for 2 000 steps, 'Levels' = 4
// (networks on 8², 4², 2² and 1 subdomains) ends with under half the
// relative L2 error of one level (measured 4.2e-2 against 1.9e-1), as the
// paper's weak-scaling study says it should, per training step. A step costs
// about 3× as much (every point sees 4 networks per level); at equal wall
// time one level for 9 000 steps reaches 9.0e-3 against 2.9e-2 of four
// levels for 3 000 steps on this machine, so the advantage is in steps, not
// seconds, at this size. The metrics count the subdomains of all levels.

#include <cmath>
#include <sstream>

#include "tests.h"

namespace
{
  fbpinn::RunMetrics
  run(const unsigned int levels)
  {
    std::ostringstream s;
    s << "set Dimension = 2\nset Method = fbpinn\n"
      << "set Output directory = output-" << levels
      << "\nset Write solution = false\n"
      << "subsection Problem\n  set Name = multiscale-laplace\n"
      << "  subsection multiscale-laplace\n    set Number of scales = 3\n"
      << "  end\nend\n"
      << "subsection Mesh\n  set Global refinements = 3\nend\n"
      << "subsection FBPINN\n  set Levels = " << levels << '\n'
      << "  set Collocation points per direction = 5\n"
      << "  set Collocation rule = uniform\n  set Overlap factor = 1.9\n"
      << "  set Hard constraints = true\nend\n"
      << "subsection Network\n  set Hidden layers = 16\n"
      << "  set Output scale = 0.75\nend\n"
      << "subsection Training\n  set Steps = 2000\n"
      << "  set Progress interval = 0\nend\n";
    return fbpinn_tests::run_prm("levels-" + std::to_string(levels) + ".prm",
                                 s.str())
      .back();
  }
} // namespace

int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  fbpinn_tests::initlog();

  const auto one  = run(1);
  const auto four = run(4);
  fbpinn_tests::check("4 levels: 85 subdomains (64 + 16 + 4 + 1), n_levels 4",
                      four.n_subdomains == 85 && four.n_levels == 4 &&
                        one.n_subdomains == 64 && one.n_levels == 1,
                      std::to_string(four.n_subdomains) + " subdomains, " +
                        std::to_string(four.n_levels) + " levels");
  fbpinn_tests::check(
    "4 levels: relative L2 below half that of one level after 2000 steps",
    four.errors.relative_l2 < 0.5 * one.errors.relative_l2,
    "4 levels " + fbpinn_tests::to_string(four.errors.relative_l2) +
      ", 1 level " + fbpinn_tests::to_string(one.errors.relative_l2));
}
