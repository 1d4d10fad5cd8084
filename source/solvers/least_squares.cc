#include <deal.II/base/exceptions.h>
#include <deal.II/base/logstream.h>
#include <deal.II/base/mpi.h>
#include <deal.II/lac/trilinos_index_access.h>

#include <BelosEpetraAdapter.hpp>
#include <BelosLSQRSolMgr.hpp>
#include <BelosLinearProblem.hpp>
#include <SuiteSparseQR.hpp>
#include <Teuchos_ParameterList.hpp>
#include <Teuchos_RCP.hpp>

#include <fbpinn/solvers/filtered_least_squares.h>
#include <fbpinn/solvers/least_squares.h>

#include <Epetra_CrsMatrix.h>
#include <Epetra_MultiVector.h>
#include <Epetra_Operator.h>
#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdint>
#include <iostream>
#include <limits>
#include <memory>
#include <stdexcept>
#include <streambuf>
#include <vector>

namespace fbpinn
{
  namespace Solvers
  {
    namespace
    {
      using namespace dealii;

      /**
       * Belos 13.2's LSQRStatusTest::checkStatus() writes a line to std::cout
       * on every iteration, on every rank, whatever the "Verbosity" (debug
       * output left in the release). This sends std::cout to a buffer that
       * discards everything while it lives. Output from other threads to
       * std::cout during the solve is lost as well.
       */
      class SilenceStdout
      {
      public:
        SilenceStdout()
          : saved(std::cout.rdbuf(&discard))
        {}

        ~SilenceStdout()
        {
          std::cout.rdbuf(saved);
        }

        SilenceStdout(const SilenceStdout &) = delete;
        SilenceStdout &
        operator=(const SilenceStdout &) = delete;

      private:
        class DiscardBuffer : public std::streambuf
        {
        protected:
          int
          overflow(const int c) override
          {
            return traits_type::not_eof(c);
          }
        };

        DiscardBuffer   discard;
        std::streambuf *saved;
      };


      /** ‖h − M a‖₂, with r = h − M a as scratch. */
      double
      residual_norm(const TrilinosWrappers::SparseMatrix &M,
                    const TrilinosWrappers::MPI::Vector  &h,
                    const TrilinosWrappers::MPI::Vector  &a)
      {
        TrilinosWrappers::MPI::Vector r(h);
        return M.residual(r, a, h);
      }


