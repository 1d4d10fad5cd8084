#pragma once

#include <deal.II/lac/trilinos_sparse_matrix.h>
#include <deal.II/lac/trilinos_vector.h>

#include <fbpinn/postprocess/metrics.h>

#include <string>
#include <vector>

namespace fbpinn
{
  namespace Solvers
  {
    /** Which least-squares solver to use, and how hard it tries. */
    struct LeastSquaresSettings
    {
      /** "lsqr" (Trilinos Belos LSQR, iterative, distributed) or "qr"
       * (SuiteSparseQR, direct, serial on rank 0). */
      std::string name = "lsqr";
      /**
       * LSQR's stopping tolerance, used both as Belos' "Rel RHS Err" and
       * "Rel Mat Err" (Paige and Saunders' btol and atol): LSQR stops when
       * ‖r‖ ≤ tol ‖h‖ + tol ‖M‖ ‖a‖ (consistent systems) or when
       * ‖Mᵀr‖ ≤ tol ‖M‖ ‖r‖ (inconsistent systems), where r = h − M a and
       * ‖M‖ is LSQR's Frobenius-norm estimate. Because of the tol ‖M‖ ‖a‖
       * term, the final relative residual of a consistent system is
       * typically well above tol (≈ 3e-9 for tol = 1e-10 on a matrix with
       * κ₂ ≈ 100). Ignored by "qr".
       */
      double tolerance = 1e-10;
      /** The most LSQR iterations; ignored by "qr". */
      unsigned int max_iterations = 10000;

      /** Compute the exact condition number of the matrix the solver works
       * on (dense SVD on rank 0; small problems only). */
      bool compute_condition_number = false;

      /** filtered-direct: columns of a block whose pivot |R_ii| is below
       * this times |R_00| are dropped. */
      double filter_tolerance = 1e-8;

      /** filtered-direct: the global column indices of every column block
       * (subdomain) whose columns this rank owns. Not owned. */
      const std::vector<std::vector<dealii::types::global_dof_index>>
        *column_blocks = nullptr;
    };

    /**
     * Solve the linear least-squares problem min ‖M a − h‖₂.
     *
     * @p M is a rectangular distributed matrix whose rows (collocation
     * points) are partitioned by its range (row) map and whose columns
     * (unknowns) are partitioned by its domain map, as built by the
     * SparseMatrix(row_partitioning, col_partitioning, comm, n_entries)
     * constructor and compressed. @p h lives on the row partition; @p a on
     * the column partition, without ghost entries. @p a is overwritten; the
     * solve starts from zero.
     *
     * - "lsqr": Belos LSQR with the matrix as operator and no
     *   preconditioner; distributed like the matrix. `iterations` is the
     *   number of LSQR iterations; `converged` is true only if one of LSQR's
     *   residual tests passed (see LeastSquaresSettings::tolerance) within
     *   LeastSquaresSettings::max_iterations; a stop because the condition
     *   estimate reached 1/ε, or the iteration limit, counts as not
     *   converged. `condition_estimate` is LSQR's running estimate
     *   ‖M‖_F ‖M⁺‖_F of the condition number, an indicator rather than a
     *   bound: it is in the Frobenius norm, its ‖M‖_F part keeps growing once
     *   the iterations outnumber the columns (loss of orthogonality; ≈ 28 κ₂
     *   for a 400 × 100 matrix with κ₂ ≈ 96 after 300 iterations), and on an
     *   ill-conditioned M it stays far below κ₂ when LSQR stops before
     *   resolving the smallest singular values (≈ 1e9 for κ₂ ≈ 1e10 to 1e16).
     *   LSQR has no preconditioner here, so its iteration count grows with
     *   κ₂(M); badly scaled columns alone make it slow.
     * - "qr": SuiteSparseQR's sparse multifrontal QR with column pivoting
     *   and rank detection (default ordering and tolerance), giving the
     *   basic least-squares solution; columns that SPQR finds numerically
     *   dependent get zero coefficients. SPQR's default tolerance,
     *   20 (m + n) ε max_j ‖M e_j‖, is relative to the largest column norm,
     *   so columns whose norms are many orders of magnitude smaller are
     *   dropped as dependent even when M has full rank. SPQR is serial:
     *   the matrix and the right-hand side are gathered on rank 0 of the
     *   matrix' communicator, and the solution is broadcast back, so that
     *   rank needs memory for the whole matrix and its R factor.
     *   `iterations` is 1; `converged` is false only if SPQR failed or the
     *   solution is not finite.
     *   `condition_estimate` is max|p|/min|p| over the pivots p of R (its
     *   nonzero diagonal): a lower bound of κ₂ of the columns SPQR kept, and
     *   so of κ₂(M); if SPQR dropped columns, M is numerically rank deficient
     *   and its κ₂ is far larger.
     *
     * For both, `residual` is ‖h − M a‖₂ / ‖h‖₂ recomputed after the solve;
     * for an inconsistent system it does not tend to zero. If h = 0, a = 0
     * is returned at once, converged, with residual 0.
     *
     * @throw std::invalid_argument for an unknown LeastSquaresSettings::name.
     */
    SolverReport
    solve_least_squares(const dealii::TrilinosWrappers::SparseMatrix &M,
                        const dealii::TrilinosWrappers::MPI::Vector  &h,
                        dealii::TrilinosWrappers::MPI::Vector        &a,
                        const LeastSquaresSettings                   &settings);
  } // namespace Solvers
} // namespace fbpinn
