#include <deal.II/base/index_set.h>
#include <deal.II/base/mpi.h>
#include <deal.II/lac/precondition.h>
#include <deal.II/lac/solver_cg.h>
#include <deal.II/lac/solver_control.h>

#include <fbpinn/solvers/filtered_least_squares.h>
#include <fbpinn/solvers/least_squares.h>

#include <Amesos.h>
#include <Amesos_Mumps.h>
#include <EpetraExt_MatrixMatrix.h>
#include <EpetraExt_Transpose_RowMatrix.h>
#include <Epetra_CrsMatrix.h>
#include <Epetra_FECrsMatrix.h>
#include <Epetra_FEVector.h>
#include <Epetra_Import.h>
#include <Epetra_LinearProblem.h>
#include <Epetra_Map.h>
#include <Epetra_Vector.h>
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <unordered_map>

// LAPACK's QR with column pivoting; deal.II 9.4 wraps no pivoted QR.
extern "C" void
dgeqp3_(const int *m,
        const int *n,
        double    *a,
        const int *lda,
        int       *jpvt,
        double    *tau,
        double    *work,
        const int *lwork,
        int       *info);

extern "C" void
dgesdd_(const char *jobz,
        const int  *m,
        const int  *n,
        double     *a,
        const int  *lda,
        double     *s,
        double     *u,
        const int  *ldu,
        double     *vt,
        const int  *ldvt,
        double     *work,
        const int  *lwork,
        int        *iwork,
        int        *info);

extern "C" void
dgemm_(const char   *transa,
       const char   *transb,
       const int    *m,
       const int    *n,
       const int    *k,
       const double *alpha,
       const double *a,
       const int    *lda,
       const double *b,
       const int    *ldb,
       const double *beta,
       double       *c,
       const int    *ldc);

extern "C" void
dsyrk_(const char   *uplo,
       const char   *trans,
       const int    *n,
       const int    *k,
       const double *alpha,
       const double *a,
       const int    *lda,
       const double *beta,
       double       *c,
       const int    *ldc);

namespace fbpinn
{
  namespace Solvers
  {
    namespace
    {
      void
      check(const int error, const char *what)
      {
        if (error != 0)
          throw std::runtime_error(std::string(what) + " failed with code " +
                                   std::to_string(error));
      }


      /** Solve N x = g with MUMPS; @p property is "SPD" (Cholesky-like
       * LDLᵀ without pivoting) or "general". */
      void
      solve_with_mumps(Epetra_CrsMatrix  &N,
                       Epetra_Vector     &x,
                       Epetra_Vector     &g,
                       const std::string &property)
      {
        Epetra_LinearProblem               problem(&N, &x, &g);
        Amesos                             factory;
        std::unique_ptr<Amesos_BaseSolver> solver(
          factory.Create("Amesos_Mumps", problem));
        if (!solver)
          throw std::runtime_error("Amesos has no MUMPS solver");
        Teuchos::ParameterList parameters;
        parameters.set("MatrixProperty", property);
        solver->SetParameters(parameters);
        if (auto *mumps = dynamic_cast<Amesos_Mumps *>(solver.get()))
          {
            // Quiet (no MUMPS diagnostics on stdout), and 100% more working
            // memory than MUMPS estimates: normal equations of ELM matrices
            // need more pivoting than its analysis foresees.
            mumps->SetICNTL(1, -1);
            mumps->SetICNTL(2, -1);
            mumps->SetICNTL(3, -1);
            mumps->SetICNTL(4, 0);
            mumps->SetICNTL(14, 100);
            // QAMD ordering: MUMPS' automatic choice (PORD; Debian's MUMPS
            // has no METIS) needed 3× the flops on the filtered normal
            // equations (7.8e10 against 2.5e10 for n = 4, 16², K = 64), and
            // a METIS nested dissection of the subdomain graph did no better
            // than QAMD (2.6e10).
            mumps->SetICNTL(7, 6);
          }
        check(solver->SymbolicFactorization(), "MUMPS symbolic factorisation");
        check(solver->NumericFactorization(), "MUMPS numeric factorisation");
        check(solver->Solve(), "MUMPS solve");
      }


