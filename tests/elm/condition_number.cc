// Local feature filtering lowers the exact condition number (dense SVD,
// 'Compute condition number') of the ELM least-squares matrix by at least
// 1e4 on multiscale-laplace 2D, n = 2, 8 × 8 subdomains, K = 32, 8² points.
// Measured: κ(M) = 2.8e10 (columns already scaled to unit norm),
// κ(M T) = 335 with filter tolerance 1e-10.

#include <cmath>

#include "tests.h"

namespace
{
  fbpinn::RunMetrics
  run(const std::string &solver)
  {
    return fbpinn_tests::run_prm(
             "case.prm",
             "set Dimension = 2\nset Method = elm\n"
             "set Output directory = output-" +
               solver +
               "\n"
               "set Write solution = false\n"
               "subsection Problem\n  set Name = multiscale-laplace\n"
               "  subsection multiscale-laplace\n    set Number of scales = 2\n"
               "  end\nend\n"
               "subsection Mesh\n  set Subdivisions = 8\n"
               "  set Global refinements = 0\nend\n"
               "subsection ELM\n  set Features per subdomain = 32\n"
               "  set Collocation points per direction = 8\nend\n"
               "subsection Linear solver\n  set Name = " +
               solver +
               "\n"
               "  set Filter tolerance = 1e-10\n"
               "  set Compute condition number = true\nend\n")
      .back();
  }
} // namespace


int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  fbpinn_tests::initlog();

  const double plain    = run("qr").solver.condition_number;
  const double filtered = run("filtered-direct").solver.condition_number;
  fbpinn_tests::check("the unfiltered matrix is ill-conditioned: κ > 1e8",
                      plain > 1e8,
                      fbpinn_tests::to_string(plain));
  fbpinn_tests::check("filtering lowers κ by at least 1e4",
                      plain / filtered >= 1e4,
                      "κ " + fbpinn_tests::to_string(plain) + " → " +
                        fbpinn_tests::to_string(filtered));
}
