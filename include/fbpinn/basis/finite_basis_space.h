#pragma once

#include <deal.II/distributed/tria_base.h>
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/fe/fe_system.h>
#include <deal.II/fe/mapping.h>

#include <fbpinn/core/random_features.h>

#include <array>
#include <memory>
#include <vector>

namespace fbpinn
{
  using namespace dealii;

  /**
   * The finite-basis space of ELM-FBPINN on a deal.II mesh (DESIGN §4).
   *
   * Every active cell is one subdomain j. Its support box is the cell's
   * bounding box scaled about its centre by the overlap factor δ; its window
   * w_j is the cosine-squared window of that box, and ψ_j = w_j / Σ_k w_k is
   * the partition of unity. The subdomain carries K functions ψ_j φ_jk:
   * φ_j0 = 1 and K − 1 random features φ_jk(x) = σ(W_jk·y + b_jk) of the
   * subdomain-normalised coordinates y = (x − c_j)/h_j (h_j the box
   * half-widths), σ = tanh or sin, W_jk uniform in ±scale/√dim and b_jk uniform
   * in ±scale.
   *
   * The K coefficients of subdomain j are the K degrees of freedom of
   * FESystem(FE_DGQ(0), K) on its cell, so a DoFHandler numbers and partitions
   * them over MPI ranks exactly like FEM unknowns. The random numbers are keyed
   * on (seed, level, CellId, k, component), so the basis does not depend on
   * the number of ranks.
   *
   * <b>Multilevel</b> (Settings::n_levels = L > 1, DESIGN §2): on a uniformly
   * refined mesh whose active cells are at mesh level a ≥ L − 1, level
   * ℓ = 0 ... L − 1 of the decomposition consists of the cells of mesh level
   * a − (L − 1 − ℓ): level L − 1 is the active mesh, coarser levels are its
   * ancestors. Each level has its own partition of unity ψ^ℓ_j = w_j / Σ_{k in
   * ℓ} w_k, and the functions of level ℓ are ψ^ℓ_j φ_jk / L, so that u is the
   * average over levels of the per-level expansions. Coarse subdomains are
   * found geometrically, by descending from the coarse mesh (every rank has
   * it) with the parent-to-child vertex rule of isotropic refinement, so a
   * rank needs no coarse cell of another rank's part of the mesh. A coarse
   * subdomain belongs to the rank that owns its first (child-0) active
   * descendant; its K DoFs are numbered after all active-level DoFs,
   * contiguously per rank, and other ranks learn them through deal.II's
   * consensus-based owner lookup (Utilities::MPI::compute_index_owner), so no
   * rank holds a global table.
   */
  template <int dim>
  class FiniteBasisSpace
  {
  public:
    /** What defines the space. */
    struct Settings
    {
      unsigned int n_features    = 32;
      double       overlap       = 2.;
      Activation   activation    = Activation::tanh;
      double       feature_scale = 1.;
      unsigned int seed          = 0;
      /** L: the number of levels of the decomposition. */
      unsigned int n_levels = 1;
      /** The parameter subsection these settings come from, for messages. */
      std::string subsection = "ELM";
      /** The mapping of curved cells: a subdomain is then the bounding box
       * of its mapped cell (Mapping::get_bounding_box), which holds every
       * point of the cell. Null: the box of the cell's vertices (straight
       * cells). One level only. */
      const Mapping<dim> *mapping = nullptr;
      /**
       * S: the number of time slabs of a space-time mesh whose last
       * coordinate is t ∈ [0, end_time] (block time marching, DESIGN §10).
       * Slab s is t ∈ [s T/S, (s + 1) T/S]; each cell must lie in one slab,
       * and its subdomain belongs to that slab. A cell's partition of unity
       * is formed from the subdomains of its own slab only, so the space is
       * the direct sum of S spaces, one per slab, and u may jump across a
       * slab boundary (the method ties the slabs there by conditions).
       * 1: no slabs, the space as above. One level only.
       */
      unsigned int time_slabs = 1;
      /** T, the end of the time axis (only used when time_slabs > 1). */
      double end_time = 0.;
    };

    /** One subdomain: its box and its random features. */
    struct Subdomain
    {
      std::array<double, dim> centre;
      std::array<double, dim> half_width;
      /** W_jk for k = 1 ... K−1, dim numbers each. */
      std::vector<double> weights;
      /** b_jk for k = 1 ... K−1. */
      std::vector<double> biases;
      /** The global DoF index of coefficient a_jk, k = 0 ... K−1. */
      std::vector<types::global_dof_index> dof_indices;
      /** The cell's global active cell index, for output (active level
       * only; numbers::invalid_dof_index on coarser levels). */
      types::global_cell_index global_index;
      /** The level ℓ of the decomposition, 0 coarsest, L − 1 the active
       * mesh. */
      unsigned int level = 0;
      /** The time slab of the subdomain's cell (0 without slabs). */
      unsigned int slab = 0;
    };

