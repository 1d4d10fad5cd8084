#include <deal.II/base/mpi.h>
#include <deal.II/base/utilities.h>

#include <fbpinn/postprocess/metrics.h>
#include <fbpinn/postprocess/output.h>

#include <sstream>

namespace fbpinn
{
  template <int dim>
  void
  write_pvtu(const dealii::DataOut<dim> &data_out,
             const std::string          &directory,
             const std::string          &basename,
             const MPI_Comm              comm)
  {
    using namespace dealii;
    const unsigned int rank    = Utilities::MPI::this_mpi_process(comm);
    const unsigned int n_ranks = Utilities::MPI::n_mpi_processes(comm);
    const auto         piece   = [&](const unsigned int r) {
      return basename + "." + Utilities::int_to_string(r, 4) + ".vtu";
    };

    std::ostringstream vtu;
    data_out.write_vtu(vtu);
    write_file_atomically(directory + "/" + piece(rank), vtu.str());

    if (rank == 0)
      {
        std::vector<std::string> pieces;
        for (unsigned int r = 0; r < n_ranks; ++r)
          pieces.push_back(piece(r));
        std::ostringstream pvtu;
        data_out.write_pvtu_record(pvtu, pieces);
        write_file_atomically(directory + "/" + basename + ".pvtu", pvtu.str());
      }
  }


  template void
  write_pvtu(const dealii::DataOut<1> &,
             const std::string &,
             const std::string &,
             const MPI_Comm);
  template void
  write_pvtu(const dealii::DataOut<2> &,
             const std::string &,
             const std::string &,
             const MPI_Comm);
  template void
  write_pvtu(const dealii::DataOut<3> &,
             const std::string &,
             const std::string &,
             const MPI_Comm);
} // namespace fbpinn
