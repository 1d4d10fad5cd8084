#include <deal.II/base/mpi.h>
#include <deal.II/base/utilities.h>
#include <deal.II/fe/fe_q.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/fe/mapping_q.h>

#include <fbpinn/parallel/collective.h>
#include <fbpinn/postprocess/metrics.h>
#include <fbpinn/postprocess/output.h>

#include <algorithm>
#include <iomanip>
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

    // A piece that cannot be written (a full disk) ends every rank.
    Parallel::collectively(comm, [&]() {
      std::ostringstream vtu;
      data_out.write_vtu(vtu);
      write_file_atomically(directory + "/" + piece(rank), vtu.str());
    });

    Parallel::on_root_collectively(comm, [&]() {
      std::vector<std::string> pieces;
      for (unsigned int r = 0; r < n_ranks; ++r)
        pieces.push_back(piece(r));
      std::ostringstream pvtu;
      data_out.write_pvtu_record(pvtu, pieces);
      write_file_atomically(directory + "/" + basename + ".pvtu", pvtu.str());
    });
  }


  template <int dim>
  void
  write_samples_csv(const dealii::Triangulation<dim> &triangulation,
                    const Problems::Interface<dim>   &problem,
                    const dealii::Quadrature<dim>    &quadrature,
                    SolutionEvaluator<dim>           &evaluator,
                    const std::string                &filename)
  {
    using namespace dealii;
    const MappingQ<dim> mapping(1);
    const FE_Q<dim>     geometry_fe(1);
    FEValues<dim>       geometry(mapping,
                           geometry_fe,
                           quadrature,
                           update_quadrature_points);

    constexpr unsigned int n_columns = dim + 2; // x, u, u_exact
    std::vector<double>    mine;
    for (const auto &cell : triangulation.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          geometry.reinit(cell);
          evaluator.reinit(cell);
          for (unsigned int q = 0; q < quadrature.size(); ++q)
            {
              const Point<dim> &x = geometry.quadrature_point(q);
              for (int d = 0; d < dim; ++d)
                mine.push_back(x[d]);
              mine.push_back(evaluator.values()[q]);
              mine.push_back(known_exact(problem, x));
            }
        }

    const MPI_Comm comm     = triangulation.get_communicator();
    const auto     gathered = Utilities::MPI::gather(comm, mine, 0);
    Parallel::on_root_collectively(comm, [&]() {
      std::vector<std::vector<double>> rows;
      for (const auto &part : gathered)
        for (std::size_t i = 0; i + n_columns <= part.size(); i += n_columns)
          rows.emplace_back(part.begin() + i, part.begin() + i + n_columns);
      std::sort(rows.begin(), rows.end());

      std::ostringstream csv;
      const char        *names[] = {"x", "y", "z"};
      for (int d = 0; d < dim; ++d)
        csv << names[d] << ',';
      csv << "u,u_exact,error\n" << std::setprecision(16);
      for (const auto &row : rows)
        {
          for (int d = 0; d < dim; ++d)
            csv << row[d] << ',';
          csv << row[dim] << ',' << row[dim + 1] << ','
              << row[dim] - row[dim + 1] << '\n';
        }
      write_file_atomically(filename, csv.str());
    });
  }


  template void
  write_samples_csv(const dealii::Triangulation<1> &,
                    const Problems::Interface<1> &,
                    const dealii::Quadrature<1> &,
                    SolutionEvaluator<1> &,
                    const std::string &);
  template void
  write_samples_csv(const dealii::Triangulation<2> &,
                    const Problems::Interface<2> &,
                    const dealii::Quadrature<2> &,
                    SolutionEvaluator<2> &,
                    const std::string &);
  template void
  write_samples_csv(const dealii::Triangulation<3> &,
                    const Problems::Interface<3> &,
                    const dealii::Quadrature<3> &,
                    SolutionEvaluator<3> &,
                    const std::string &);


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
