// The sparse least-squares solvers on a 400 × 100 sparse matrix with a
// known solution a*, rows dealt round-robin to the ranks and columns split
// contiguously: "qr" and "lsqr" recover a* from the consistent right-hand
// side h = M a*; on an inconsistent one (h = M a* + e, e ∉ range M) they
// agree with each other and satisfy the normal equations; on a matrix with
// a repeated column (rank 99) they reach the same residual; an iteration
// limit of 2 makes lsqr report non-convergence; h = 0 gives a = 0; an
// unknown name throws. Only yes/NO lines are logged, so the 1- and 2-rank
// outputs are the same.

#include <deal.II/base/index_set.h>
#include <deal.II/lac/trilinos_sparse_matrix.h>
#include <deal.II/lac/trilinos_vector.h>

#include <fbpinn/solvers/least_squares.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>

#include "tests.h"

namespace
{
  using namespace dealii;
  using fbpinn::SolverReport;
  using fbpinn::Solvers::LeastSquaresSettings;
  using fbpinn::Solvers::solve_least_squares;
  using fbpinn_tests::check;
  using fbpinn_tests::to_string;

  constexpr unsigned int n_rows = 400;
  constexpr unsigned int n_cols = 100;

  /** A 64-bit linear congruential generator: the same numbers everywhere. */
  class Generator
  {
  public:
    /** Uniform in [0, 1). */
    double
    next()
    {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      return static_cast<double>(state >> 11) * 0x1.0p-53;
    }

  private:
    std::uint64_t state = 20240601;
  };

  /**
   * Row i has 4 + (something in [0,1)) in column i mod 100 and two entries in
   * [-1, 1) in other columns, so rows 0..99 form a strictly diagonally
   * dominant, hence invertible, block and M has full column rank; column j
   * is then scaled by 10^(2j/100), giving a condition number of a few
   * hundred. With @p repeated_column, column 99 is replaced by a copy of
   * column 0 (rank 99).
   */
  std::vector<std::map<unsigned int, double>>
  make_rows(const bool repeated_column)
  {
    Generator                                   generator;
    std::vector<std::map<unsigned int, double>> rows(n_rows);
    for (unsigned int i = 0; i < n_rows; ++i)
      {
        const unsigned int diagonal = i % n_cols;
        rows[i][diagonal]           = 4. + generator.next();
        for (unsigned int k = 0; k < 2; ++k)
          {
            const unsigned int j =
              (diagonal + 1 +
               static_cast<unsigned int>(generator.next() * (n_cols - 1))) %
              n_cols;
            rows[i][j] += 2. * generator.next() - 1.;
          }
      }
    for (auto &row : rows)
      {
        for (auto &[j, value] : row)
          value *= std::pow(10., 2. * j / n_cols);
        if (repeated_column)
          {
            row.erase(n_cols - 1);
            if (row.count(0) != 0)
              row[n_cols - 1] = row[0];
          }
      }
    return rows;
  }

  struct System
  {
    IndexSet row_set;
    IndexSet col_set;
    /** Built like ELM's matrix: by the (rows, columns, comm, n_entries)
     * constructor, set(), compress(insert). */
    std::unique_ptr<TrilinosWrappers::SparseMatrix> M;
  };

  /** Rows round-robin over the ranks, columns split contiguously. */
  void
  build(System &system, const bool repeated_column, const MPI_Comm comm)
  {
    const unsigned int rank    = Utilities::MPI::this_mpi_process(comm);
    const unsigned int n_ranks = Utilities::MPI::n_mpi_processes(comm);
    system.row_set             = IndexSet(n_rows);
    for (unsigned int i = rank; i < n_rows; i += n_ranks)
      system.row_set.add_index(i);
    system.row_set.compress();
    system.col_set = IndexSet(n_cols);
    system.col_set.add_range(rank * n_cols / n_ranks,
                             (rank + 1) * n_cols / n_ranks);

    system.M = std::make_unique<TrilinosWrappers::SparseMatrix>(system.row_set,
                                                                system.col_set,
                                                                comm,
                                                                3);
    const auto rows = make_rows(repeated_column);
    for (const auto i : system.row_set)
      for (const auto &[j, value] : rows[i])
        system.M->set(i, j, value);
    system.M->compress(VectorOperation::insert);
  }

