// Learning-rate schedules and the end of L-BFGS (issue 14, item 4), on 1D
// multi-scale Laplace (n = 2, 8 cells of 5 uniform points, 8 tanh units,
// Adam 1e-2, a row of training.csv every 10 steps):
// - step with γ = 0 and K = 30: from step 30 on the rate is 0, so the loss
//   of every later row equals that of step 30 exactly;
// - cosine from α_0 to α_f = α_0 is the constant rate: the same losses, bit
//   for bit, as the default (exponential with γ = 1);
// - cosine to 0 changes the trajectory (a different final loss) and trains;
// - L-BFGS run to round-off (1D multi-scale Laplace n = 4, 16 cells, 16
//   units, overlap 1.9, output scale 0.75, 15 000 Adam steps at 1e-3, then
//   3 000 iterations, where deal.II's line search gives up on this machine
//   after 2 442 at loss 2e-29): the run ends with a result whose loss is at
//   most the loss after Adam, instead of failing.

#include <cmath>
#include <fstream>
#include <sstream>

#include "tests.h"

namespace
{
  std::string
  laplace_case(const std::string &output,
               const std::string &training,
               const unsigned int scales  = 2,
               const unsigned int cells   = 8,
               const std::string &network = "  set Hidden layers = 8\n",
               const std::string &overlap = "2.0")
  {
    std::ostringstream s;
    s << "set Dimension = 1\nset Method = fbpinn\nset Output directory = "
      << output << "\nset Write solution = false\n"
      << "subsection Problem\n  set Name = multiscale-laplace\n"
      << "  subsection multiscale-laplace\n    set Number of scales = "
      << scales << "\n  end\nend\n"
      << "subsection Mesh\n  set Subdivisions = " << cells
      << "\n  set Global refinements = 0\nend\n"
      << "subsection FBPINN\n  set Collocation points per direction = 5\n"
      << "  set Collocation rule = uniform\n  set Hard constraints = true\n"
      << "  set Overlap factor = " << overlap << "\nend\n"
      << "subsection Network\n"
      << network << "end\n"
      << "subsection Training\n"
      << training << "end\n";
    return s.str();
  }


  /** The loss column of training.csv. */
  std::vector<double>
  losses(const std::string &directory)
  {
    return fbpinn_tests::csv_column(directory + "/training.csv", 2);
  }


  std::vector<double>
  train(const std::string &name, const std::string &schedule)
  {
    fbpinn_tests::run_prm(name + ".prm",
                          laplace_case(name,
                                       "  set Learning rate = 1e-2\n"
                                       "  set Steps = 100\n"
                                       "  set Progress interval = 10\n" +
                                         schedule));
    return losses(name);
  }
} // namespace

int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  fbpinn_tests::initlog();
  using fbpinn_tests::check;
  using fbpinn_tests::to_string;

  const auto constant = train("constant", "");
  const auto step     = train("step",
                          "  set Learning rate schedule = step\n"
                              "  set Learning rate decay = 0\n"
                              "  set Learning rate step interval = 30\n");
  // Rows at steps 0, 10, ..., 100 (and the final row of step 100).
  bool frozen = step.size() >= 11;
  for (std::size_t r = 4; r < step.size(); ++r)
    frozen = frozen && step[r] == step[3];
  check("step schedule, γ = 0 after 30 steps: every later loss equals the "
        "loss at step 30",
        frozen && step[3] != step[2],
        std::to_string(step.size()) + " rows");

  const auto flat = train("flat",
                          "  set Learning rate schedule = cosine\n"
                          "  set Final learning rate = 1e-2\n");
  check("cosine from 1e-2 to 1e-2: the losses of the constant rate, bit for "
        "bit",
        flat == constant,
        to_string(flat.back()) + " against " + to_string(constant.back()));

  const auto cosine =
    train("cosine", "  set Learning rate schedule = cosine\n");
  check("cosine to 0: another trajectory that trains (final loss below the "
        "first)",
        cosine.back() != constant.back() && cosine.back() < cosine.front(),
        to_string(cosine.front()) + " -> " + to_string(cosine.back()));

  // The same Adam steps without and with L-BFGS after them.
  const auto run = [](const std::string &name, const unsigned int lbfgs) {
    return fbpinn_tests::run_prm(
             name + ".prm",
             laplace_case(name,
                          "  set Learning rate = 1e-3\n  set Steps = 15000\n"
                          "  set Progress interval = 0\n"
                          "  set L-BFGS steps = " +
                            std::to_string(lbfgs) + "\n",
                          4,
                          16,
                          "  set Hidden layers = 16\n  set Output scale = "
                          "0.75\n",
                          "1.9"))
      .back();
  };
  const auto adam  = run("adam", 0);
  const auto lbfgs = run("lbfgs", 3000);
  check("L-BFGS to round-off ends with a result at most the loss after Adam",
        lbfgs.solver.residual <= adam.solver.residual &&
          std::isfinite(lbfgs.errors.relative_l2),
        "√loss " + to_string(lbfgs.solver.residual) + " against " +
          to_string(adam.solver.residual));
}