      /**
       * Belos LSQR. Its stopping test (Belos::LSQRStatusTest, the test of
       * Paige and Saunders' LSQR) stops as soon as one of these holds, with
       * r = h − M a, ‖M‖ and cond(M) LSQR's running Frobenius-norm
       * estimates, and atol = btol = tolerance:
       *  1. ‖r‖ ≤ btol ‖h‖ + atol ‖M‖ ‖a‖, or the same with ε for both
       *     tolerances: the test for consistent systems (h ∈ range M);
       *  2. ‖Mᵀr‖ / (‖M‖ ‖r‖) ≤ atol, or ≤ ε: the test for inconsistent
       *     systems, where ‖r‖ stays bounded away from zero and only the
       *     normal-equations residual Mᵀr vanishes at the minimiser. This is
       *     what stops LSQR on a least-squares problem proper;
       *  3. cond(M) ≥ "Condition Limit", or cond(M) ≥ 1/ε (the latter is
       *     hard-coded): the estimate says M is numerically rank deficient.
       * Belos combines this test with the iteration limit by OR and reports
       * Belos::Converged whenever the test passed, the condition-limit stop
       * (3) included. We count only 1 and 2 as convergence.
       */
      SolverReport
      solve_lsqr(const TrilinosWrappers::SparseMatrix &M,
                 const TrilinosWrappers::MPI::Vector  &h,
                 TrilinosWrappers::MPI::Vector        &a,
                 const LeastSquaresSettings           &settings,
                 const double                          h_norm)
      {
        using MV = Epetra_MultiVector;
        using OP = Epetra_Operator;

        AssertThrow(settings.tolerance >= 0,
                    ExcMessage("The least-squares tolerance must be >= 0."));

        // The condition limit: 1/ε, which is also Belos' default. A larger
        // value would change nothing, because the status test also stops
        // unconditionally when cond ≥ 1/ε; a smaller one would stop LSQR
        // early on the ill-conditioned (but not numerically singular)
        // matrices that ELM produces, whose estimate grows with the
        // iterations.
        const double eps             = std::numeric_limits<double>::epsilon();
        const double condition_limit = 1. / eps;

        Teuchos::RCP<Teuchos::ParameterList> parameters =
          Teuchos::parameterList();
        parameters->set("Maximum Iterations",
                        static_cast<int>(
                          std::min<unsigned int>(settings.max_iterations,
                                                 INT_MAX)));
        parameters->set("Rel RHS Err", settings.tolerance);
        parameters->set("Rel Mat Err", settings.tolerance);
        parameters->set("Condition Limit", condition_limit);
        parameters->set("Term Iter Max", 1);
        parameters->set("Lambda", 0.);
        parameters->set("Verbosity", 0);

        // LSQR supports only a zero initial guess.
        a = 0.;
        const Teuchos::RCP<const OP> op =
          Teuchos::rcpFromRef<const OP>(M.trilinos_matrix());
        const Teuchos::RCP<MV> x = Teuchos::rcpFromRef<MV>(a.trilinos_vector());
        const Teuchos::RCP<const MV> b =
          Teuchos::rcpFromRef<const MV>(h.trilinos_vector());
        const auto problem =
          Teuchos::rcp(new Belos::LinearProblem<double, MV, OP>(op, x, b));
        AssertThrow(problem->setProblem(),
                    ExcMessage("Belos could not set up the LSQR problem."));

        Belos::LSQRSolMgr<double, MV, OP> solver(problem, parameters);
        Belos::ReturnType                 result;
        {
          SilenceStdout silence;
          result = solver.solve();
        }

        SolverReport report;
        report.iterations         = solver.getNumIters();
        report.condition_estimate = solver.getMatCondNum();
        report.converged          = (result == Belos::Converged);
        if (report.converged && report.condition_estimate >= condition_limit)
          {
            // Belos passed its test, possibly only for the condition limit:
            // re-evaluate tests 1 and 2 with the solver's final estimates.
            const double tol    = std::max(settings.tolerance, eps);
            const double r_norm = solver.getResNorm();
            const double m_norm = solver.getMatNorm();
            report.converged =
              r_norm <= tol * h_norm + tol * m_norm * a.l2_norm() ||
              solver.getMatResNorm() <= tol * m_norm * r_norm;
          }

        LogStream::Prefix prefix("lsqr");
        deallog << "iterations " << report.iterations << ", ‖M‖_F estimate "
                << solver.getMatNorm() << ", condition estimate "
                << report.condition_estimate << ", ‖Mᵀr‖ estimate "
                << solver.getMatResNorm() << std::endl;
        return report;
      }


      /** cholmod_common for the long-integer interface SPQR uses. */
      class CholmodCommon
      {
      public:
        CholmodCommon()
        {
          cholmod_l_start(&common);
        }

        ~CholmodCommon()
        {
          cholmod_l_finish(&common);
        }

        CholmodCommon(const CholmodCommon &) = delete;
        CholmodCommon &
        operator=(const CholmodCommon &) = delete;

        cholmod_common common;
      };

      /** Frees a CHOLMOD object with the common it was allocated with. */
      struct CholmodDeleter
      {
        cholmod_common *common;

        void
        operator()(cholmod_sparse *p) const
        {
          cholmod_l_free_sparse(&p, common);
        }

        void
        operator()(cholmod_dense *p) const
        {
          cholmod_l_free_dense(&p, common);
        }

        void
        operator()(cholmod_triplet *p) const
        {
          cholmod_l_free_triplet(&p, common);
        }
      };

      template <typename T>
      using CholmodPtr = std::unique_ptr<T, CholmodDeleter>;


      /** Concatenate each rank's @p local on rank 0 (empty elsewhere). */
      template <typename T>
      std::vector<T>
      gather_on_root(const std::vector<T> &local,
                     const MPI_Datatype    type,
                     const MPI_Comm        comm)
      {
        AssertThrow(local.size() <= static_cast<std::size_t>(INT_MAX),
                    ExcMessage("qr: too many matrix entries on one rank to "
                               "gather with MPI_Gatherv."));
        const int          n_local = local.size();
        const unsigned int rank    = Utilities::MPI::this_mpi_process(comm);
        const unsigned int n_ranks = Utilities::MPI::n_mpi_processes(comm);

        std::vector<int> counts(rank == 0 ? n_ranks : 0);
        int              ierr =
          MPI_Gather(&n_local, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, comm);
        AssertThrowMPI(ierr);

        std::vector<int> offsets(counts.size());
        std::int64_t     total = 0;
        for (unsigned int p = 0; p < counts.size(); ++p)
          {
            offsets[p] = static_cast<int>(total);
            total += counts[p];
            AssertThrow(total <= INT_MAX,
                        ExcMessage("qr: the matrix has too many entries to "
                                   "gather with MPI_Gatherv."));
          }

        std::vector<T> all(total);
        ierr = MPI_Gatherv(local.data(),
                           n_local,
                           type,
                           all.data(),
                           counts.data(),
                           offsets.data(),
                           type,
                           0,
                           comm);
        AssertThrowMPI(ierr);
        return all;
      }


