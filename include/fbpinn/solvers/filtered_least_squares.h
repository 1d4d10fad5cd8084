#pragma once

#include <deal.II/base/types.h>
#include <deal.II/lac/trilinos_sparse_matrix.h>
#include <deal.II/lac/trilinos_vector.h>

#include <fbpinn/postprocess/metrics.h>

#include <vector>

namespace fbpinn
{
  namespace Solvers
  {
    /**
     * min ‖M a − h‖ through the normal equations MᵀM a = Mᵀh, formed with
     * EpetraExt and solved by MUMPS (Amesos). Fast, but κ(MᵀM) = κ(M)²: only
     * for well-conditioned M (ELM matrices with κ ~ 1e10 lose everything).
     */
    SolverReport
    solve_normal_direct(const dealii::TrilinosWrappers::SparseMatrix &M,
                        const dealii::TrilinosWrappers::MPI::Vector  &h,
                        dealii::TrilinosWrappers::MPI::Vector        &a);

    /**
     * Local feature filtering (van Beek, Dolean, Moseley 2025) with a direct
     * solve of the filtered normal equations.
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
     * The filtered matrix M̃ = M T has orthonormal column blocks and a
     * moderate condition number, so its normal equations M̃ᵀM̃ b = M̃ᵀh (unit
     * diagonal blocks) are solved directly by MUMPS, and a = T b.
     *
     * The report's condition_estimate is the largest ratio |R_00|/|R_rr|
     * over the kept pivots of all blocks (how ill-conditioned the filtered
     * blocks were before orthonormalisation); iterations is the number of
     * columns kept.
     */
    SolverReport
    solve_filtered_direct(
      const dealii::TrilinosWrappers::SparseMatrix                     &M,
      const dealii::TrilinosWrappers::MPI::Vector                      &h,
      dealii::TrilinosWrappers::MPI::Vector                            &a,
      const std::vector<std::vector<dealii::types::global_dof_index>> &column_blocks,
      const double filter_tolerance);
  } // namespace Solvers
} // namespace fbpinn
