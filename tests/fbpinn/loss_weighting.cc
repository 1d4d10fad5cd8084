// FBPINN loss weighting (issue 14, item 1): the FBPINNs reference case
// (oscillator ω0 = 80, 15 subdomains, 32 tanh units, 14 Gauss points per
// cell, Adam 1e-3, 20 000 steps, about 3 s in Release) with the soft initial
// conditions and the default 'Loss weighting' = normalized reaches
// normalized L1 ≤ 3e-3 (measured 2.1e-3; the published JAX FBPINNs code 2.2e-3
// with its hand-set weights 1e6 and 1e2; 'quadrature' ends at 0.60), and so
// does the hard-constraint ansatz under the default (measured 3.3e-3, ≤ 5e-3
// as tests/fbpinn/training requires of 'quadrature'); 'quadrature' gives the
// loss of the code before this entry existed after 20 steps (to round-off);
// annealed weights are finite, positive and recorded in training.csv;
// self-adaptive point weights reach 1.3e-3 on the soft case.

#include <cmath>
#include <fstream>

#include "tests.h"

namespace
{
  std::string
  oscillator(const unsigned int steps,
             const std::string &output,
             const bool         hard,
             const std::string &extra             = "",
             const unsigned int progress_interval = 0)
  {
    std::ostringstream s;
    s << "set Dimension = 1\nset Method = fbpinn\nset Output directory = "
      << output << "\nset Write solution = false\n"
      << "subsection Problem\n  set Name = harmonic-oscillator\n"
      << "  subsection harmonic-oscillator\n    set Omega0 = 80\n"
      << "    set Damping = 2\n  end\nend\n"
      << "subsection Mesh\n  set Subdivisions = 15\n"
      << "  set Global refinements = 0\nend\n"
      << "subsection FBPINN\n  set Collocation points per direction = 14\n"
      << "  set Hard constraints = " << (hard ? "true" : "false") << "\nend\n"
      << "subsection Network\n  set Hidden layers = 32\nend\n"
      << "subsection Training\n  set Learning rate = 1e-3\n  set Steps = "
      << steps << "\n  set Progress interval = " << progress_interval << '\n'
      << extra << "end\n";
    return s.str();
  }

} // namespace


