#pragma once

#include <deal.II/base/mpi.h>

#include <fbpinn/parameters.h>
#include <fbpinn/postprocess/metrics.h>

#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

namespace fbpinn
{
  /** Bad input: a parameter file, an entry, a value, a plugin. The message is
   * one line that names the file, the entry and what is allowed. */
  class InputError : public std::runtime_error
  {
  public:
    using std::runtime_error::runtime_error;
  };

  /** A solve that did not converge or produced a non-finite solution. */
  class SolverFailure : public std::runtime_error
  {
  public:
    using std::runtime_error::runtime_error;
  };

  /** The one-line text of any exception, deal.II's multi-line ones included. */
  std::string
  one_line_message(const std::exception &exception);

  /**
   * Read @p parameter_file into @p prm: load its `Additional shared
   * libraries`, declare every entry and parse. Bad input throws InputError.
   */
  GlobalParameters
  read_parameter_file(const std::string        &parameter_file,
                      dealii::ParameterHandler &prm);

  /**
   * Run a parameter file from start to end: read it, build the mesh, solve
   * with the chosen method on each refinement cycle, measure the errors, and
   * write parameters.prm, metrics.json, solution.pvtu and (for sweeps)
   * convergence.csv. Progress and the one-line summary go to @p out on rank 0.
   *
   * @return the metrics of every cycle.
   */
  std::vector<RunMetrics>
  run(const std::string &parameter_file,
      const MPI_Comm     comm,
      std::ostream      &out);
} // namespace fbpinn