    /**
     * Build the space on the current state of @p triangulation: distribute the
     * DoFs, draw the features of every locally relevant subdomain (owned and
     * ghost cells), and find for each locally owned cell the subdomains whose
     * boxes meet it. Bad settings throw std::invalid_argument with a message
     * that names the entry.
     */
    void
    reinit(const parallel::TriangulationBase<dim> &triangulation,
           const Settings                         &settings);

    /** The DoFHandler of the coefficients of the active level. */
    const DoFHandler<dim> &
    get_dof_handler() const;

    /** The number of coefficients on all levels. */
    types::global_dof_index
    n_dofs() const;

    /** The coefficients this rank owns (active level and coarser levels). */
    const IndexSet &
    locally_owned_dofs() const;

    /** The coefficients of every subdomain known here (owned, ghost and
     * coarse subdomains that meet a locally owned cell). */
    const IndexSet &
    locally_relevant_dofs() const;

    /** The subdomains (local indices) this rank owns, on all levels. */
    const std::vector<unsigned int> &
    owned_subdomains() const;

    /** The number of subdomains on all levels, over all ranks. */
    types::global_dof_index
    n_global_subdomains() const;

    /** The settings. */
    const Settings &
    get_settings() const;

    /** The subdomains (local indices) whose boxes meet the locally owned
     * @p cell, its own first. */
    const std::vector<unsigned int> &
    covering_subdomains(
      const typename Triangulation<dim>::active_cell_iterator &cell) const;

    /** Subdomain number @p i (a local index). */
    const Subdomain &
    subdomain(const unsigned int i) const;

    /** The subdomain of a locally relevant cell. */
    unsigned int
    subdomain_of_cell(
      const typename Triangulation<dim>::active_cell_iterator &cell) const;

    /** S, the number of time slabs (1 without slabs). */
    unsigned int
    n_time_slabs() const;

    /** The time slab of a locally relevant cell. */
    unsigned int
    slab_of_cell(
      const typename Triangulation<dim>::active_cell_iterator &cell) const;

    /** The start s T/S of time slab @p s. */
    double
    slab_start(const unsigned int s) const;

    /** Whether the lower face (along t) of the locally relevant @p cell is
     * the start of its slab s > 0: where the methods tie slab s to s − 1. */
    bool
    starts_slab(
      const typename Triangulation<dim>::active_cell_iterator &cell) const;

    /**
     * The subdomains (local indices) of the slab before the locally owned
     * @p cell's that meet it: on a cell whose lower face is its slab's
     * start, they carry the previous slab's solution there (with the
     * partition of unity of that slab), which is what ties the slabs
     * together. Empty on cells of slab 0 and away from the slab's start.
     */
    const std::vector<unsigned int> &
    previous_slab_subdomains(
      const typename Triangulation<dim>::active_cell_iterator &cell) const;

  private:
    Settings                         settings;
    std::unique_ptr<FESystem<dim>>   fe;
    std::unique_ptr<DoFHandler<dim>> dof_handler;
    std::vector<Subdomain>           subdomains;
    /** Active cell index → local subdomain index (invalid for artificial
     * cells). */
    std::vector<unsigned int> cell_to_subdomain;
    /** Active cell index → covering subdomains (locally owned cells only). */
    std::vector<std::vector<unsigned int>> covering;
    /** Active cell index → the previous slab's subdomains that meet the
     * cell (locally owned cells only; empty without slabs). */
    std::vector<std::vector<unsigned int>> previous_covering;
    std::vector<unsigned int>              owned;
    IndexSet                               owned_dofs;
    IndexSet                               relevant_dofs;
    types::global_dof_index                n_all_dofs          = 0;
    types::global_dof_index                n_subdomains_global = 0;

    /** Add the subdomains of the coarser levels (Settings::n_levels > 1). */
    void
    add_coarse_levels(const parallel::TriangulationBase<dim> &triangulation,
                      const unsigned int                      active_level);

    /** The subdomain of the box [@p lower, @p upper] with features keyed on
     * (seed, @p coarsening, @p id). */
    Subdomain
    make_subdomain(const Point<dim>  &lower,
                   const Point<dim>  &upper,
                   const CellId      &id,
                   const unsigned int coarsening) const;
  };
} // namespace fbpinn