int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  fbpinn_tests::initlog();

  {
    const auto metrics =
      fbpinn_tests::run_prm("soft.prm", oscillator(20000, "soft", false));
    const double l1 = metrics.back().errors.normalized_l1;
    fbpinn_tests::check("soft initial conditions, default weighting, 20000 "
                        "Adam steps: normalized L1 <= 3e-3",
                        l1 <= 3e-3,
                        fbpinn_tests::to_string(l1));
  }

  {
    const auto metrics =
      fbpinn_tests::run_prm("hard.prm", oscillator(20000, "hard", true));
    const double l1 = metrics.back().errors.normalized_l1;
    fbpinn_tests::check("hard constraints, default weighting, 20000 Adam "
                        "steps: normalized L1 <= 5e-3",
                        l1 <= 5e-3,
                        fbpinn_tests::to_string(l1));
  }

  {
    // The loss after 20 Adam steps of the soft case, as the code before
    // 'Loss weighting' computed it (commit 9878f25: loss 3.36248697e7,
    // printed as the solver residual √loss).
    const double old_residual = 5798.695516842857;
    const auto   metrics =
      fbpinn_tests::run_prm("quadrature.prm",
                            oscillator(20,
                                       "quadrature",
                                       false,
                                       "  set Loss weighting = quadrature\n"));
    const double residual = metrics.back().solver.residual;
    fbpinn_tests::check("quadrature weighting reproduces the loss before the "
                        "entry existed (20 steps, to 1e-9)",
                        std::abs(residual - old_residual) <=
                          1e-9 * old_residual,
                        fbpinn_tests::to_string(residual) + " against " +
                          fbpinn_tests::to_string(old_residual));
  }

  {
    // Self-adaptive point weights (McClenny and Braga-Neto 2023) on the same
    // soft case: measured normalized L1 1.3e-3 after 20 000 steps; the mean
    // weights in training.csv (rows every 5 000 steps) are finite, at least
    // 1 and grow.
    const auto metrics =
      fbpinn_tests::run_prm("self_adaptive.prm",
                            oscillator(20000,
                                       "self_adaptive",
                                       false,
                                       "  set Loss weighting = self-adaptive\n",
                                       5000));
    const double l1 = metrics.back().errors.normalized_l1;
    fbpinn_tests::check("self-adaptive weights, soft initial conditions, "
                        "20000 Adam steps: normalized L1 <= 3e-3",
                        l1 <= 3e-3,
                        fbpinn_tests::to_string(l1));
    const auto rows = fbpinn_tests::read_csv("self_adaptive/training.csv");
    bool       ok   = rows.size() == 6 && rows[0].size() == 8;
    for (std::size_t r = 1; ok && r < rows.size(); ++r)
      for (std::size_t c = 5; c < 8; ++c)
        {
          const double w = std::stod(rows[r][c]);
          ok             = ok && std::isfinite(w) && w >= 1. &&
               (r == 1 || w >= std::stod(rows[r - 1][c]));
        }
    ok = ok && std::stod(rows.back()[5]) > 1.1;
    fbpinn_tests::check("self-adaptive: the mean weights in training.csv are "
                        "finite, at least 1 and grow",
                        ok,
                        std::to_string(rows.size()) + " rows");
  }

  {
    // 1000 steps with an update every 100 steps: the weights in
    // training.csv (a row every 100 steps) are finite, positive and have
    // moved away from their start 'Boundary weight' = 1.
    fbpinn_tests::run_prm("annealing.prm",
                          oscillator(1000,
                                     "annealing",
                                     false,
                                     "  set Loss weighting = annealing\n"
                                     "  set Annealing interval = 100\n",
                                     100));
    const auto rows = fbpinn_tests::read_csv("annealing/training.csv");
    const bool header =
      !rows.empty() && rows[0].size() == 8 && rows[0][5] == "weight_pde" &&
      rows[0][6] == "weight_condition_0" && rows[0][7] == "weight_condition_1";
    bool   finite_positive = rows.size() == 12;
    double largest_change  = 0.;
    for (std::size_t r = 1; r < rows.size(); ++r)
      for (std::size_t c = 6; c < rows[r].size(); ++c)
        {
          const double w  = std::stod(rows[r][c]);
          finite_positive = finite_positive && std::isfinite(w) && w > 0.;
          largest_change  = std::max(largest_change, std::abs(w - 1.));
        }
    fbpinn_tests::check("annealing: the weights of both conditions in "
                        "training.csv are finite, positive and updated",
                        header && finite_positive && largest_change > 1e-3,
                        std::to_string(rows.size()) + " rows, largest change " +
                          fbpinn_tests::to_string(largest_change));
  }

  {
    // Annealing and restart: 300 steps in one go against 150 with a
    // checkpoint and 150 resumed, weights updated every 50 steps and
    // recorded every 50 (so the last row before the checkpoint holds the
    // weights at its step).
    const std::string annealing = "  set Loss weighting = annealing\n"
                                  "  set Annealing interval = 50\n";
    const auto        whole =
      fbpinn_tests::run_prm("whole.prm",
                            oscillator(300, "whole", false, annealing, 50));
    fbpinn_tests::run_prm("first.prm",
                          oscillator(150,
                                     "first",
                                     false,
                                     annealing +
                                       "  set Checkpoint interval = 150\n",
                                     50));
    const auto resumed =
      fbpinn_tests::run_prm("resumed.prm",
                            oscillator(300,
                                       "resumed",
                                       false,
                                       annealing +
                                         "  set Resume from = first\n",
                                       50));
    const double a = whole.back().errors.relative_l2;
    const double b = resumed.back().errors.relative_l2;
    fbpinn_tests::check("annealing: restart from a checkpoint equals no "
                        "restart",
                        a == b,
                        fbpinn_tests::to_string(a) + " against " +
                          fbpinn_tests::to_string(b));
  }
}
