#include <deal.II/base/mpi.h>
#include <deal.II/fe/fe_dgq.h>
#include <deal.II/grid/grid_tools.h>

#include <fbpinn/basis/finite_basis_space.h>

#include <cmath>
#include <set>
#include <stdexcept>
#include <string>

namespace fbpinn
{
  namespace
  {
    constexpr unsigned int invalid = numbers::invalid_unsigned_int;

    /** Whether the open box [lo, hi] meets the closed cell box. */
    template <int dim>
    bool
    boxes_meet(const std::array<double, dim> &centre,
               const std::array<double, dim> &half_width,
               const BoundingBox<dim>        &cell_box)
    {
      for (int d = 0; d < dim; ++d)
        if (!(centre[d] - half_width[d] <
                cell_box.get_boundary_points().second[d] &&
              centre[d] + half_width[d] >
                cell_box.get_boundary_points().first[d]))
          return false;
      return true;
    }
  } // namespace


  template <int dim>
  void
  FiniteBasisSpace<dim>::reinit(
    const parallel::TriangulationBase<dim> &triangulation,
    const Settings                         &new_settings)
  {
    const MPI_Comm comm = triangulation.get_communicator();
    if (new_settings.n_features < 1)
      throw std::invalid_argument(
        "subsection ELM, entry 'Features per subdomain' must be at least 1");
    if (!(new_settings.overlap > 1.))
      throw std::invalid_argument(
        "subsection ELM, entry 'Overlap factor' = " +
        std::to_string(new_settings.overlap) +
        " must be greater than 1: the support boxes must overlap, or the "
        "mesh vertices are covered by no window");

    // The neighbour search looks at the ring of cells that share a vertex
    // with a cell. A box reaches (δ − 1)/2 of its cell's width beyond the
    // cell, so it stays within that ring for δ < 3 where neighbours have the
    // same size, and for δ ≤ 2 where refinement levels differ by one.
    unsigned int min_level = invalid, max_level = 0;
    for (const auto &cell : triangulation.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          min_level = std::min<unsigned int>(min_level, cell->level());
          max_level = std::max<unsigned int>(max_level, cell->level());
        }
    min_level            = Utilities::MPI::min(min_level, comm);
    max_level            = Utilities::MPI::max(max_level, comm);
    const bool   uniform = (min_level == max_level);
    const double limit   = uniform ? 3. : 2.;
    if (uniform ? !(new_settings.overlap < limit) :
                  new_settings.overlap > limit)
      throw std::invalid_argument(
        "subsection ELM, entry 'Overlap factor' = " +
        std::to_string(new_settings.overlap) +
        " is too large: the neighbour search covers one ring of cells, so the "
        "factor must be " +
        (uniform ? "below 3 on a uniform mesh" :
                   "at most 2 on a mesh with several refinement levels"));

    settings             = new_settings;
    const unsigned int K = settings.n_features;
    fe                   = std::make_unique<FESystem<dim>>(FE_DGQ<dim>(0), K);
    dof_handler          = std::make_unique<DoFHandler<dim>>(triangulation);
    dof_handler->distribute_dofs(*fe);

    cell_to_subdomain.assign(triangulation.n_active_cells(), invalid);
    subdomains.clear();
    std::vector<types::global_dof_index> cell_dofs(K);
    for (const auto &cell : dof_handler->active_cell_iterators())
      if (!cell->is_artificial())
        {
          Subdomain         subdomain;
          const auto        box   = cell->bounding_box();
          const Point<dim> &lower = box.get_boundary_points().first;
          const Point<dim> &upper = box.get_boundary_points().second;
          for (int d = 0; d < dim; ++d)
            {
              subdomain.centre[d] = 0.5 * (lower[d] + upper[d]);
              subdomain.half_width[d] =
                0.5 * settings.overlap * (upper[d] - lower[d]);
            }

          cell->get_dof_indices(cell_dofs);
          subdomain.dof_indices.resize(K);
          for (unsigned int i = 0; i < K; ++i)
            subdomain.dof_indices[fe->system_to_component_index(i).first] =
              cell_dofs[i];

          // Keyed draws: the same numbers for this cell whatever the ranks.
          const auto   id = cell->id().template to_binary<dim>();
          const double weight_scale =
            settings.feature_scale / std::sqrt(double(dim));
          subdomain.weights.resize((K - 1) * dim);
          subdomain.biases.resize(K - 1);
          for (unsigned int k = 1; k < K; ++k)
            for (unsigned int c = 0; c <= dim; ++c)
              {
                KeyedRandom random;
                random.absorb(settings.seed).absorb(/*level=*/0);
                for (const auto word : id)
                  random.absorb(word);
                random.absorb(k).absorb(c);
                const double symmetric = 2. * random.uniform() - 1.;
                if (c < dim)
                  subdomain.weights[(k - 1) * dim + c] =
                    weight_scale * symmetric;
                else
                  subdomain.biases[k - 1] = settings.feature_scale * symmetric;
              }
          subdomain.global_index = cell->global_active_cell_index();

          cell_to_subdomain[cell->active_cell_index()] = subdomains.size();
          subdomains.push_back(std::move(subdomain));
        }

    const auto vertex_to_cells = GridTools::vertex_to_cell_map(triangulation);
    covering.assign(triangulation.n_active_cells(), {});
    for (const auto &cell : triangulation.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          std::set<typename Triangulation<dim>::active_cell_iterator> ring;
          for (const unsigned int v : cell->vertex_indices())
            for (const auto &neighbor : vertex_to_cells[cell->vertex_index(v)])
              ring.insert(neighbor);

          const auto box   = cell->bounding_box();
          auto      &cover = covering[cell->active_cell_index()];
          cover.push_back(cell_to_subdomain[cell->active_cell_index()]);
          for (const auto &neighbor : ring)
            if (neighbor != cell)
              {
                const unsigned int j =
                  cell_to_subdomain[neighbor->active_cell_index()];
                if (j == invalid)
                  throw std::logic_error("a neighbour of a locally owned cell "
                                         "is artificial; the ghost layer is "
                                         "too thin");
                if (boxes_meet<dim>(subdomains[j].centre,
                                    subdomains[j].half_width,
                                    box))
                  cover.push_back(j);
              }
        }
  }


  template <int dim>
  const DoFHandler<dim> &
  FiniteBasisSpace<dim>::get_dof_handler() const
  {
    return *dof_handler;
  }


  template <int dim>
  const typename FiniteBasisSpace<dim>::Settings &
  FiniteBasisSpace<dim>::get_settings() const
  {
    return settings;
  }


  template <int dim>
  const std::vector<unsigned int> &
  FiniteBasisSpace<dim>::covering_subdomains(
    const typename Triangulation<dim>::active_cell_iterator &cell) const
  {
    Assert(cell->is_locally_owned(), ExcMessage("only locally owned cells"));
    return covering[cell->active_cell_index()];
  }


  template <int dim>
  const typename FiniteBasisSpace<dim>::Subdomain &
  FiniteBasisSpace<dim>::subdomain(const unsigned int i) const
  {
    return subdomains[i];
  }


  template <int dim>
  unsigned int
  FiniteBasisSpace<dim>::subdomain_of_cell(
    const typename Triangulation<dim>::active_cell_iterator &cell) const
  {
    return cell_to_subdomain[cell->active_cell_index()];
  }


  template class FiniteBasisSpace<1>;
  template class FiniteBasisSpace<2>;
  template class FiniteBasisSpace<3>;
} // namespace fbpinn