      /** What rank 0 found, broadcast to all ranks. */
      struct QRResult
      {
        bool             ok        = false;
        double           condition = std::numeric_limits<double>::quiet_NaN();
        SuiteSparse_long rank      = -1;
        /** SPQR's count of the factorisation's flops. */
        double              flops = std::numeric_limits<double>::quiet_NaN();
        std::vector<double> x;
      };


      /**
       * Least squares by SuiteSparseQR on one process. The triplets (@p rows,
       * @p cols, @p values) and (@p h_rows, @p h_values) hold M and h in
       * global numbering.
       */
      QRResult
      serial_qr(const std::size_t                m,
                const std::size_t                n,
                const std::vector<std::int64_t> &rows,
                const std::vector<std::int64_t> &cols,
                const std::vector<double>       &values,
                const std::vector<std::int64_t> &h_rows,
                const std::vector<double>       &h_values)
      {
        CholmodCommon         workspace;
        cholmod_common *const cc = &workspace.common;
        const CholmodDeleter  deleter{cc};
        QRResult              result;

        CholmodPtr<cholmod_sparse> A;
        {
          CholmodPtr<cholmod_triplet> T(
            cholmod_l_allocate_triplet(m,
                                       n,
                                       values.size(),
                                       0,
                                       CHOLMOD_REAL,
                                       cc),
            deleter);
          if (T == nullptr)
            return result;
          auto *const Ti = static_cast<SuiteSparse_long *>(T->i);
          auto *const Tj = static_cast<SuiteSparse_long *>(T->j);
          auto *const Tx = static_cast<double *>(T->x);
          for (std::size_t k = 0; k < values.size(); ++k)
            {
              Ti[k] = rows[k];
              Tj[k] = cols[k];
              Tx[k] = values[k];
            }
          T->nnz = values.size();
          A      = CholmodPtr<cholmod_sparse>(
            cholmod_l_triplet_to_sparse(T.get(), values.size(), cc),
            deleter);
        }
        CholmodPtr<cholmod_dense> B(cholmod_l_zeros(m, 1, CHOLMOD_REAL, cc),
                                    deleter);
        if (A == nullptr || B == nullptr)
          return result;
        auto *const Bx = static_cast<double *>(B->x);
        for (std::size_t k = 0; k < h_values.size(); ++k)
          Bx[h_rows[k]] = h_values[k];

        // The expert interface, to get R (for the condition estimate) along
        // with X = E (R \ Qᵀb), the basic solution, from one factorisation.
        cholmod_dense  *X_raw = nullptr;
        cholmod_sparse *R_raw = nullptr;
        result.rank           = SuiteSparseQR<double>(SPQR_ORDERING_DEFAULT,
                                            SPQR_DEFAULT_TOL,
                                            /*econ=*/0,
                                            /*getCTX: X=*/2,
                                            A.get(),
                                            nullptr,
                                            B.get(),
                                            nullptr,
                                            &X_raw,
                                            &R_raw,
                                            nullptr,
                                            nullptr,
                                            nullptr,
                                            nullptr,
                                            cc);
        const CholmodPtr<cholmod_dense>  X(X_raw, deleter);
        const CholmodPtr<cholmod_sparse> R(R_raw, deleter);
        if (result.rank < 0 || cc->status < CHOLMOD_OK || X == nullptr)
          return result;

        const auto *const Xx = static_cast<const double *>(X->x);
        result.x.assign(Xx, Xx + n);
        result.ok    = true;
        result.flops = cc->SPQR_flopcount;

        // R is rank-by-n, in CSC with the columns in pivot order. With rank
        // detection it is "squeezed": each row's leftmost nonzero is its
        // pivot (on the diagonal when M has full column rank), and
        // dropped columns have no pivot. For a triangular matrix
        // σ_min ≤ |p| ≤ σ_max for every pivot, so max|p|/min|p| ≤ κ₂.
        if (R != nullptr && result.rank > 0)
          {
            const auto *const Rp = static_cast<const SuiteSparse_long *>(R->p);
            const auto *const Ri = static_cast<const SuiteSparse_long *>(R->i);
            const auto *const Rx = static_cast<const double *>(R->x);
            std::vector<double> pivot(R->nrow, 0.);
            for (std::size_t j = 0; j < R->ncol; ++j)
              for (SuiteSparse_long p = Rp[j]; p < Rp[j + 1]; ++p)
                if (pivot[Ri[p]] == 0.)
                  pivot[Ri[p]] = std::abs(Rx[p]);
            double max_pivot = 0.;
            double min_pivot = std::numeric_limits<double>::infinity();
            for (const double p : pivot)
              if (p > 0.)
                {
                  max_pivot = std::max(max_pivot, p);
                  min_pivot = std::min(min_pivot, p);
                }
            if (max_pivot > 0.)
              result.condition = max_pivot / min_pivot;
          }
        return result;
      }


