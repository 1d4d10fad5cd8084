#pragma once

#include <deal.II/base/mpi.h>

#include <functional>
#include <string>
#include <vector>

namespace fbpinn
{
  /**
   * Error handling that keeps the MPI ranks of a run together.
   *
   * An exception thrown on one rank only (a file rank 0 cannot write, a
   * full disk under one rank's piece of the output) would leave the other
   * ranks waiting forever in their next collective call. Work that can fail
   * on some ranks therefore goes through collectively() or
   * on_root_collectively(): afterwards every rank knows whether any rank
   * failed, and all of them throw the same exception, so the run ends on
   * every rank with the same one-line message.
   */
  namespace Parallel
  {
    /**
     * Run @p work on every rank of @p comm, then agree on the outcome: if it
     * threw on any rank, every rank throws the exception of the lowest rank
     * that failed (an InputError stays an InputError, anything else becomes
     * std::runtime_error with the same message). Collective.
     */
    void
    collectively(const MPI_Comm comm, const std::function<void()> &work);

    /** As collectively(), with @p work run on rank 0 only. */
    void
    on_root_collectively(const MPI_Comm               comm,
                         const std::function<void()> &work);

    /** The entries of the distributed vector @p v by global index, on rank
     * 0 (empty on the others): what a checkpoint written on rank 0 holds.
     * Collective. */
    template <typename VectorType>
    std::vector<double>
    gather_on_root(const VectorType &v, const MPI_Comm comm)
    {
      std::vector<double> local;
      for (const auto i : v.locally_owned_elements())
        {
          local.push_back(static_cast<double>(i));
          local.push_back(v(i));
        }
      const auto          all = dealii::Utilities::MPI::gather(comm, local, 0);
      std::vector<double> values;
      if (dealii::Utilities::MPI::this_mpi_process(comm) == 0)
        {
          values.assign(v.size(), 0.);
          for (const auto &part : all)
            for (std::size_t k = 0; k + 1 < part.size(); k += 2)
              values[static_cast<std::size_t>(part[k])] = part[k + 1];
        }
      return values;
    }


    /**
     * The end of a run that failed with an exception on some rank: the last
     * line of defence against a rank left waiting.
     *
     * Created at start-up (it duplicates @p comm, a collective call), used
     * in main()'s catch block. end_with_error() waits a few seconds, on its
     * own communicator so that it cannot match any collective call of the
     * run, for every rank to arrive with an error of its own. If they all
     * do, the error was collective: rank 0 prints its message and every
     * rank returns normally with a non-zero exit code. If some rank does not
     * arrive, it is stuck (or still computing) with no way to learn of the
     * error: this rank prints its message, marked with its rank, and calls
     * MPI_Abort, which ends every rank.
     */
    class ErrorAgreement
    {
    public:
      explicit ErrorAgreement(const MPI_Comm comm);
      ~ErrorAgreement();

      ErrorAgreement(const ErrorAgreement &) = delete;
      ErrorAgreement &
      operator=(const ErrorAgreement &) = delete;

      /**
       * Print `fbpinn: error: <message>` once and make sure every rank
       * ends. Returns the exit code if all ranks failed together; does not
       * return otherwise.
       */
      int
      end_with_error(const std::string &message,
                     const double       timeout_seconds = 10.);

    private:
      MPI_Comm comm;
    };
  } // namespace Parallel
} // namespace fbpinn