      /** Solve N b = Bᵀh with N = BᵀB for an Epetra matrix B; returns b on
       * B's domain map. */
      Epetra_Vector
      solve_normal_equations(const Epetra_CrsMatrix &B,
                             const Epetra_Vector    &h,
                             const std::string      &property)
      {
        Epetra_CrsMatrix N(Copy, B.DomainMap(), 0);
        check(EpetraExt::MatrixMatrix::Multiply(B, true, B, false, N),
              "forming the normal equations");
        Epetra_Vector g(B.DomainMap()), b(B.DomainMap());
        check(B.Multiply(true, h, g), "forming the normal right-hand side");
        solve_with_mumps(N, b, g, property);
        return b;
      }
    } // namespace


    double
    exact_condition_number(const Epetra_CrsMatrix &A)
    {
      const int m = A.NumGlobalRows();
      const int n = A.NumGlobalCols();
      if (static_cast<double>(m) * n > 2e8)
        throw std::invalid_argument(
          "subsection Linear solver, entry 'Compute condition number': the "
          "matrix (" +
          std::to_string(m) + " × " + std::to_string(n) +
          ") is too large for a dense SVD; switch it off for this size");

      // All rows on rank 0.
      const bool       root = A.Comm().MyPID() == 0;
      const Epetra_Map on_root(m, root ? m : 0, 0, A.Comm());
      Epetra_Import    importer(on_root, A.RowMap());
      Epetra_CrsMatrix gathered(Copy, on_root, 0);
      check(gathered.Import(A, importer, Insert), "gathering the matrix");
      check(gathered.FillComplete(A.DomainMap(), on_root),
            "gathering the matrix");

      double condition = 0.;
      if (root)
        {
          std::vector<double> dense(static_cast<std::size_t>(m) * n, 0.);
          for (int row = 0; row < gathered.NumMyRows(); ++row)
            {
              int     n_entries;
              double *values;
              int    *columns;
              gathered.ExtractMyRowView(row, n_entries, values, columns);
              const int global_row = gathered.GRID(row);
              for (int k = 0; k < n_entries; ++k)
                dense[static_cast<std::size_t>(gathered.GCID(columns[k])) * m +
                      global_row] = values[k];
            }
          std::vector<double> singular(std::min(m, n));
          std::vector<int>    iwork(8 * std::min(m, n));
          int                 info = 0, lwork = -1, one = 1;
          double              query;
          dgesdd_("N",
                  &m,
                  &n,
                  dense.data(),
                  &m,
                  singular.data(),
                  nullptr,
                  &one,
                  nullptr,
                  &one,
                  &query,
                  &lwork,
                  iwork.data(),
                  &info);
          lwork = static_cast<int>(query);
          std::vector<double> work(lwork);
          dgesdd_("N",
                  &m,
                  &n,
                  dense.data(),
                  &m,
                  singular.data(),
                  nullptr,
                  &one,
                  nullptr,
                  &one,
                  work.data(),
                  &lwork,
                  iwork.data(),
                  &info);
          check(info, "LAPACK dgesdd");
          condition = singular.back() > 0. ?
                        singular.front() / singular.back() :
                        std::numeric_limits<double>::infinity();
        }
      A.Comm().Broadcast(&condition, 1, 0);
      return condition;
    }


    SolverReport
    solve_normal_direct(const dealii::TrilinosWrappers::SparseMatrix &M,
                        const dealii::TrilinosWrappers::MPI::Vector  &h,
                        dealii::TrilinosWrappers::MPI::Vector        &a)
    {
      const Epetra_Vector h_vector(View, h.trilinos_vector(), 0);
      const Epetra_Vector b =
        solve_normal_equations(M.trilinos_matrix(), h_vector, "general");
      for (int i = 0; i < b.MyLength(); ++i)
        a.trilinos_vector()[0][i] = b[i];
      SolverReport report;
      report.iterations = 1;
      report.converged  = true;
      return report;
    }