      /**
       * SuiteSparseQR: gather M and h on rank 0, solve there, broadcast the
       * solution.
       */
      SolverReport
      solve_qr(const TrilinosWrappers::SparseMatrix &M,
               const TrilinosWrappers::MPI::Vector  &h,
               TrilinosWrappers::MPI::Vector        &a)
      {
        const MPI_Comm     comm = M.get_mpi_communicator();
        const unsigned int rank = Utilities::MPI::this_mpi_process(comm);
        const std::size_t  m    = M.m();
        const std::size_t  n    = M.n();
        AssertThrow(n + 2 <= static_cast<std::size_t>(INT_MAX),
                    ExcMessage("qr: too many unknowns to broadcast."));

        // This rank's rows of M, with global row and column numbers.
        const Epetra_CrsMatrix   &matrix = M.trilinos_matrix();
        std::vector<std::int64_t> rows, cols;
        std::vector<double>       values;
        rows.reserve(matrix.NumMyNonzeros());
        cols.reserve(matrix.NumMyNonzeros());
        values.reserve(matrix.NumMyNonzeros());
        for (int local_row = 0; local_row < matrix.NumMyRows(); ++local_row)
          {
            int       n_entries = 0;
            double   *row_values;
            int      *row_columns;
            const int ierr = matrix.ExtractMyRowView(local_row,
                                                     n_entries,
                                                     row_values,
                                                     row_columns);
            AssertThrow(ierr == 0, ExcTrilinosError(ierr));
            const std::int64_t row =
              TrilinosWrappers::global_index(matrix.RowMap(), local_row);
            for (int k = 0; k < n_entries; ++k)
              if (row_values[k] != 0.)
                {
                  rows.push_back(row);
                  cols.push_back(
                    TrilinosWrappers::global_index(matrix.ColMap(),
                                                   row_columns[k]));
                  values.push_back(row_values[k]);
                }
          }

        // This rank's entries of h.
        const Epetra_MultiVector &h_epetra = h.trilinos_vector();
        std::vector<std::int64_t> h_rows(h_epetra.MyLength());
        std::vector<double>       h_values(h_epetra.MyLength());
        for (int k = 0; k < h_epetra.MyLength(); ++k)
          {
            h_rows[k]   = TrilinosWrappers::global_index(h_epetra.Map(), k);
            h_values[k] = h_epetra[0][k];
          }

        const auto all_rows     = gather_on_root(rows, MPI_INT64_T, comm);
        const auto all_cols     = gather_on_root(cols, MPI_INT64_T, comm);
        const auto all_values   = gather_on_root(values, MPI_DOUBLE, comm);
        const auto all_h_rows   = gather_on_root(h_rows, MPI_INT64_T, comm);
        const auto all_h_values = gather_on_root(h_values, MPI_DOUBLE, comm);
        rows.clear();
        cols.clear();
        values.clear();

        // Rank 0 solves; then [status, condition, rank, x] goes to all.
        // Exceptions on rank 0 are caught so that the others do not wait in
        // the broadcast forever.
        std::vector<double> buffer(4 + n, 0.);
        std::string         error;
        if (rank == 0)
          {
            try
              {
                const QRResult result = serial_qr(m,
                                                  n,
                                                  all_rows,
                                                  all_cols,
                                                  all_values,
                                                  all_h_rows,
                                                  all_h_values);
                buffer[0]             = result.ok ? 1. : 0.;
                buffer[1]             = result.condition;
                buffer[2]             = result.rank;
                buffer[3]             = result.flops;
                if (result.ok)
                  std::copy(result.x.begin(),
                            result.x.end(),
                            buffer.begin() + 4);
              }
            catch (const std::exception &e)
              {
                buffer[0] = -1.;
                error     = e.what();
              }
          }
        const int ierr = MPI_Bcast(buffer.data(),
                                   static_cast<int>(buffer.size()),
                                   MPI_DOUBLE,
                                   0,
                                   comm);
        AssertThrowMPI(ierr);
        if (buffer[0] < 0.)
          throw std::runtime_error(
            "qr: the solve on rank 0 failed" +
            (error.empty() ? std::string() : ": " + error));

        SolverReport report;
        report.iterations         = 1;
        report.converged          = (buffer[0] == 1.);
        report.condition_estimate = buffer[1];
        report.flops              = buffer[3];
        for (const auto i : a.locally_owned_elements())
          a[i] = report.converged ? buffer[4 + i] : 0.;
        a.compress(VectorOperation::insert);

        LogStream::Prefix prefix("qr");
        deallog << (report.converged ? "" : "failed, ") << "numerical rank "
                << static_cast<long>(buffer[2]) << " of " << n
                << " columns, pivot ratio " << report.condition_estimate
                << std::endl;
        return report;
      }
    } // namespace


