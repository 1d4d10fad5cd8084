#include <deal.II/base/index_set.h>
#include <deal.II/base/mpi.h>
#include <deal.II/lac/lapack_templates.h>
#include <deal.II/lac/precondition.h>
#include <deal.II/lac/solver_cg.h>
#include <deal.II/lac/solver_control.h>

#include <fbpinn/solvers/filtered_least_squares.h>
#include <fbpinn/solvers/least_squares.h>

#include <EpetraExt_MatrixMatrix.h>
#include <Epetra_CrsMatrix.h>
#include <Epetra_FECrsMatrix.h>
#include <Epetra_FEVector.h>
#include <Epetra_Import.h>
#include <Epetra_LinearProblem.h>
#include <Epetra_Map.h>
#include <Epetra_MpiComm.h>
#include <Epetra_Vector.h>
#include <algorithm>
#include <cmath>
#include <dmumps_c.h>
#include <limits>
#include <map>
#include <memory>
#include <mpi.h>
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


      /**
       * A symmetric system N x = g solved with MUMPS, called directly.
       *
       * N is given as the lower triangle in distributed coordinate form
       * (0-based global ids; MUMPS' distributed assembled input, ICNTL(18) =
       * 3): each rank passes the entries it computed, and MUMPS sums
       * duplicates, also across ranks, so the caller never assembles a
       * distributed matrix.
       *
       * Amesos_Mumps (Trilinos 13.2) is not used here because it (i) takes the
       * symmetry from a parameter "MatrixType" and silently factorises SPD
       * matrices by unsymmetric LU otherwise (twice the flops), (ii) needs the
       * full matrix assembled in Epetra and re-imports and re-completes it four
       * times between analysis and factorisation (0.5 s of the 16², K = 64
       * case), (iii) copies its uninitialised CNTL defaults over MUMPS' own,
       * and (iv) calls exit() on any MUMPS error instead of returning it.
       *
       * @p spd: N is positive definite (LDLᵀ without pivoting, SYM = 1);
       * otherwise symmetric indefinite with pivoting (SYM = 2). Returns the
       * flops of the factorisation (RINFOG(3)).
       */
      double
      solve_symmetric_with_mumps(const MPI_Comm       comm,
                                 const int            n,
                                 std::vector<int>    &rows,
                                 std::vector<int>    &columns,
                                 std::vector<double> &values,
                                 const Epetra_Vector &g,
                                 Epetra_Vector       &x,
                                 const bool           spd)
      {
        DMUMPS_STRUC_C id{};
        id.comm_fortran = static_cast<MUMPS_INT>(MPI_Comm_c2f(comm));
        id.par          = 1; // the host takes part in the factorisation
        id.sym          = spd ? 1 : 2;
        id.job          = -1;
        dmumps_c(&id);
        const auto icntl = [&id](const int i) -> MUMPS_INT & {
          return id.icntl[i - 1];
        };
        const auto finish = [&](const char *phase) {
          const int info1 = id.infog[0], info2 = id.infog[1];
          if (info1 < 0)
            {
              id.job = -2;
              dmumps_c(&id);
              throw std::runtime_error(
                std::string("MUMPS ") + phase +
                " failed with INFOG(1) = " + std::to_string(info1) +
                ", INFOG(2) = " + std::to_string(info2) +
                (info1 == -10 ? " (numerically singular matrix)" :
                 info1 == -9 || info1 == -8 || info1 == -13 ?
                                " (out of memory)" :
                                ""));
            }
        };
        finish("initialisation");
        // Quiet: no MUMPS diagnostics on stdout.
        icntl(1)  = -1;
        icntl(2)  = -1;
        icntl(3)  = -1;
        icntl(4)  = 0;
        icntl(5)  = 0; // assembled format
        icntl(18) = 3; // distributed entries, duplicates summed
        // QAMD ordering: MUMPS' automatic choice (PORD; Debian's MUMPS has
        // no METIS or SCOTCH) needed 2.8× the flops on the filtered normal
        // equations (3.7e10 against 1.3e10 for n = 4, 16², K = 64; AMF 1.5e10),
        // and a METIS nested dissection of the subdomain graph did no better.
        icntl(7) = 6;
        // Working memory: 50% more than MUMPS estimates (raised below if
        // pivoting in the indefinite case exceeds it).
        icntl(14) = 50;

        id.n       = n;
        id.nnz_loc = rows.size();
        for (auto &r : rows)
          ++r; // MUMPS counts from 1
        for (auto &c : columns)
          ++c;
        id.irn_loc = rows.data();
        id.jcn_loc = columns.data();
        id.a_loc   = values.data();
        id.job     = 1;
        dmumps_c(&id);
        finish("analysis");
        // Delayed pivots (indefinite case) can outgrow the working space
        // (INFOG(1) = -8 or -9): factorise again with more, as MUMPS advises.
        for (int attempt = 0;; ++attempt)
          {
            id.job = 2;
            dmumps_c(&id);
            if ((id.infog[0] != -8 && id.infog[0] != -9) || attempt == 4)
              break;
            icntl(14) *= 4;
          }
        finish("factorisation");

        // Centralised right-hand side and solution on rank 0.
        const Epetra_Map on_root(n, g.Comm().MyPID() == 0 ? n : 0, 0, g.Comm());
        Epetra_Import    importer(on_root, g.Map());
        Epetra_Vector    rhs(on_root);
        check(rhs.Import(g, importer, Insert), "gathering the right-hand side");
        id.rhs = rhs.Values();
        id.job = 3;
        dmumps_c(&id);
        finish("solve");
        check(x.Export(rhs, importer, Insert), "scattering the solution");
        const double flops = id.rinfog[2];
        id.job             = -2;
        dmumps_c(&id);
        return flops;
      }


      /** Solve N b = Bᵀh with N = BᵀB for an Epetra matrix B; returns b on
       * B's domain map, and MUMPS' flop count in @p flops. */
      Epetra_Vector
      solve_normal_equations(const Epetra_CrsMatrix &B,
                             const Epetra_Vector    &h,
                             const bool              spd,
                             double                 &flops)
      {
        Epetra_CrsMatrix N(Copy, B.DomainMap(), 0);
        check(EpetraExt::MatrixMatrix::Multiply(B, true, B, false, N),
              "forming the normal equations");
        Epetra_Vector g(B.DomainMap()), b(B.DomainMap());
        check(B.Multiply(true, h, g), "forming the normal right-hand side");
        std::vector<int>    rows, columns;
        std::vector<double> entries;
        for (int row = 0; row < N.NumMyRows(); ++row)
          {
            int     n_entries;
            double *values;
            int    *indices;
            N.ExtractMyRowView(row, n_entries, values, indices);
            const int global_row = N.GRID(row);
            for (int k = 0; k < n_entries; ++k)
              if (N.GCID(indices[k]) <= global_row)
                {
                  rows.push_back(global_row);
                  columns.push_back(N.GCID(indices[k]));
                  entries.push_back(values[k]);
                }
          }
        flops = solve_symmetric_with_mumps(
          dynamic_cast<const Epetra_MpiComm &>(B.Comm()).Comm(),
          N.NumGlobalRows(),
          rows,
          columns,
          entries,
          g,
          b,
          spd);
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
          dealii::gesdd("N",
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
          dealii::gesdd("N",
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
      SolverReport        report;
      const Epetra_Vector b = solve_normal_equations(M.trilinos_matrix(),
                                                     h_vector,
                                                     false,
                                                     report.flops);
      for (int i = 0; i < b.MyLength(); ++i)
        a.trilinos_vector()[0][i] = b[i];
      report.iterations = 1;
      report.converged  = true;
      return report;
    }


    namespace
    {

      /** The entries of M by column (compressed sparse columns), for the
       * columns this rank owns in M's domain map: start[c] … start[c+1] index
       * rows (global ids) and values of owned column c (local id). */
      struct ColumnEntries
      {
        std::vector<int>    start;
        std::vector<int>    rows;
        std::vector<double> values;
      };


      /**
       * M's columns with all their rows, gathered on the ranks that own the
       * columns: the local rows are sorted into columns, and the entries of
       * columns owned elsewhere (rows of cells next to another rank's
       * subdomains) are sent to their owners. This replaces a full
       * EpetraExt transpose, which builds, sorts and completes a second
       * distributed matrix (0.25 s of the 16², K = 64 case) where only the
       * owned columns' entries are needed.
       */
      ColumnEntries
      gather_columns(const Epetra_CrsMatrix &A)
      {
        const Epetra_Map &domain    = A.DomainMap();
        const Epetra_Map &col_map   = A.ColMap();
        const int         n_columns = col_map.NumMyElements();

        // The owner of each column of the local rows.
        std::vector<int> gids(col_map.MyGlobalElements(),
                              col_map.MyGlobalElements() + n_columns);
        std::vector<int> owners(n_columns), lids(n_columns);
        check(domain.RemoteIDList(n_columns,
                                  gids.data(),
                                  owners.data(),
                                  lids.data()),
              "finding the owners of the columns");
        const int my_rank = A.Comm().MyPID();

        // Local entries by column; those of remote columns packed per owner
        // as (column, row) pairs and values.
        std::vector<int> count(domain.NumMyElements() + 1, 0);
        std::map<unsigned int, std::pair<std::vector<int>, std::vector<double>>>
          outgoing;
        for (int row = 0; row < A.NumMyRows(); ++row)
          {
            int     n;
            double *v;
            int    *c;
            A.ExtractMyRowView(row, n, v, c);
            const int global_row = A.GRID(row);
            for (int k = 0; k < n; ++k)
              if (owners[c[k]] == my_rank)
                ++count[lids[c[k]] + 1];
              else
                {
                  auto &[indices, values] = outgoing[owners[c[k]]];
                  indices.push_back(gids[c[k]]);
                  indices.push_back(global_row);
                  values.push_back(v[k]);
                }
          }
        const auto incoming = dealii::Utilities::MPI::some_to_some(
          dynamic_cast<const Epetra_MpiComm &>(A.Comm()).Comm(),
          outgoing);
        for (const auto &[rank, message] : incoming)
          for (std::size_t e = 0; e < message.second.size(); ++e)
            ++count[domain.LID(message.first[2 * e]) + 1];

        ColumnEntries result;
        for (std::size_t c = 1; c < count.size(); ++c)
          count[c] += count[c - 1];
        result.start = count;
        result.rows.resize(count.back());
        result.values.resize(count.back());
        for (int row = 0; row < A.NumMyRows(); ++row)
          {
            int     n;
            double *v;
            int    *c;
            A.ExtractMyRowView(row, n, v, c);
            const int global_row = A.GRID(row);
            for (int k = 0; k < n; ++k)
              if (owners[c[k]] == my_rank)
                {
                  const int at      = count[lids[c[k]]]++;
                  result.rows[at]   = global_row;
                  result.values[at] = v[k];
                }
          }
        for (const auto &[rank, message] : incoming)
          for (std::size_t e = 0; e < message.second.size(); ++e)
            {
              const int at      = count[domain.LID(message.first[2 * e])]++;
              result.rows[at]   = message.first[2 * e + 1];
              result.values[at] = message.second[e];
            }
        return result;
      }

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
        const ColumnEntries columns_of = gather_columns(A);

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
        std::vector<int>   touched;
        std::vector<long>  reference_position;
        for (unsigned int j = 0; j < column_blocks.size(); ++j)
          {
            Block    &f = blocks[j];
            const int K = column_blocks[j].size();
            f.columns.assign(column_blocks[j].begin(), column_blocks[j].end());

            // The rows touching the block, by global id, in increasing order
            // so that the QR does not depend on the distribution of rows.
            // The columns of one block nearly always list the same rows in
            // the same order (those of its support), so the first column's
            // list is the reference and only deviations are searched.
            std::vector<int> local(K);
            for (int c = 0; c < K; ++c)
              {
                local[c] = A.DomainMap().LID(f.columns[c]);
                if (local[c] < 0)
                  throw std::logic_error("a column block is not owned here");
              }
            const int *reference =
              columns_of.rows.data() + columns_of.start[local[0]];
            const int n_reference =
              columns_of.start[local[0] + 1] - columns_of.start[local[0]];
            const auto same_as_reference = [&](const int c, const int k) {
              const int offset = k - columns_of.start[local[c]];
              return offset < n_reference &&
                     columns_of.rows[k] == reference[offset];
            };
            touched.assign(reference, reference + n_reference);
            for (int c = 1; c < K; ++c)
              for (int k = columns_of.start[local[c]];
                   k < columns_of.start[local[c] + 1];
                   ++k)
                if (!same_as_reference(c, k))
                  touched.push_back(columns_of.rows[k]);
            std::sort(touched.begin(), touched.end());
            touched.erase(std::unique(touched.begin(), touched.end()),
                          touched.end());
            const int m = touched.size();
            if (m == 0)
              continue; // no row touches the block: its coefficients stay 0
            const auto position = [&](const int row) {
              return std::lower_bound(touched.begin(), touched.end(), row) -
                     touched.begin();
            };
            reference_position.resize(n_reference);
            for (int k = 0; k < n_reference; ++k)
              reference_position[k] = position(reference[k]);

            // M_j, column-major, m × K.
            std::vector<double> B(std::size_t(m) * K, 0.);
            for (int c = 0; c < K; ++c)
              for (int k = columns_of.start[local[c]];
                   k < columns_of.start[local[c] + 1];
                   ++k)
                B[std::size_t(c) * m +
                  (same_as_reference(c, k) ?
                     reference_position[k - columns_of.start[local[c]]] :
                     position(columns_of.rows[k]))] = columns_of.values[k];

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
      struct FilteredNormalEquations
      {
        // N's lower triangle (this rank's contributions, 0-based global ids).
        std::vector<int>                 rows, columns;
        std::vector<double>              values;
        std::unique_ptr<Epetra_FEVector> g;
      };


      FilteredNormalEquations
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
                dealii::gemm("N",
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
            dealii::syrk("L",
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
                    if (first_b > first_a)
                      break; // the lower triangle is enough (SPD solver)
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

        // The lower triangle as coordinates, for MUMPS, which sums the
        // contributions of all ranks.
        FilteredNormalEquations result;
        std::size_t             n_entries = 0;
        for (const auto &[k, dense] : blocks)
          n_entries += dense.size();
        result.rows.reserve(n_entries);
        result.columns.reserve(n_entries);
        result.values.reserve(n_entries);
        for (const auto &[k, dense] : blocks)
          {
            const int first_a = int(k >> 32), first_b = int(k & 0xffffffffu);
            const int n_a = static_cast<int>(rhs_blocks.at(first_a).size());
            const int n_b = static_cast<int>(dense.size()) / n_a;
            for (int i = 0; i < n_a; ++i)
              for (int j = 0; j < n_b; ++j)
                if (first_a + i >= first_b + j)
                  {
                    result.rows.push_back(first_a + i);
                    result.columns.push_back(first_b + j);
                    result.values.push_back(dense[std::size_t(i) * n_b + j]);
                  }
          }

        std::vector<int> row_ids;
        auto             g = std::make_unique<Epetra_FEVector>(*filter.map);
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
        result.g = std::move(g);
        return result;
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
          auto N = form_filtered_normal_equations(A, filter, h_vector);
          const Epetra_Vector g_vector(View, *N.g, 0);
          report.flops =
            solve_symmetric_with_mumps(comm,
                                       filter.map->NumGlobalElements(),
                                       N.rows,
                                       N.columns,
                                       N.values,
                                       g_vector,
                                       b,
                                       true);
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