    namespace
    {
      /** The local feature filter T (see solve_filtered()). */
      struct Filter
      {
        std::unique_ptr<Epetra_Map>       map;
        std::unique_ptr<Epetra_CrsMatrix> T;
        unsigned int                      n_kept      = 0;
        double                            worst_ratio = 1.;
      };


      Filter
      build_filter(
        const Epetra_CrsMatrix &A,
        const std::vector<std::vector<dealii::types::global_dof_index>>
                    &column_blocks,
        const double filter_tolerance)
      {
        // Each column of M with all its rows, on the rank that owns the column.
        EpetraExt::RowMatrix_Transpose transposer;
        const Epetra_CrsMatrix &At = dynamic_cast<const Epetra_CrsMatrix &>(
          transposer(const_cast<Epetra_CrsMatrix &>(A)));

        // Per block: pivoted QR of M_j, the rank r_j and T_j (K × r_j, dense,
        // row-major by the block's columns).
        struct Block
        {
          std::vector<int>    columns; // global column ids of M
          unsigned int        rank = 0;
          std::vector<double> T; // columns.size() × rank
        };
        std::vector<Block> blocks(column_blocks.size());
        Filter             filter;
        std::vector<int>   position(At.NumMyCols(), -1), touched;
        for (unsigned int j = 0; j < column_blocks.size(); ++j)
          {
            Block    &f = blocks[j];
            const int K = column_blocks[j].size();
            f.columns.assign(column_blocks[j].begin(), column_blocks[j].end());

            // The rows touching the block, numbered locally (position[] is
            // indexed by At's local column ids and reset after each block).
            touched.clear();
            for (const int column : f.columns)
              {
                const int local = At.LRID(column);
                if (local < 0)
                  throw std::logic_error("a column block is not owned here");
                int     n_entries;
                double *values;
                int    *rows;
                At.ExtractMyRowView(local, n_entries, values, rows);
                for (int k = 0; k < n_entries; ++k)
                  if (position[rows[k]] < 0)
                    {
                      position[rows[k]] = 0;
                      touched.push_back(rows[k]);
                    }
              }
            // Rows in global order, so that the QR does not depend on the
            // local numbering.
            std::sort(touched.begin(), touched.end(), [&](int a, int b) {
              return At.GCID(a) < At.GCID(b);
            });
            const int m = touched.size();
            for (int i = 0; i < m; ++i)
              position[touched[i]] = i;
            if (m == 0)
              continue; // no row touches the block: its coefficients stay 0

            // M_j, column-major, m × K.
            std::vector<double> B(std::size_t(m) * K, 0.);
            for (int c = 0; c < K; ++c)
              {
                int     n_entries;
                double *values;
                int    *rows;
                At.ExtractMyRowView(At.LRID(f.columns[c]),
                                    n_entries,
                                    values,
                                    rows);
                for (int k = 0; k < n_entries; ++k)
                  B[std::size_t(c) * m + position[rows[k]]] = values[k];
              }
            for (const int row : touched)
              position[row] = -1;

            std::vector<int>    pivots(K, 0);
            std::vector<double> tau(std::min(m, K));
            int                 info  = 0;
            int                 lwork = -1;
            double              query;
            dgeqp3_(&m,
                    &K,
                    B.data(),
                    &m,
                    pivots.data(),
                    tau.data(),
                    &query,
                    &lwork,
                    &info);
            lwork = static_cast<int>(query);
            std::vector<double> work(lwork);
            dgeqp3_(&m,
                    &K,
                    B.data(),
                    &m,
                    pivots.data(),
                    tau.data(),
                    work.data(),
                    &lwork,
                    &info);
            check(info, "LAPACK dgeqp3");

            // Keep pivots with |R_ii| ≥ σ |R_00|.
            const double r00 = std::abs(B[0]);
            unsigned int r   = 0;
            while (r < static_cast<unsigned int>(std::min(m, K)) && r00 > 0. &&
                   std::abs(B[r * m + r]) >= filter_tolerance * r00)
              ++r;
            f.rank = r;
            if (r > 0)
              filter.worst_ratio =
                std::max(filter.worst_ratio,
                         r00 / std::abs(B[(r - 1) * m + (r - 1)]));

            // R⁻¹ of the kept r × r triangle (back substitution, column-major).
            std::vector<double> Rinv(r * r, 0.);
            for (unsigned int col = 0; col < r; ++col)
              {
                Rinv[col * r + col] = 1. / B[col * m + col];
                for (int row = static_cast<int>(col) - 1; row >= 0; --row)
                  {
                    double sum = 0.;
                    for (unsigned int k = row + 1; k <= col; ++k)
                      sum += B[k * m + row] * Rinv[col * r + k];
                    Rinv[col * r + row] = -sum / B[row * m + row];
                  }
              }
            // T_j = P[:, :r] R⁻¹: row pivots[i] − 1 of T_j is row i of R⁻¹.
            f.T.assign(K * r, 0.);
            for (unsigned int i = 0; i < r; ++i)
              for (unsigned int k = 0; k < r; ++k)
                f.T[(pivots[i] - 1) * r + k] = Rinv[k * r + i];
          }

        // The filtered unknowns: r_j per block, contiguous per rank.
        int n_local = 0;
        for (const auto &f : blocks)
          n_local += f.rank;
        filter.n_kept = n_local;
        filter.map    = std::make_unique<Epetra_Map>(-1, n_local, 0, A.Comm());
        int first     = filter.map->MinMyGID();

        // T: rows = M's columns, columns = filtered unknowns.
        filter.T = std::make_unique<Epetra_CrsMatrix>(Copy, A.DomainMap(), 0);
        for (const auto &f : blocks)
          {
            std::vector<int> targets(f.rank);
            for (unsigned int k = 0; k < f.rank; ++k)
              targets[k] = first + k;
            if (f.rank > 0)
              for (unsigned int c = 0; c < f.columns.size(); ++c)
                check(filter.T->InsertGlobalValues(f.columns[c],
                                                   f.rank,
                                                   &f.T[c * f.rank],
                                                   targets.data()),
                      "building the filter");
            first += f.rank;
          }
        check(filter.T->FillComplete(*filter.map, A.DomainMap()),
              "completing the filter");
        return filter;
      }


