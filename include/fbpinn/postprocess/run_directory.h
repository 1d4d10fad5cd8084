#pragma once

#include <deal.II/base/mpi.h>

#include <fbpinn/postprocess/metrics.h>

#include <string>
#include <vector>

namespace fbpinn
{
  /**
   * The output directory of one run, written so that its contents are always
   * one consistent set.
   *
   * Everything a run writes (parameters.prm, training.csv, checkpoints, the
   * solution, metrics.json) goes into a fresh staging directory
   * `<Output directory>/run-<id>.partial`, where `<id>` is the UTC start time
   * and the process id of rank 0. Only when the run has succeeded does
   * publish() move the files into the output directory: it first removes
   * metrics.json, then the files of the previous run that this run does not
   * write again, moves the new files in and renames metrics.json (which names
   * all of them, with the run id) last. A reader that finds metrics.json
   * finds the set it names.
   *
   * A run that fails leaves the previous run's files untouched. Its staging
   * directory is removed unless it holds something worth reading (a training
   * checkpoint to resume from, the metrics of a failed solve, the finished
   * cycles of a sweep), in which case it is kept and the error names it. A
   * run that is killed leaves its staging directory behind; the next run
   * mentions it and leaves it alone.
   *
   * All file operations happen on rank 0 (the other ranks write their pieces
   * of the solution into the staging directory), and every step that can
   * fail is collective: a failure ends every rank with the same message.
   */
  class RunDirectory
  {
  public:
    /**
     * Create @p directory (if missing) and the staging directory inside it,
     * after checking that the names the run will write are not taken by
     * directories. @p parameter_file names the run in error messages.
     * Collective.
     */
    RunDirectory(const std::string &directory,
                 const std::string &parameter_file,
                 const MPI_Comm     comm);

    /** Removes or keeps the staging directory of a run that did not
     * publish(), as abandon() does. */
    ~RunDirectory();

    RunDirectory(const RunDirectory &) = delete;
    RunDirectory &
    operator=(const RunDirectory &) = delete;

    /** Where the run writes while it runs. */
    const std::string &
    staging() const;

    /**
     * Write metrics.json of @p metrics, with the run id and the list of
     * the run's files, and move the staged files into the output directory
     * (see the class documentation). Collective.
     */
    void
    publish(const RunMetrics &metrics);

    /**
     * The run failed: on rank 0, remove the staging directory, or keep it if
     * it holds more than parameters.prm. Returns the kept directory, or an
     * empty string. Not collective (it may run on a rank whose partners are
     * gone); safe to call more than once.
     */
    std::string
    abandon();

  private:
    const std::string directory_name;
    const MPI_Comm    comm;
    const bool        root;
    std::string       id;
    std::string       staging_name;
    bool              finished = false;
  };
} // namespace fbpinn