    SolverReport
    solve_least_squares(const dealii::TrilinosWrappers::SparseMatrix &M,
                        const dealii::TrilinosWrappers::MPI::Vector  &h,
                        dealii::TrilinosWrappers::MPI::Vector        &a,
                        const LeastSquaresSettings                   &settings)
    {
      using namespace dealii;

      const bool filtered = settings.name == "filtered-direct" ||
                            settings.name == "filtered-lsqr" ||
                            settings.name == "schwarz-cg";
      if (settings.name != "lsqr" && settings.name != "qr" &&
          settings.name != "normal-direct" && !filtered)
        throw std::invalid_argument(
          "Unknown least-squares solver '" + settings.name +
          "'; the known ones are: lsqr, qr, normal-direct, filtered-direct, "
          "filtered-lsqr, schwarz-cg.");
      if (filtered && settings.column_blocks == nullptr)
        throw std::invalid_argument(
          settings.name +
          " needs the column blocks (subdomains) of the matrix");
      AssertThrow(!a.has_ghost_elements(),
                  ExcMessage("The least-squares solution vector must not "
                             "have ghost entries."));
      AssertThrow(M.trilinos_matrix().DomainMap().SameAs(
                    a.trilinos_vector().Map()),
                  ExcMessage("The least-squares solution vector must be "
                             "partitioned like the matrix' columns."));
      AssertThrow(M.trilinos_matrix().RangeMap().SameAs(
                    h.trilinos_vector().Map()),
                  ExcMessage("The least-squares right-hand side must be "
                             "partitioned like the matrix' rows."));

      const double h_norm = h.l2_norm();
      SolverReport report;
      if (h_norm == 0.)
        {
          a                 = 0.;
          report.converged  = true;
          report.iterations = 0;
          report.residual   = 0.;
        }
      else
        {
          if (settings.name == "lsqr")
            report = solve_lsqr(M, h, a, settings, h_norm);
          else if (settings.name == "qr")
            report = solve_qr(M, h, a);
          else if (settings.name == "normal-direct")
            report = solve_normal_direct(M, h, a);
          else
            report =
              solve_filtered(M,
                             h,
                             a,
                             *settings.column_blocks,
                             settings.filter_tolerance,
                             settings.name == "filtered-direct" ? "direct" :
                             settings.name == "filtered-lsqr"   ? "lsqr" :
                                                                  "cg",
                             settings.tolerance,
                             settings.max_iterations,
                             settings.compute_condition_number);
          if (settings.compute_condition_number && !filtered)
            report.condition_number =
              exact_condition_number(M.trilinos_matrix());
          report.residual = residual_norm(M, h, a) / h_norm;
        }
      report.name = settings.name;
      if (!std::isfinite(report.residual) || !std::isfinite(a.l2_norm()))
        report.converged = false;
      return report;
    }
  } // namespace Solvers
} // namespace fbpinn