  double
  relative_difference(const TrilinosWrappers::MPI::Vector &x,
                      const TrilinosWrappers::MPI::Vector &reference)
  {
    TrilinosWrappers::MPI::Vector difference(x);
    difference -= reference;
    return difference.l2_norm() / reference.l2_norm();
  }

  /** ‖h − M a‖ / ‖h‖ and ‖Mᵀ(h − M a)‖ / (‖M‖_F ‖h − M a‖). */
  std::pair<double, double>
  residuals(const System                        &system,
            const TrilinosWrappers::MPI::Vector &h,
            const TrilinosWrappers::MPI::Vector &a)
  {
    TrilinosWrappers::MPI::Vector r(h);
    const double                  r_norm = system.M->residual(r, a, h);
    TrilinosWrappers::MPI::Vector g(a);
    system.M->Tvmult(g, r);
    return {r_norm / h.l2_norm(),
            g.l2_norm() / (system.M->frobenius_norm() * r_norm)};
  }

  SolverReport
  solve(const System                        &system,
        const TrilinosWrappers::MPI::Vector &h,
        TrilinosWrappers::MPI::Vector       &a,
        const std::string                   &name,
        const unsigned int                   max_iterations = 10000)
  {
    LeastSquaresSettings settings;
    settings.name           = name;
    settings.max_iterations = max_iterations;
    return solve_least_squares(*system.M, h, a, settings);
  }

  /** The report's residual is the recomputed ‖h − M a‖/‖h‖. */
  bool
  residual_consistent(const SolverReport &report, const double residual)
  {
    return std::abs(report.residual - residual) <= 1e-12 + 1e-8 * residual;
  }
} // namespace


