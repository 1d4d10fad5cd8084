#include <deal.II/base/mpi.h>
#include <deal.II/fe/fe_dgq.h>
#include <deal.II/grid/grid_tools.h>

#include <fbpinn/basis/finite_basis_space.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
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
        "subsection " + new_settings.subsection +
        ", entry 'Features per subdomain' must be at least 1");
    if (!(new_settings.overlap > 1.))
      throw std::invalid_argument(
        "subsection " + new_settings.subsection +
        ", entry 'Overlap factor' = " + std::to_string(new_settings.overlap) +
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
        "subsection " + new_settings.subsection +
        ", entry 'Overlap factor' = " + std::to_string(new_settings.overlap) +
        " is too large: the neighbour search covers one ring of cells, so the "
        "factor must be " +
        (uniform ? "below 3 on a uniform mesh" :
                   "at most 2 on a mesh with several refinement levels"));

    const unsigned int n_levels = new_settings.n_levels;
    if (n_levels < 1)
      throw std::invalid_argument("subsection " + new_settings.subsection +
                                  ", entry 'Levels' must be at least 1");
    if (n_levels > 1 && !uniform)
      throw std::invalid_argument(
        "subsection " + new_settings.subsection +
        ", entry 'Levels' = " + std::to_string(n_levels) +
        " needs a uniformly refined mesh (all active cells on one level), "
        "but the active cells lie on levels " +
        std::to_string(min_level) + " to " + std::to_string(max_level) +
        "; use 'Levels' = 1 on adaptively refined meshes");
    if (n_levels > 1 && min_level + 1 < n_levels)
      throw std::invalid_argument(
        "subsection " + new_settings.subsection +
        ", entry 'Levels' = " + std::to_string(n_levels) +
        " needs the active cells at least " + std::to_string(n_levels - 1) +
        " refinements below the coarse mesh (the coarser levels are their "
        "ancestors), but they are " +
        std::to_string(min_level) +
        " below it; raise 'Global refinements' in subsection Mesh to at least " +
        std::to_string(n_levels - 1) + " or lower 'Levels'");

    if (new_settings.time_slabs < 1)
      throw std::invalid_argument("subsection " + new_settings.subsection +
                                  ", entry 'Time slabs' must be at least 1");
    if (new_settings.time_slabs > 1 && n_levels > 1)
      throw std::invalid_argument(
        "subsection " + new_settings.subsection +
        ", entry 'Time slabs' = " + std::to_string(new_settings.time_slabs) +
        " with 'Levels' = " + std::to_string(n_levels) +
        ": a coarse subdomain would span several slabs; time slabs need "
        "'Levels' = 1");
    if (new_settings.time_slabs > 1 && !(new_settings.end_time > 0.))
      throw std::invalid_argument(
        "subsection " + new_settings.subsection +
        ", entry 'Time slabs' = " + std::to_string(new_settings.time_slabs) +
        " needs a time-dependent problem (a positive 'End time')");

    if (n_levels > 1 && new_settings.mapping != nullptr)
      throw std::invalid_argument(
        "subsection " + new_settings.subsection +
        ", entry 'Levels' = " + std::to_string(n_levels) +
        ": this geometry has curved cells, and the multilevel decomposition "
        "needs axis-parallel boxes; use 'Levels' = 1");

    settings             = new_settings;
    const unsigned int K = settings.n_features;
    // A cell's box: the mapped cell's where the cells are curved.
    const auto cell_box =
      [this](const typename Triangulation<dim>::cell_iterator &cell) {
        return settings.mapping != nullptr ?
                 settings.mapping->get_bounding_box(cell) :
                 cell->bounding_box();
      };
    // The slab of a cell's box [a, b] along t; a box that leaves its slab
    // sets `straddles`.
    const double slab_length =
      settings.time_slabs > 1 ? settings.end_time / settings.time_slabs : 0.;
    bool       straddles   = false;
    const auto slab_of_box = [&](const BoundingBox<dim> &box) -> unsigned int {
      if (settings.time_slabs == 1)
        return 0;
      const double a         = box.get_boundary_points().first[dim - 1];
      const double b         = box.get_boundary_points().second[dim - 1];
      const auto   s         = static_cast<unsigned int>(std::min<double>(
        settings.time_slabs - 1,
        std::max(0., std::floor(0.5 * (a + b) / slab_length))));
      const double tolerance = 1e-10 * slab_length;
      if (a < s * slab_length - tolerance ||
          b > (s + 1) * slab_length + tolerance)
        straddles = true;
      return s;
    };
    fe          = std::make_unique<FESystem<dim>>(FE_DGQ<dim>(0), K);
    dof_handler = std::make_unique<DoFHandler<dim>>(triangulation);
    dof_handler->distribute_dofs(*fe);

    cell_to_subdomain.assign(triangulation.n_active_cells(), invalid);
    subdomains.clear();
    owned.clear();
    std::vector<types::global_dof_index> cell_dofs(K);
    for (const auto &cell : dof_handler->active_cell_iterators())
      if (!cell->is_artificial())
        {
          const auto box       = cell_box(cell);
          Subdomain  subdomain = make_subdomain(box.get_boundary_points().first,
                                               box.get_boundary_points().second,
                                               cell->id(),
                                               /*coarsening=*/0);
          cell->get_dof_indices(cell_dofs);
          subdomain.dof_indices.resize(K);
          for (unsigned int i = 0; i < K; ++i)
            subdomain.dof_indices[fe->system_to_component_index(i).first] =
              cell_dofs[i];
          subdomain.global_index = cell->global_active_cell_index();

          subdomain.slab = slab_of_box(box);

          if (cell->is_locally_owned())
            owned.push_back(subdomains.size());
          cell_to_subdomain[cell->active_cell_index()] = subdomains.size();
          subdomains.push_back(std::move(subdomain));
        }
    // Every rank checks its own and ghost cells; they all learn of a cell
    // that straddles a slab boundary.
    if (Utilities::MPI::logical_or(straddles, comm))
      throw std::invalid_argument(
        "subsection " + settings.subsection +
        ", entry 'Time slabs' = " + std::to_string(settings.time_slabs) +
        ": a cell straddles a slab boundary; the cells along t (subsection "
        "Mesh, 'Time subdivisions' × 2^'Global refinements') must be a "
        "multiple of the number of slabs");

    const auto vertex_to_cells = GridTools::vertex_to_cell_map(triangulation);
    covering.assign(triangulation.n_active_cells(), {});
    previous_covering.assign(triangulation.n_active_cells(), {});
    for (const auto &cell : triangulation.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          std::set<typename Triangulation<dim>::active_cell_iterator> ring;
          for (const unsigned int v : cell->vertex_indices())
            for (const auto &neighbor : vertex_to_cells[cell->vertex_index(v)])
              ring.insert(neighbor);

          const auto box   = cell_box(cell);
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
                if (!boxes_meet<dim>(subdomains[j].centre,
                                     subdomains[j].half_width,
                                     box))
                  continue;
                // With time slabs, only the subdomains of the cell's own slab
                // form its partition of unity; those of the slab before are
                // kept apart for the conditions at the slab's start.
                const unsigned int own = subdomains[cover.front()].slab;
                if (subdomains[j].slab == own)
                  cover.push_back(j);
                else if (subdomains[j].slab + 1 == own)
                  previous_covering[cell->active_cell_index()].push_back(j);
              }
        }

    n_all_dofs          = dof_handler->n_dofs();
    n_subdomains_global = triangulation.n_global_active_cells();
    owned_dofs.clear();
    owned_dofs.set_size(n_all_dofs);
    owned_dofs.add_indices(dof_handler->locally_owned_dofs());
    if (n_levels > 1)
      add_coarse_levels(triangulation, min_level);
    owned_dofs.compress();

    relevant_dofs.clear();
    relevant_dofs.set_size(n_all_dofs);
    relevant_dofs.add_indices(owned_dofs);
    std::vector<types::global_dof_index> all;
    for (const auto &subdomain : subdomains)
      all.insert(all.end(),
                 subdomain.dof_indices.begin(),
                 subdomain.dof_indices.end());
    std::sort(all.begin(), all.end());
    relevant_dofs.add_indices(all.begin(), all.end());
    relevant_dofs.compress();
  }


  template <int dim>
  typename FiniteBasisSpace<dim>::Subdomain
  FiniteBasisSpace<dim>::make_subdomain(const Point<dim>  &lower,
                                        const Point<dim>  &upper,
                                        const CellId      &id,
                                        const unsigned int coarsening) const
  {
    Subdomain subdomain;
    for (int d = 0; d < dim; ++d)
      {
        subdomain.centre[d] = 0.5 * (lower[d] + upper[d]);
        subdomain.half_width[d] =
          0.5 * settings.overlap * (upper[d] - lower[d]);
      }
    subdomain.level        = settings.n_levels - 1 - coarsening;
    subdomain.global_index = static_cast<types::global_cell_index>(-1);

    // Keyed draws: the same numbers for this cell whatever the ranks.
    const unsigned int K      = settings.n_features;
    const auto         binary = id.template to_binary<dim>();
    const double weight_scale = settings.feature_scale / std::sqrt(double(dim));
    subdomain.weights.resize((K - 1) * dim);
    subdomain.biases.resize(K - 1);
    for (unsigned int k = 1; k < K; ++k)
      for (unsigned int c = 0; c <= dim; ++c)
        {
          KeyedRandom random;
          random.absorb(settings.seed).absorb(coarsening);
          for (const auto word : binary)
            random.absorb(word);
          random.absorb(k).absorb(c);
          const double symmetric = 2. * random.uniform() - 1.;
          if (c < dim)
            subdomain.weights[(k - 1) * dim + c] = weight_scale * symmetric;
          else
            subdomain.biases[k - 1] = settings.feature_scale * symmetric;
        }
    return subdomain;
  }


  template <int dim>
  void
  FiniteBasisSpace<dim>::add_coarse_levels(
    const parallel::TriangulationBase<dim> &triangulation,
    const unsigned int                      active_level)
  {
    const MPI_Comm     comm       = triangulation.get_communicator();
    const unsigned int K          = settings.n_features;
    const unsigned int n_children = GeometryInfo<dim>::max_children_per_cell;

    // A cell of some level below a coarse cell, by its vertices. Isotropic
    // refinement of a hypercube puts child i's vertex v at the multilinear
    // image of the reference point (bits of i + bits of v) / 2, and child i
    // holds the parent's vertex i; for the affine (box) cells that ELM
    // supports this gives the children exactly.
    struct Node
    {
      types::coarse_cell_id                                        coarse;
      std::vector<std::uint8_t>                                    path;
      std::array<Point<dim>, GeometryInfo<dim>::vertices_per_cell> vertices;

      std::pair<Point<dim>, Point<dim>>
      box() const
      {
        Point<dim> lower = vertices[0], upper = vertices[0];
        for (const auto &v : vertices)
          for (int d = 0; d < dim; ++d)
            {
              lower[d] = std::min(lower[d], v[d]);
              upper[d] = std::max(upper[d], v[d]);
            }
        return {lower, upper};
      }

      Node
      child(const unsigned int i) const
      {
        Node result{coarse, path, {}};
        result.path.push_back(i);
        for (unsigned int v = 0; v < vertices.size(); ++v)
          {
            Point<dim> x;
            for (unsigned int w = 0; w < vertices.size(); ++w)
              {
                double weight = 1.;
                for (int d = 0; d < dim; ++d)
                  {
                    const double xi = 0.5 * (((i >> d) & 1) + ((v >> d) & 1));
                    weight *= ((w >> d) & 1) ? xi : 1. - xi;
                  }
                x += weight * vertices[w];
              }
            result.vertices[v] = x;
          }
        return result;
      }
    };

    // Every rank has the whole coarse mesh.
    std::vector<Node>     roots;
    types::coarse_cell_id n_coarse = 0;
    for (const auto &cell : triangulation.cell_iterators_on_level(0))
      {
        Node root{cell->id().get_coarse_cell_id(), {}, {}};
        for (const unsigned int v : cell->vertex_indices())
          root.vertices[v] = cell->vertex(v);
        n_coarse = std::max<types::coarse_cell_id>(n_coarse, root.coarse + 1);
        roots.push_back(std::move(root));
      }

    // The integer key of a cell of mesh level m (coarsening c): unique over
    // all coarse levels, for the owner lookup.
    const unsigned int n_coarse_levels = settings.n_levels - 1;
    std::vector<types::global_dof_index> key_offset(n_coarse_levels + 2, 0);
    for (unsigned int c = 1; c <= n_coarse_levels; ++c)
      key_offset[c + 1] =
        key_offset[c] + (static_cast<types::global_dof_index>(n_coarse)
                         << (dim * (active_level - c)));
    const auto key_of = [&](const CellId &id, const unsigned int c) {
      types::global_dof_index key = id.get_coarse_cell_id();
      for (const auto child : id.get_child_indices())
        key = (key << dim) + child;
      return key_offset[c] + key;
    };

    std::map<types::global_dof_index, unsigned int> subdomain_of_key;
    std::set<types::global_dof_index>               owned_keys;
    const double reach = 0.5 * (settings.overlap - 1.);

    for (unsigned int c = 1; c <= n_coarse_levels; ++c)
      {
        const unsigned int m = active_level - c;
        // Per ancestor: the cells of level m whose support boxes meet it.
        std::map<CellId, std::vector<Node>> candidates;
        for (const auto &cell : triangulation.active_cell_iterators())
          if (cell->is_locally_owned())
            {
              typename Triangulation<dim>::cell_iterator ancestor = cell;
              for (unsigned int i = 0; i < c; ++i)
                ancestor = ancestor->parent();

              auto &list = candidates[ancestor->id()];
              if (list.empty())
                {
                  const auto query = ancestor->bounding_box();
                  // Descend from the coarse cells, pruning every cell whose
                  // descendants' support boxes cannot reach the ancestor.
                  std::function<void(const Node &)> descend =
                    [&](const Node &node) {
                      const auto [lower, upper] = node.box();
                      const double scale =
                        std::ldexp(1., -int(m - node.path.size()));
                      std::array<double, dim> centre, half_width;
                      for (int d = 0; d < dim; ++d)
                        {
                          centre[d]     = 0.5 * (lower[d] + upper[d]);
                          half_width[d] = 0.5 * (upper[d] - lower[d]) *
                                          (1. + 2. * reach * scale);
                        }
                      if (!boxes_meet<dim>(centre, half_width, query))
                        return;
                      if (node.path.size() == m)
                        list.push_back(node);
                      else
                        for (unsigned int i = 0; i < n_children; ++i)
                          descend(node.child(i));
                    };
                  for (const auto &root : roots)
                    descend(root);
                }

              // The owner of the ancestor: the rank of its child-0 descendant.
              // (Check the geometric descent against the mesh on the way.)
              const types::global_dof_index ancestor_key =
                key_of(ancestor->id(), c);
              const bool found =
                std::any_of(list.begin(), list.end(), [&](const Node &node) {
                  if (key_of(CellId(node.coarse, node.path), c) != ancestor_key)
                    return false;
                  const auto [lower, upper] = node.box();
                  const auto box            = ancestor->bounding_box();
                  return lower.distance(box.get_boundary_points().first) +
                           upper.distance(box.get_boundary_points().second) <
                         1e-10 * ancestor->diameter();
                });
              if (!found)
                throw std::logic_error(
                  "subsection " + settings.subsection +
                  ", entry 'Levels': a coarse cell's box "
                  "differs from its geometric reconstruction; multilevel "
                  "decompositions need meshes of axis-parallel boxes");
              auto first = ancestor;
              while (first->has_children())
                first = first->child(0);
              if (first->is_active() && first->is_locally_owned())
                owned_keys.insert(ancestor_key);

              const auto box   = cell->bounding_box();
              auto      &cover = covering[cell->active_cell_index()];
              for (const auto &node : list)
                {
                  const auto [lower, upper] = node.box();
                  std::array<double, dim> centre, half_width;
                  for (int d = 0; d < dim; ++d)
                    {
                      centre[d] = 0.5 * (lower[d] + upper[d]);
                      half_width[d] =
                        0.5 * settings.overlap * (upper[d] - lower[d]);
                    }
                  if (!boxes_meet<dim>(centre, half_width, box))
                    continue;
                  const auto key = key_of(CellId(node.coarse, node.path), c);
                  auto [entry, added] =
                    subdomain_of_key.emplace(key, subdomains.size());
                  if (added)
                    subdomains.push_back(
                      make_subdomain(lower,
                                     upper,
                                     CellId(node.coarse, node.path),
                                     c));
                  cover.push_back(entry->second);
                }
            }
      }

    // Number the owned coarse subdomains after all active-level DoFs,
    // contiguously per rank.
    const types::global_dof_index n_fine  = dof_handler->n_dofs();
    const std::uint64_t           n_owned = owned_keys.size();
    std::uint64_t                 before  = 0;
    const int                     ierr =
      MPI_Exscan(&n_owned, &before, 1, MPI_UINT64_T, MPI_SUM, comm);
    AssertThrowMPI(ierr);
    if (Utilities::MPI::this_mpi_process(comm) == 0)
      before = 0;
    const types::global_dof_index n_coarse_subdomains =
      Utilities::MPI::sum(n_owned, comm);
    n_all_dofs = n_fine + K * n_coarse_subdomains;
    n_subdomains_global += n_coarse_subdomains;

    IndexSet fine_owned = owned_dofs;
    owned_dofs.clear();
    owned_dofs.set_size(n_all_dofs);
    owned_dofs.add_indices(fine_owned);
    const types::global_dof_index first = n_fine + K * before;
    owned_dofs.add_range(first, first + K * n_owned);

    std::map<types::global_dof_index, types::global_dof_index> first_dof;
    {
      types::global_dof_index next = first;
      for (const auto key : owned_keys)
        {
          first_dof[key] = next;
          next += K;
        }
    }

    // The others: ask their owners.
    const types::global_dof_index n_keys = key_offset[n_coarse_levels + 1];
    IndexSet                      owned_key_set(n_keys), wanted(n_keys);
    owned_key_set.add_indices(owned_keys.begin(), owned_keys.end());
    for (const auto &[key, j] : subdomain_of_key)
      if (owned_keys.count(key) == 0)
        wanted.add_index(key);
    owned_key_set.compress();
    wanted.compress();
    const std::vector<unsigned int> owners =
      Utilities::MPI::compute_index_owner(owned_key_set, wanted, comm);
    std::map<unsigned int, std::vector<types::global_dof_index>> requests;
    for (unsigned int i = 0; i < wanted.n_elements(); ++i)
      requests[owners[i]].push_back(wanted.nth_index_in_set(i));
    const auto received = Utilities::MPI::some_to_some(comm, requests);
    std::map<unsigned int, std::vector<types::global_dof_index>> answers;
    for (const auto &[rank, keys] : received)
      for (const auto key : keys)
        {
          const auto found = first_dof.find(key);
          if (found == first_dof.end())
            throw std::logic_error("a coarse subdomain is not owned where the "
                                   "owner lookup says it is");
          answers[rank].push_back(found->second);
        }
    for (const auto &[rank, firsts] :
         Utilities::MPI::some_to_some(comm, answers))
      for (unsigned int i = 0; i < firsts.size(); ++i)
        first_dof[requests[rank][i]] = firsts[i];

    for (const auto &[key, j] : subdomain_of_key)
      {
        subdomains[j].dof_indices.resize(K);
        for (unsigned int k = 0; k < K; ++k)
          subdomains[j].dof_indices[k] = first_dof.at(key) + k;
        if (owned_keys.count(key))
          owned.push_back(j);
      }
  }


  template <int dim>
  const DoFHandler<dim> &
  FiniteBasisSpace<dim>::get_dof_handler() const
  {
    return *dof_handler;
  }


  template <int dim>
  types::global_dof_index
  FiniteBasisSpace<dim>::n_dofs() const
  {
    return n_all_dofs;
  }


  template <int dim>
  const IndexSet &
  FiniteBasisSpace<dim>::locally_owned_dofs() const
  {
    return owned_dofs;
  }


  template <int dim>
  const IndexSet &
  FiniteBasisSpace<dim>::locally_relevant_dofs() const
  {
    return relevant_dofs;
  }


  template <int dim>
  const std::vector<unsigned int> &
  FiniteBasisSpace<dim>::owned_subdomains() const
  {
    return owned;
  }


  template <int dim>
  types::global_dof_index
  FiniteBasisSpace<dim>::n_global_subdomains() const
  {
    return n_subdomains_global;
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


  template <int dim>
  unsigned int
  FiniteBasisSpace<dim>::n_time_slabs() const
  {
    return settings.time_slabs;
  }


  template <int dim>
  unsigned int
  FiniteBasisSpace<dim>::slab_of_cell(
    const typename Triangulation<dim>::active_cell_iterator &cell) const
  {
    return subdomains[cell_to_subdomain[cell->active_cell_index()]].slab;
  }


  template <int dim>
  double
  FiniteBasisSpace<dim>::slab_start(const unsigned int s) const
  {
    return settings.time_slabs > 1 ?
             s * settings.end_time / settings.time_slabs :
             0.;
  }


  template <int dim>
  bool
  FiniteBasisSpace<dim>::starts_slab(
    const typename Triangulation<dim>::active_cell_iterator &cell) const
  {
    if (settings.time_slabs == 1)
      return false;
    const unsigned int s = slab_of_cell(cell);
    const double       t = cell->face(2 * (dim - 1))->center()[dim - 1];
    return s > 0 && std::abs(t - slab_start(s)) <= 1e-10 * slab_start(1);
  }


  template <int dim>
  const std::vector<unsigned int> &
  FiniteBasisSpace<dim>::previous_slab_subdomains(
    const typename Triangulation<dim>::active_cell_iterator &cell) const
  {
    Assert(cell->is_locally_owned(), ExcMessage("only locally owned cells"));
    return previous_covering[cell->active_cell_index()];
  }


  template class FiniteBasisSpace<1>;
  template class FiniteBasisSpace<2>;
  template class FiniteBasisSpace<3>;
} // namespace fbpinn
