#include <deal.II/base/mpi.h>
#include <deal.II/base/utilities.h>
#include <deal.II/distributed/tria_base.h>
#include <deal.II/grid/grid_tools.h>

#include <fbpinn/postprocess/point_values.h>

#include <sstream>
#include <stdexcept>

namespace fbpinn
{
  template <int dim>
  std::vector<Point<dim>>
  parse_point_list(const std::string &text)
  {
    std::vector<Point<dim>> points;
    for (const std::string &item : Utilities::split_string_list(text, ';'))
      {
        const auto coordinates = Utilities::split_string_list(item, ',');
        if (coordinates.size() != dim)
          throw std::invalid_argument(
            "entry 'Point values': the point '" + item + "' has " +
            std::to_string(coordinates.size()) + " coordinates; the mesh " +
            "has " + std::to_string(dim) +
            " (t last for a time-dependent problem), points separated by ';'");
        Point<dim> p;
        for (int d = 0; d < dim; ++d)
          {
            std::size_t used = 0;
            try
              {
                p[d] = std::stod(coordinates[d], &used);
              }
            catch (const std::exception &)
              {
                used = 0;
              }
            if (used != coordinates[d].size())
              throw std::invalid_argument("entry 'Point values': '" +
                                          coordinates[d] + "' is not a number");
          }
        points.push_back(p);
      }
    return points;
  }


  template <int dim>
  std::vector<PointSample<dim>>
  evaluate_at_points(
    const Triangulation<dim>      &triangulation,
    const Mapping<dim>            &mapping,
    const std::vector<Point<dim>> &points,
    const std::function<std::unique_ptr<SolutionEvaluator<dim>>(
      const Quadrature<dim> &)>   &create_evaluator)
  {
    const auto *parallel =
      dynamic_cast<const parallel::TriangulationBase<dim> *>(&triangulation);
    const MPI_Comm comm =
      parallel != nullptr ? parallel->get_communicator() : MPI_COMM_SELF;
    const unsigned int            rank = Utilities::MPI::this_mpi_process(comm);
    std::vector<PointSample<dim>> samples;
    for (const Point<dim> &p : points)
      {
        // Of the locally owned cells that hold p, the one with the smallest
        // CellId (as text); of those of all ranks, the smallest again: the
        // same cell whatever the number of ranks (u_h's gradient may jump
        // between the cells that share a vertex or face).
        typename Triangulation<dim>::active_cell_iterator cell;
        Point<dim>                                        reference;
        std::string                                       best;
        try
          {
            for (const auto &[c, r] :
                 GridTools::find_all_active_cells_around_point(mapping,
                                                               triangulation,
                                                               p))
              if (c->is_locally_owned())
                {
                  const std::string id = c->id().to_string();
                  if (best.empty() || id < best)
                    {
                      best      = id;
                      cell      = c;
                      reference = r;
                    }
                }
          }
        catch (const std::exception &)
          {
            best.clear(); // p lies outside this rank's part of the mesh
          }
        const std::vector<std::string> all =
          Utilities::MPI::all_gather(comm, best);
        unsigned int owner = numbers::invalid_unsigned_int;
        for (unsigned int r = 0; r < all.size(); ++r)
          if (!all[r].empty() &&
              (owner == numbers::invalid_unsigned_int || all[r] < all[owner]))
            owner = r;
        if (owner == numbers::invalid_unsigned_int)
          {
            std::ostringstream where;
            where << p;
            throw std::invalid_argument("entry 'Point values': the point (" +
                                        where.str() +
                                        ") lies outside the mesh");
          }
        // Every rank builds the evaluator (it may be collective).
        const Quadrature<dim> rule(
          std::vector<Point<dim>>{owner == rank ? reference : Point<dim>()});
        const auto          evaluator = create_evaluator(rule);
        std::vector<double> packed;
        if (owner == rank)
          {
            evaluator->reinit(cell);
            for (unsigned int f = 0; f < evaluator->n_fields(); ++f)
              {
                packed.push_back(evaluator->values(f)[0]);
                for (int d = 0; d < dim; ++d)
                  packed.push_back(evaluator->gradients(f)[0][d]);
              }
          }
        packed = Utilities::MPI::broadcast(comm, packed, owner);
        PointSample<dim> sample;
        for (std::size_t k = 0; k + dim + 1 <= packed.size(); k += dim + 1)
          {
            sample.values.push_back(packed[k]);
            Tensor<1, dim> g;
            for (int d = 0; d < dim; ++d)
              g[d] = packed[k + 1 + d];
            sample.gradients.push_back(g);
          }
        samples.push_back(sample);
      }
    return samples;
  }


#define FBPINN_INSTANTIATE(dim)                                                \
  template std::vector<Point<dim>> parse_point_list<dim>(const std::string &); \
  template std::vector<PointSample<dim>> evaluate_at_points<dim>(              \
    const Triangulation<dim> &,                                                \
    const Mapping<dim> &,                                                      \
    const std::vector<Point<dim>> &,                                           \
    const std::function<std::unique_ptr<SolutionEvaluator<dim>>(               \
      const Quadrature<dim> &)> &);
  FBPINN_INSTANTIATE(1)
  FBPINN_INSTANTIATE(2)
  FBPINN_INSTANTIATE(3)
#undef FBPINN_INSTANTIATE
} // namespace fbpinn