int
main(int argc, char **argv)
{
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  fbpinn_tests::initlog();
  const MPI_Comm comm = MPI_COMM_WORLD;

  System system;
  build(system, false, comm);

  // The solution a*_j = sin(j + 1) + 0.5, and h = M a*.
  TrilinosWrappers::MPI::Vector a_star(system.col_set, comm);
  for (const auto j : system.col_set)
    a_star[j] = std::sin(j + 1.) + 0.5;
  a_star.compress(VectorOperation::insert);
  TrilinosWrappers::MPI::Vector h(system.row_set, comm);
  system.M->vmult(h, a_star);

  // Consistent system.
  TrilinosWrappers::MPI::Vector a_qr(system.col_set, comm);
  const SolverReport            qr       = solve(system, h, a_qr, "qr");
  const double                  qr_error = relative_difference(a_qr, a_star);
  check("qr: consistent system, a* recovered to 1e-10 relative",
        qr_error < 1e-10,
        to_string(qr_error));
  check("qr: reports name qr, converged, 1 iteration, residual < 1e-12",
        qr.name == "qr" && qr.converged && qr.iterations == 1 &&
          qr.residual < 1e-12 &&
          residual_consistent(qr, residuals(system, h, a_qr).first),
        "converged " + std::to_string(qr.converged) + ", residual " +
          to_string(qr.residual));
  check("qr: finite condition estimate > 1",
        std::isfinite(qr.condition_estimate) && qr.condition_estimate > 1,
        to_string(qr.condition_estimate));

  TrilinosWrappers::MPI::Vector a_lsqr(system.col_set, comm);
  a_lsqr                        = 1.; // ignored: LSQR starts from zero
  const SolverReport lsqr       = solve(system, h, a_lsqr, "lsqr");
  const double       lsqr_error = relative_difference(a_lsqr, a_star);
  check("lsqr: consistent system, a* recovered to 1e-6 relative",
        lsqr_error < 1e-6,
        to_string(lsqr_error));
  check("lsqr: reports name lsqr, converged, 1 < iterations < 10000",
        lsqr.name == "lsqr" && lsqr.converged && lsqr.iterations > 1 &&
          lsqr.iterations < 10000 &&
          residual_consistent(lsqr, residuals(system, h, a_lsqr).first),
        "converged " + std::to_string(lsqr.converged) + ", iterations " +
          std::to_string(lsqr.iterations));
  check("lsqr: finite condition estimate > 1",
        std::isfinite(lsqr.condition_estimate) && lsqr.condition_estimate > 1,
        to_string(lsqr.condition_estimate));

  // Inconsistent system: h2 = M a* + e with e_i = 20 cos(0.7 i).
  TrilinosWrappers::MPI::Vector h2(h);
  for (const auto i : system.row_set)
    h2[i] += 20. * std::cos(0.7 * i);
  h2.compress(VectorOperation::add);
  const SolverReport qr2        = solve(system, h2, a_qr, "qr");
  const SolverReport lsqr2      = solve(system, h2, a_lsqr, "lsqr");
  const auto [qr2_r, qr2_g]     = residuals(system, h2, a_qr);
  const auto [lsqr2_r, lsqr2_g] = residuals(system, h2, a_lsqr);
  check("inconsistent system: residual of qr > 0.05 (h2 is not in range M)",
        qr2.converged && qr2_r > 0.05 && residual_consistent(qr2, qr2_r),
        to_string(qr2_r));
  check("inconsistent system: qr solves the normal equations "
        "(|M^T r| < 1e-12 |M|_F |r|)",
        qr2_g < 1e-12,
        to_string(qr2_g));
  check("inconsistent system: lsqr converged, |M^T r| < 1e-8 |M|_F |r|",
        lsqr2.converged && lsqr2_g < 1e-8 &&
          residual_consistent(lsqr2, lsqr2_r),
        "converged " + std::to_string(lsqr2.converged) + ", " +
          to_string(lsqr2_g));
  const double disagreement = relative_difference(a_lsqr, a_qr);
  check("inconsistent system: lsqr agrees with qr to 1e-6 relative",
        disagreement < 1e-6,
        to_string(disagreement));

  // Iteration limit.
  const SolverReport limited = solve(system, h2, a_lsqr, "lsqr", 2);
  check("lsqr with max_iterations = 2: not converged after 2 iterations",
        !limited.converged && limited.iterations == 2,
        "converged " + std::to_string(limited.converged) + ", iterations " +
          std::to_string(limited.iterations));

  // h = 0.
  TrilinosWrappers::MPI::Vector zero(system.row_set, comm);
  bool                          zero_ok = true;
  for (const std::string name : {"lsqr", "qr"})
    {
      a_lsqr                         = 1.;
      const SolverReport zero_report = solve(system, zero, a_lsqr, name);
      zero_ok                        = zero_ok && zero_report.converged &&
                zero_report.residual == 0. && a_lsqr.l2_norm() == 0.;
    }
  check("h = 0: both give a = 0, converged, residual 0", zero_ok, "");

  // Repeated column: rank 99. qr gives the basic solution, lsqr the
  // minimum-norm one; both minimise the residual.
  System deficient;
  build(deficient, true, comm);
  TrilinosWrappers::MPI::Vector h3(deficient.row_set, comm);
  deficient.M->vmult(h3, a_star);
  for (const auto i : deficient.row_set)
    h3[i] += 20. * std::cos(0.7 * i);
  h3.compress(VectorOperation::add);
  const SolverReport qr3   = solve(deficient, h3, a_qr, "qr");
  const SolverReport lsqr3 = solve(deficient, h3, a_lsqr, "lsqr");
  check("repeated column: qr and lsqr converged to the same residual "
        "(1e-8 relative)",
        qr3.converged && lsqr3.converged &&
          std::abs(qr3.residual - lsqr3.residual) <= 1e-8 * qr3.residual,
        "qr " + to_string(qr3.residual) + ", lsqr " +
          to_string(lsqr3.residual));
  check("repeated column: qr's condition estimate is finite",
        std::isfinite(qr3.condition_estimate),
        to_string(qr3.condition_estimate));

  // Unknown name.
  bool        threw = false;
  std::string message;
  try
    {
      solve(system, h, a_qr, "cholesky");
    }
  catch (const std::invalid_argument &e)
    {
      threw   = true;
      message = e.what();
    }
  check("unknown name: std::invalid_argument listing lsqr, qr",
        threw && message.find("lsqr, qr") != std::string::npos,
        message);
}
