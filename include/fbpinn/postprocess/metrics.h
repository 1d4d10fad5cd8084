#pragma once

#include <deal.II/base/mpi.h>
#include <deal.II/base/types.h>

#include <fbpinn/postprocess/error_evaluation.h>
#include <fbpinn/solvers/nonlinear.h>

#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace fbpinn
{
  /**
   * Wall-clock seconds spent in each phase of a run, maximum over ranks.
   * `total` = setup + assembly + solve: the cost of producing the solution.
   * Mesh creation (shared by all methods), error evaluation and output are
   * reported beside it and not counted in it.
   */
  struct Timings
  {
    double mesh             = 0;
    double setup            = 0;
    double assembly         = 0;
    double solve            = 0;
    double error_evaluation = 0;
    double output           = 0;

    double
    total() const
    {
      return setup + assembly + solve;
    }
  };

  /** What a linear (or nonlinear) solver reports. */
  struct SolverReport
  {
    std::string  name;
    unsigned int iterations = 0;
    bool         converged  = false;
    /** The final relative residual ‖b − Ax‖/‖b‖, recomputed after the solve. */
    double residual = std::numeric_limits<double>::quiet_NaN();
    /** A condition estimate if the solver provides one, else NaN (null in
     * JSON). */
    double condition_estimate = std::numeric_limits<double>::quiet_NaN();
    /** The exact 2-norm condition number σ_max/σ_min of the matrix the
     * solver worked on (for filtered solvers the filtered matrix M T), by a
     * dense SVD; NaN unless requested ('Compute condition number'). */
    double condition_number = std::numeric_limits<double>::quiet_NaN();
    /** The columns a filtered solver kept (0 for the other solvers). */
    unsigned int filtered_columns = 0;
    /** The floating-point operations of the factorisation, where a direct
     * solver counts them (qr: SuiteSparseQR's SPQR_flopcount; normal-direct
     * and filtered-direct: MUMPS' RINFOG(3)), summed over the solves of a
     * run (Gauss–Newton steps, time slabs); NaN (null in JSON) otherwise. A
     * measure of cost that does not depend on the machine or its load. */
    double flops = std::numeric_limits<double>::quiet_NaN();
    /** Why the result may not be trusted although the solve converged (a
     * problem at a resonance), or empty; null in JSON when empty. */
    std::string warning;
    /** The nonlinear iteration (Newton, Gauss–Newton), where there was one;
     * `name`, `iterations` and `residual` above are then its own. */
    Solvers::NonlinearReport nonlinear;
  };

  /**
   * The report of a finished nonlinear iteration @p iteration (`nonlinear`,
   * named "<method>+<linear solver>", its iterations, whether it converged,
   * and its final relative residual ‖R_k‖/‖R_0‖), on top of the report of its
   * last linear step @p last_step; @p linear_solver names the linear solver
   * when no step was taken.
   */
  SolverReport
  nonlinear_solver_report(const SolverReport             &last_step,
                          const std::string              &method,
                          const std::string              &linear_solver,
                          const Solvers::NonlinearReport &iteration);

  /** Everything metrics.json holds for one run (one refinement cycle). */
  struct RunMetrics
  {
    std::string problem;
    std::string method;
    /** The spatial dimension (`Dimension`). */
    unsigned int dimension = 0;
    /** A time-dependent problem on [0, end_time] (solved in space-time: its
     * mesh has dimension + 1 dimensions). */
    bool                            time_dependent = false;
    double                          end_time       = 0;
    unsigned int                    mpi_ranks      = 0;
    unsigned int                    cycle          = 0;
    dealii::types::global_dof_index n_dofs         = 0;
    dealii::types::global_dof_index n_rows         = 0;
    dealii::types::global_dof_index n_subdomains   = 0;
    /** Stored nonzeros of the system matrix (FEM: A, ELM: M). */
    dealii::types::global_dof_index n_nonzeros = 0;
    unsigned int                    n_levels   = 1;
    /** The errors of all fields together (errors.relative_l2 ...). */
    ErrorNorms errors;
    /** What the errors are measured against (errors.reference): "exact",
     * "fem" (a reference solution) or "none" (no errors: NaN, null in
     * metrics.json). */
    std::string error_reference = "exact";
    /** Each field's errors, by name (errors.fields.<name>). */
    std::vector<std::pair<std::string, ErrorNorms>> field_errors;
    /** A time-dependent problem: the relative L2 error over all fields at
     * t = T (errors.final_time); NaN otherwise (null). */
    double final_time_relative_l2 = std::numeric_limits<double>::quiet_NaN();
    /** The time steps of fem's method of lines (0 for other methods). */
    unsigned int time_steps = 0;
    /** `Point values`: u_h of every field and its gradient (in space for
     * a time-dependent problem) at each point, beside the exact ones
     * (empty without an exact solution). */
    struct PointValue
    {
      std::vector<double>              point, values, exact;
      std::vector<std::vector<double>> gradients, exact_gradients;
    };
    std::vector<PointValue> point_values;
    SolverReport            solver;
    Timings                 timings;
    /** Sum over ranks of each rank's peak resident set size. */
    double peak_rss_mb = 0;
    /** The largest peak resident set size of one rank. */
    double peak_rss_mb_max_rank = 0;
  };

  /** Peak resident set sizes of this process, summed and maximised over the
   * ranks of @p comm, in MiB: {sum, max}. */
  std::pair<double, double>
  peak_rss_mb(const MPI_Comm comm);

  /** The metrics as a JSON object (keys of DESIGN §8); a published run adds
   * its @p run_id and the names of its @p files. */
  std::string
  to_json(const RunMetrics               &metrics,
          const std::string              &run_id = "",
          const std::vector<std::string> &files  = {});

  /**
   * Write @p contents to @p filename atomically: to a temporary file in the
   * same directory, then renamed over the target, so that an interrupted run
   * never leaves a truncated file behind. If writing fails (a full disk),
   * the temporary file is removed and the error names the file and the
   * reason.
   */
  void
  write_file_atomically(const std::string &filename,
                        const std::string &contents);
} // namespace fbpinn
