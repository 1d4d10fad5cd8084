#include <deal.II/base/mpi.h>
#include <deal.II/base/quadrature_lib.h>
#include <deal.II/base/utilities.h>
#include <deal.II/fe/fe_q.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/fe/mapping_q.h>

#include <fbpinn/parallel/collective.h>
#include <fbpinn/postprocess/metrics.h>
#include <fbpinn/postprocess/output.h>

#include <algorithm>
#include <array>
#include <iomanip>
#include <limits>
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


  void
  write_slices_csv(const std::vector<double> &rows,
                   const std::string         &filename,
                   const MPI_Comm             comm)
  {
    using namespace dealii;
    const auto gathered = Utilities::MPI::gather(comm, rows, 0);
    Parallel::on_root_collectively(comm, [&]() {
      std::vector<std::array<double, 4>> all;
      for (const auto &part : gathered)
        for (std::size_t i = 0; i + 4 <= part.size(); i += 4)
          all.push_back({part[i], part[i + 1], part[i + 2], part[i + 3]});
      std::sort(all.begin(), all.end());
      std::ostringstream csv;
      csv << "t,x,u,u_exact,error\n" << std::setprecision(16);
      for (const auto &row : all)
        csv << row[0] << ',' << row[1] << ',' << row[2] << ',' << row[3] << ','
            << row[2] - row[3] << '\n';
      write_file_atomically(filename, csv.str());
    });
  }


  std::vector<double>
  space_time_slices(const dealii::Triangulation<2>    &triangulation,
                    const Problems::Interface<2>      &problem,
                    const std::vector<double>         &times,
                    const std::function<std::unique_ptr<SolutionEvaluator<2>>(
                      const dealii::Quadrature<2> &)> &create_evaluator)
  {
    using namespace dealii;
    const MPI_Comm comm = triangulation.get_communicator();
    double         end  = 0.;
    for (const auto &cell : triangulation.active_cell_iterators())
      if (cell->is_locally_owned())
        end =
          std::max(end, cell->bounding_box().get_boundary_points().second[1]);
    end = Utilities::MPI::max(end, comm);

    const QIterated<1>  along_x(QMidpoint<1>(), 64);
    std::vector<double> rows;
    for (const double t : times)
      {
        // The layer of cells with t_lo ≤ t < t_hi (t_hi = T at t = T); on a
        // mesh uniform along t they share the reference coordinate τ.
        double tau   = -1.;
        auto   holds = [&](const auto &cell) {
          const auto box = cell->bounding_box().get_boundary_points();
          return box.first[1] <= t &&
                 (t < box.second[1] ||
                  (t == box.second[1] && box.second[1] >= end));
        };
        for (const auto &cell : triangulation.active_cell_iterators())
          if (cell->is_locally_owned() && holds(cell))
            {
              const auto box = cell->bounding_box().get_boundary_points();
              tau = (t - box.first[1]) / (box.second[1] - box.first[1]);
              break;
            }
        // Every rank builds the evaluator (it may be collective); ranks
        // without such a cell use any τ.
        const Quadrature<2> points(along_x,
                                   Quadrature<1>(std::vector<Point<1>>{
                                     Point<1>(tau >= 0. ? tau : 0.5)}));
        const auto          evaluator = create_evaluator(points);
        const MappingQ<2>   mapping(1);
        const FE_Q<2>       geometry_fe(1);
        FEValues<2>         geometry(mapping,
                             geometry_fe,
                             points,
                             update_quadrature_points);
        for (const auto &cell : triangulation.active_cell_iterators())
          if (cell->is_locally_owned() && holds(cell))
            {
              geometry.reinit(cell);
              evaluator->reinit(cell);
              for (unsigned int q = 0; q < points.size(); ++q)
                {
                  const Point<2> &x = geometry.quadrature_point(q);
                  rows.insert(
                    rows.end(),
                    {t, x[0], evaluator->values()[q], known_exact(problem, x)});
                }
            }
      }
    return rows;
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