      /** A deal.II vector on the (contiguous) map of the filtered unknowns. */
      dealii::TrilinosWrappers::MPI::Vector
      filtered_vector(const Epetra_Map &map, const MPI_Comm comm)
      {
        dealii::IndexSet owned(map.NumGlobalElements());
        if (map.NumMyElements() > 0)
          owned.add_range(map.MinMyGID(), map.MaxMyGID() + 1);
        return dealii::TrilinosWrappers::MPI::Vector(owned, comm);
      }


      /**
       * The filtered normal equations N = M̃ᵀM̃, g = M̃ᵀh of M̃ = M T, formed
       * block by block without forming M̃: the rows of M with the same columns
       * (in ELM: the collocation points of one cell that see the same
       * subdomains, 3^dim groups per cell) form a dense block B; B̃ = B T_B is
       * one GEMM per column block, and B̃ᵀB̃ one SYRK, accumulated per pair of
       * column blocks and inserted into N once. EpetraExt's general sparse
       * product (MᵀM row by row) took 5.4 s of the 12.6 s of the n = 4, 16², K
       * = 64 case; this runs at BLAS-3 speed.
       */
      std::pair<std::unique_ptr<Epetra_FECrsMatrix>,
                std::unique_ptr<Epetra_FEVector>>
      form_filtered_normal_equations(const Epetra_CrsMatrix &A,
                                     const Filter           &filter,
                                     const Epetra_Vector    &h)
      {
        // T's rows for every column of M that this rank's rows touch.
        Epetra_Import    importer(A.ColMap(), A.DomainMap());
        Epetra_CrsMatrix T_columns(Copy, A.ColMap(), 0);
        check(T_columns.Import(*filter.T, importer, Insert),
              "importing the filter");

        // Per column of A (local id): its block (first filtered id, size)
        // and T's row as r dense values.
        struct ColumnFilter
        {
          int                 first = 0;
          int                 size  = 0;
          std::vector<double> values;
        };
        std::vector<ColumnFilter> columns(A.ColMap().NumMyElements());
        for (int c = 0; c < A.ColMap().NumMyElements(); ++c)
          {
            int     n;
            double *values;
            int    *indices;
            check(T_columns.ExtractGlobalRowView(A.ColMap().GID(c),
                                                 n,
                                                 values,
                                                 indices),
                  "reading the filter");
            if (n == 0)
              continue; // a dropped block: no filtered unknowns
            auto &column = columns[c];
            column.first = *std::min_element(indices, indices + n);
            column.size  = n;
            column.values.assign(n, 0.);
            for (int k = 0; k < n; ++k)
              {
                const int offset = indices[k] - column.first;
                if (offset < 0 || offset >= n)
                  throw std::logic_error("a filter block is not contiguous");
                column.values[offset] = values[k];
              }
          }

        using Key = std::uint64_t;
        std::unordered_map<Key, std::vector<double>> blocks; // row-major
        std::map<int, std::vector<double>>           rhs_blocks;
        const auto key = [](const int row_first, const int column_first) {
          return (Key(std::uint32_t(row_first)) << 32) |
                 Key(std::uint32_t(column_first));
        };

        // Group the rows by their columns (the collocation points of one
        // cell fall into 3^dim groups by which neighbour windows see them).
        std::map<std::vector<int>, std::vector<int>> groups;
        {
          std::vector<int>  pattern;
          std::vector<int> *last = nullptr;
          for (int row = 0; row < A.NumMyRows(); ++row)
            {
              int     n;
              double *values;
              int    *cols;
              A.ExtractMyRowView(row, n, values, cols);
              if (last != nullptr && pattern.size() == std::size_t(n) &&
                  std::equal(cols, cols + n, pattern.begin()))
                {
                  last->push_back(row);
                  continue;
                }
              pattern.assign(cols, cols + n);
              last = &groups[pattern];
              last->push_back(row);
            }
        }

        std::vector<double> B, Bt, C, T_block, B_block;
        for (const auto &[pattern, group_rows] : groups)
          {
            const int  n_columns = pattern.size();
            const int *cols      = pattern.data();
            const int  m         = group_rows.size();

            // The group's column blocks and their place in B̃.
            std::map<int, std::pair<int, std::vector<int>>> group_blocks;
            for (int k = 0; k < n_columns; ++k)
              if (columns[cols[k]].size > 0)
                group_blocks[columns[cols[k]].first].second.push_back(k);
            int n_filtered = 0;
            for (auto &[first, block] : group_blocks)
              {
                block.first = n_filtered;
                n_filtered += columns[cols[block.second[0]]].size;
              }
            if (n_filtered == 0)
              continue;

            // B, column-major m × n_columns.
            B.assign(std::size_t(m) * n_columns, 0.);
            for (int i = 0; i < m; ++i)
              {
                int     n;
                double *v;
                int    *c;
                A.ExtractMyRowView(group_rows[i], n, v, c);
                for (int k = 0; k < n; ++k)
                  B[std::size_t(k) * m + i] = v[k];
              }

            // B̃ = B T, one GEMM per block, column-major m × n_filtered.
            Bt.assign(std::size_t(m) * n_filtered, 0.);
            for (const auto &[first, block] : group_blocks)
              {
                const auto &[offset, ks] = block;
                const int r              = columns[cols[ks[0]]].size;
                const int n_k            = ks.size();
                B_block.resize(std::size_t(m) * n_k);
                T_block.resize(std::size_t(n_k) * r);
                for (int j = 0; j < n_k; ++j)
                  {
                    std::copy(B.begin() + std::size_t(ks[j]) * m,
                              B.begin() + std::size_t(ks[j] + 1) * m,
                              B_block.begin() + std::size_t(j) * m);
                    const auto &t = columns[cols[ks[j]]].values;
                    for (int l = 0; l < r; ++l)
                      T_block[std::size_t(l) * n_k + j] = t[l];
                  }
                const double one = 1., zero = 0.;
                dgemm_("N",
                       "N",
                       &m,
                       &r,
                       &n_k,
                       &one,
                       B_block.data(),
                       &m,
                       T_block.data(),
                       &n_k,
                       &zero,
                       Bt.data() + std::size_t(offset) * m,
                       &m);
              }

            // C = B̃ᵀB̃ (lower triangle), column-major n_filtered².
            C.assign(std::size_t(n_filtered) * n_filtered, 0.);
            const double one = 1., zero = 0.;
            dsyrk_("L",
                   "T",
                   &n_filtered,
                   &m,
                   &one,
                   Bt.data(),
                   &m,
                   &zero,
                   C.data(),
                   &n_filtered);
            const auto entry = [&](const int i, const int j) {
              return i >= j ? C[std::size_t(j) * n_filtered + i] :
                              C[std::size_t(i) * n_filtered + j];
            };

            for (const auto &[first_a, block_a] : group_blocks)
              {
                const int r_a = columns[cols[block_a.second[0]]].size;
                auto     &g   = rhs_blocks[first_a];
                g.resize(r_a, 0.);
                for (int i = 0; i < r_a; ++i)
                  {
                    const double *column =
                      Bt.data() + std::size_t(block_a.first + i) * m;
                    double sum = 0.;
                    for (int q = 0; q < m; ++q)
                      sum += column[q] * h[group_rows[q]];
                    g[i] += sum;
                  }
                for (const auto &[first_b, block_b] : group_blocks)
                  {
                    const int r_b   = columns[cols[block_b.second[0]]].size;
                    auto     &dense = blocks[key(first_a, first_b)];
                    dense.resize(std::size_t(r_a) * r_b, 0.);
                    for (int i = 0; i < r_a; ++i)
                      for (int j = 0; j < r_b; ++j)
                        dense[std::size_t(i) * r_b + j] +=
                          entry(block_a.first + i, block_b.first + j);
                  }
              }
          }

        // Insert every block once; rows of other ranks travel in
        // GlobalAssemble.
        // Preallocated from the blocks seen here (exact unless other ranks
        // add column blocks to a row).
        std::vector<int> row_lengths(filter.map->NumMyElements(), 0);
        for (const auto &[k, dense] : blocks)
          {
            const int first_a = int(k >> 32);
            const int n_a     = int(rhs_blocks.at(first_a).size());
            const int n_b     = int(dense.size()) / n_a;
            for (int i = 0; i < n_a; ++i)
              if (filter.map->MyGID(first_a + i))
                row_lengths[filter.map->LID(first_a + i)] += n_b;
          }
        auto             N = std::make_unique<Epetra_FECrsMatrix>(Copy,
                                                      *filter.map,
                                                      row_lengths.data());
        std::vector<int> row_ids, column_ids;
        for (const auto &[k, dense] : blocks)
          {
            const int first_a = int(k >> 32), first_b = int(k & 0xffffffffu);
            const int n_b =
              static_cast<int>(dense.size() / rhs_blocks.at(first_a).size());
            const int n_a = static_cast<int>(rhs_blocks.at(first_a).size());
            row_ids.resize(n_a);
            column_ids.resize(n_b);
            for (int i = 0; i < n_a; ++i)
              row_ids[i] = first_a + i;
            for (int j = 0; j < n_b; ++j)
              column_ids[j] = first_b + j;
            // Epetra returns positive codes for warnings (storage grown).
            check(
              std::min(0,
                       N->InsertGlobalValues(n_a,
                                             row_ids.data(),
                                             n_b,
                                             column_ids.data(),
                                             dense.data(),
                                             Epetra_FECrsMatrix::ROW_MAJOR)),
              "assembling the filtered normal equations");
          }
        check(std::min(0, N->GlobalAssemble(*filter.map, *filter.map)),
              "assembling the filtered normal equations");

        auto g = std::make_unique<Epetra_FEVector>(*filter.map);
        for (const auto &[first, values] : rhs_blocks)
          {
            row_ids.resize(values.size());
            for (unsigned int i = 0; i < values.size(); ++i)
              row_ids[i] = first + i;
            check(std::min(0,
                           g->SumIntoGlobalValues(values.size(),
                                                  row_ids.data(),
                                                  values.data())),
                  "assembling the filtered right-hand side");
          }
        check(std::min(0, g->GlobalAssemble(Add)),
              "assembling the filtered right-hand side");
        return {std::move(N), std::move(g)};
      }
    } // namespace


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
      const bool         compute_condition_number)
    {
      using namespace dealii;
      const Epetra_CrsMatrix &A    = M.trilinos_matrix();
      const MPI_Comm          comm = M.get_mpi_communicator();
      const Filter filter = build_filter(A, column_blocks, filter_tolerance);

      // M̃ = M T: orthonormal column blocks (formed only where needed).
      std::unique_ptr<Epetra_CrsMatrix> Mt;
      const auto filtered_matrix = [&]() -> const Epetra_CrsMatrix & {
        if (!Mt)
          {
            Mt = std::make_unique<Epetra_CrsMatrix>(Copy, A.RowMap(), 0);
            check(EpetraExt::MatrixMatrix::Multiply(A,
                                                    false,
                                                    *filter.T,
                                                    false,
                                                    *Mt),
                  "forming M T");
          }
        return *Mt;
      };

      SolverReport  report;
      Epetra_Vector b(*filter.map);
      if (inner == "direct")
        {
          const Epetra_Vector h_vector(View, h.trilinos_vector(), 0);
          auto [N, g] = form_filtered_normal_equations(A, filter, h_vector);
          Epetra_Vector g_vector(View, *g, 0);
          solve_with_mumps(*N, b, g_vector, "SPD");
          report.iterations = 1;
          report.converged  = true;
          report.condition_estimate =
            dealii::Utilities::MPI::max(filter.worst_ratio, comm);
        }
      else
        {
          TrilinosWrappers::SparseMatrix filtered;
          filtered.reinit(filtered_matrix());
          TrilinosWrappers::MPI::Vector x = filtered_vector(*filter.map, comm);
          if (inner == "lsqr")
            {
              LeastSquaresSettings settings;
              settings.name           = "lsqr";
              settings.tolerance      = tolerance;
              settings.max_iterations = max_iterations;
              report = solve_least_squares(filtered, h, x, settings);
            }
          else // CG on the normal equations of M̃ (= Schwarz-preconditioned CG)
            {
              TrilinosWrappers::MPI::Vector rhs(x), row_vector(h);
              filtered.Tvmult(rhs, h);
              struct NormalOperator
              {
                const TrilinosWrappers::SparseMatrix &B;
                TrilinosWrappers::MPI::Vector        &tmp;
                void
                vmult(TrilinosWrappers::MPI::Vector       &dst,
                      const TrilinosWrappers::MPI::Vector &src) const
                {
                  B.vmult(tmp, src);
                  B.Tvmult(dst, tmp);
                }
              } normal{filtered, row_vector};
              SolverControl                           control(max_iterations,
                                    tolerance * rhs.l2_norm(),
                                    /*log_history=*/false,
                                    /*log_result=*/false);
              SolverCG<TrilinosWrappers::MPI::Vector> cg(control);
              double condition = std::numeric_limits<double>::quiet_NaN();
              cg.connect_condition_number_slot(
                [&condition](const double c) { condition = c; });
              try
                {
                  cg.solve(normal, x, rhs, PreconditionIdentity());
                  report.converged = true;
                }
              catch (const SolverControl::NoConvergence &)
                {
                  report.converged = false;
                }
              report.iterations = control.last_step();
              // CG estimates κ(M̃ᵀM̃) = κ(M̃)².
              report.condition_estimate = std::sqrt(condition);
            }
          for (int i = 0; i < b.MyLength(); ++i)
            b[i] = x.trilinos_vector()[0][i];
        }

      Epetra_Vector result(A.DomainMap());
      check(filter.T->Multiply(false, b, result),
            "recovering the coefficients");
      for (int i = 0; i < result.MyLength(); ++i)
        a.trilinos_vector()[0][i] = result[i];
      report.filtered_columns =
        dealii::Utilities::MPI::sum(filter.n_kept, comm);
      if (compute_condition_number)
        report.condition_number = exact_condition_number(filtered_matrix());
      return report;
    }
  } // namespace Solvers
} // namespace fbpinn
