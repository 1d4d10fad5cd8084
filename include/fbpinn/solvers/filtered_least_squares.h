#pragma once

#include <deal.II/base/types.h>
#include <deal.II/lac/trilinos_sparse_matrix.h>
#include <deal.II/lac/trilinos_vector.h>

#include <fbpinn/postprocess/metrics.h>

#include <string>
#include <vector>

class Epetra_CrsMatrix;

namespace fbpinn
{
  namespace Solvers
  {
    /**
     * min ‖M a − h‖ through the normal equations MᵀM a = Mᵀh, formed with
     * EpetraExt and solved by MUMPS (Amesos). Fast, but κ(MᵀM) = κ(M)²: only
     * for well-conditioned M (ELM matrices with κ ~ 1e10 lose everything).
     */
    /**
     * The exact 2-norm condition number σ_max/σ_min of @p A (rows ≥ columns),
     * by gathering it densely on rank 0 and LAPACK's dgesdd (singular values
     * only). For small matrices: more than 2e8 entries is an error.
     */
    double
    exact_condition_number(const Epetra_CrsMatrix &A);

    SolverReport
    solve_normal_direct(const dealii::TrilinosWrappers::SparseMatrix &M,
                        const dealii::TrilinosWrappers::MPI::Vector  &h,
                        dealii::TrilinosWrappers::MPI::Vector        &a);

    /**
     * Local feature filtering (van Beek, Dolean, Moseley 2025).
     *
     * For each column block j (the K coefficients of one subdomain, given by
     * @p column_blocks: the global column indices of every block whose
     * columns this rank owns), the rows of M that touch the block, M_j, are
     * factorised by LAPACK's pivoted QR, M_j P = Q R; columns with
     * |R_ii| < @p filter_tolerance · |R_00| are dropped, and
     * T_j = P[:, :r] R[:r, :r]⁻¹ maps the r kept coordinates to coefficients,
     * so that M_j T_j = Q[:, :r] has orthonormal columns. The rows of M_j may
     * live on any rank: the blocks are read from the transpose of M, which
     * EpetraExt distributes like M's columns.
     *
     * The filtered matrix M̃ = M T (orthonormal column blocks, moderate
     * condition number) is then solved for b, and a = T b, by @p inner:
     * - "direct": MUMPS (QAMD ordering) on the normal equations
     *   M̃ᵀM̃ b = M̃ᵀh, formed block by block with BLAS-3 (GEMM, SYRK) from the
     *   rows of M that share their columns, never forming M̃ (unit diagonal
     *   blocks; condition_estimate = the largest kept pivot ratio
     *   |R_00|/|R_rr| over the blocks);
     * - "lsqr": Belos LSQR on M̃ (its own condition estimate);
     * - "cg": CG on M̃ᵀM̃ b = M̃ᵀh to ‖M̃ᵀ(h − M̃b)‖ ≤ tol ‖M̃ᵀh‖. This is CG on
     *   MᵀM preconditioned by Σ_j T_j T_jᵀ, and for a block that keeps all
     *   its columns T_j T_jᵀ = (M_jᵀM_j)⁻¹: the additive Schwarz
     *   preconditioner with local (pseudo-)inverses. condition_estimate is
     *   √ of CG's estimate of κ(M̃ᵀM̃).
     */
    SolverReport
    solve_filtered(
      const dealii::TrilinosWrappers::SparseMatrix &M,
      const dealii::TrilinosWrappers::MPI::Vector  &h,
      dealii::TrilinosWrappers::MPI::Vector        &a,
      const std::vector<std::vector<dealii::types::global_dof_index>>
                        &column_blocks,
      const double       filter_tolerance,
      const std::string &inner,
      const double       tolerance,
      const unsigned int max_iterations,
      const bool         compute_condition_number = false);
  } // namespace Solvers
} // namespace fbpinn
