// ELM-FBPINN on 2 ranks equals 1 rank: the basis is keyed on CellId, so the
// least-squares problem is the same up to a permutation of rows, and the
// solutions agree to the solver's accuracy. Each case is solved on
// MPI_COMM_WORLD (2 ranks) and alone on every rank (MPI_COMM_SELF).
// |e₁ − e₂| ≤ ‖u₁ − u₂‖/‖u‖ for the relative L2 errors e, so the check bounds
// how far the two solutions can be apart: 1e-6 of ‖u‖ for the direct qr (a
// permutation of rows changes round-off, which a condition number of 1e10 or
// more amplifies to ~1e-7; measured 4e-7 on cos-ode) and 1e-5 for lsqr
// stopped at its tolerance.

#include <cmath>

#include "tests.h"

namespace
{
  std::string
  case_prm(const unsigned int dim,
           const std::string &problem,
           const unsigned int subdivisions,
           const unsigned int features,
           const unsigned int points,
           const std::string &solver,
           const std::string &output)
  {
    std::ostringstream s;
    s << "set Dimension = " << dim << "\nset Method = elm\n"
      << "set Output directory = " << output << "\n"
      << "set Write solution = false\n"
      << "subsection Problem\n  set Name = " << problem << "\nend\n"
      << "subsection Mesh\n  set Subdivisions = " << subdivisions
      << "\n  set Global refinements = 0\nend\n"
      << "subsection ELM\n  set Features per subdomain = " << features
      << "\n  set Collocation points per direction = " << points << "\nend\n"
      << "subsection Linear solver\n  set Name = " << solver
      << "\n  set Tolerance = 1e-12\n  set Max iterations = 20000\nend\n";
    return s.str();
  }

  void
  compare(const unsigned int dim,
          const std::string &problem,
          const unsigned int subdivisions,
          const unsigned int features,
          const unsigned int points,
          const std::string &solver,
          const double       tolerance)
  {
    const auto [parallel, serial] =
      fbpinn_tests::run_parallel_and_serial([&](const std::string &output) {
        return case_prm(dim,
                        problem,
                        subdivisions,
                        features,
                        points,
                        solver,
                        output);
      });

    const double       e2 = parallel.errors.relative_l2;
    const double       e1 = serial.errors.relative_l2;
    std::ostringstream what;
    what << problem << " " << dim << "D, " << subdivisions << "^" << dim
         << " subdomains, K = " << features << " (" << solver << ") on "
         << parallel.mpi_ranks << " ranks: relative L2 equals 1 rank to ±"
         << tolerance;
    fbpinn_tests::check(what.str(),
                        std::abs(e2 - e1) <= tolerance &&
                          parallel.n_rows == serial.n_rows &&
                          parallel.solver.converged,
                        "1 rank " + fbpinn_tests::to_string(e1) + ", 2 ranks " +
                          fbpinn_tests::to_string(e2));
  }
} // namespace


int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  fbpinn_tests::initlog();

  compare(2, "poisson", 4, 16, 8, "qr", 1e-6);
  compare(1, "harmonic-oscillator", 20, 12, 30, "qr", 1e-6);
  compare(1, "cos-ode", 30, 8, 20, "qr", 1e-6);
  compare(2, "poisson", 4, 8, 8, "lsqr", 1e-5);
}
