#include <deal.II/base/mpi.h>

#include <fbpinn/driver.h>
#include <fbpinn/parallel/collective.h>

#include <chrono>
#include <iostream>
#include <thread>

namespace fbpinn
{
  namespace Parallel
  {
    using namespace dealii;

    void
    collectively(const MPI_Comm comm, const std::function<void()> &work)
    {
      // 'I' marks an InputError, 'R' any other exception, "" no error.
      std::string error;
      try
        {
          work();
        }
      catch (const InputError &e)
        {
          error = std::string("I") + e.what();
        }
      catch (const std::exception &e)
        {
          error = "R" + one_line_message(e);
        }
      catch (...)
        {
          error = "Runknown exception";
        }

      if (Utilities::MPI::n_mpi_processes(comm) > 1)
        {
          const std::vector<std::string> all =
            Utilities::MPI::all_gather(comm, error);
          for (const std::string &e : all)
            if (!e.empty())
              {
                error = e;
                break;
              }
        }
      if (error.empty())
        return;
      if (error[0] == 'I')
        throw InputError(error.substr(1));
      throw std::runtime_error(error.substr(1));
    }


    void
    on_root_collectively(const MPI_Comm comm, const std::function<void()> &work)
    {
      collectively(comm, [&]() {
        if (Utilities::MPI::this_mpi_process(comm) == 0)
          work();
      });
    }


    ErrorAgreement::ErrorAgreement(const MPI_Comm comm_in)
      : comm(Utilities::MPI::duplicate_communicator(comm_in))
    {}


    ErrorAgreement::~ErrorAgreement()
    {
      Utilities::MPI::free_communicator(comm);
    }


    int
    ErrorAgreement::end_with_error(const std::string &message,
                                   const double       timeout_seconds)
    {
      const unsigned int rank    = Utilities::MPI::this_mpi_process(comm);
      const unsigned int n_ranks = Utilities::MPI::n_mpi_processes(comm);
      if (n_ranks == 1)
        {
          std::cerr << "fbpinn: error: " << message << std::endl;
          return 1;
        }

      MPI_Request request;
      MPI_Ibarrier(comm, &request);
      const auto start = std::chrono::steady_clock::now();
      int        done  = 0;
      while (true)
        {
          MPI_Test(&request, &done, MPI_STATUS_IGNORE);
          if (done || std::chrono::duration<double>(
                        std::chrono::steady_clock::now() - start)
                          .count() > timeout_seconds)
            break;
          std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
      if (done)
        {
          if (rank == 0)
            std::cerr << "fbpinn: error: " << message << std::endl;
          return 1;
        }
      std::cerr << "fbpinn: error (rank " << rank << " of " << n_ranks
                << "; stopping all ranks): " << message << std::endl;
      MPI_Abort(MPI_COMM_WORLD, 1);
      return 1;
    }
  } // namespace Parallel
} // namespace fbpinn
