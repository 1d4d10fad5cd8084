#pragma once

#include <deal.II/base/point.h>
#include <deal.II/base/tensor.h>

#include <fbpinn/basis/finite_basis_space.h>
#include <fbpinn/core/jet.h>

#include <vector>

namespace fbpinn
{
  /**
   * The FEValues-like view of a FiniteBasisSpace on one cell: after reinit()
   * on a locally owned cell and a set of points in it, it offers the global
   * basis functions ψ_j φ_jk of every subdomain j that meets the cell, with
   * their exact values, gradients and Hessians at the points (the quotient rule
   * of ψ_j = w_j/Σw and the product with the feature are done once with Jet).
   *
   * Local function i belongs to subdomain slot s = i / K and feature
   * k = i % K. Partition-of-unity jets are computed in reinit(); feature jets
   * are computed when asked for, so that no per-cell table of size
   * (functions × points) is stored: ask each (i, q) once (shape_jet), or skip
   * the functions of slots that are inactive at q (window zero there, where the
   * function and all its derivatives vanish).
   */
  template <int dim>
  class FiniteBasisValues
  {
  public:
    explicit FiniteBasisValues(const FiniteBasisSpace<dim> &space);

    /** Evaluate the partition of unity at @p points of the locally owned
     * @p cell, with weights @p JxW (quadrature weights times Jacobians).
     * With @p previous_slab, the functions are those of the time slab before
     * the cell's (FiniteBasisSpace::previous_slab_subdomains(), with that
     * slab's partition of unity): the previous slab's solution at points of
     * the cell's lower face at the slab's start. */
    void
    reinit(const typename Triangulation<dim>::active_cell_iterator &cell,
           const std::vector<Point<dim>>                           &points,
           const std::vector<double>                               &JxW,
           const bool previous_slab = false);

    /** The number of basis functions that live on the cell. */
    unsigned int
    dofs_per_cell() const;

    /** Their global DoF indices. */
    const std::vector<types::global_dof_index> &
    get_dof_indices() const;

    /** The number of subdomains that meet the cell (slots). */
    unsigned int
    n_slots() const;

    /** The number of points. */
    unsigned int
    n_points() const;

    const Point<dim> &
    point(const unsigned int q) const;

    double
    JxW(const unsigned int q) const;

    /** Whether the window of slot @p s is positive at point @p q. */
    bool
    slot_is_active(const unsigned int s, const unsigned int q) const;

    /** The jet of ψ_s at point q (with L levels, ψ^ℓ_s / L). */
    const Jet<dim> &
    partition_of_unity(const unsigned int s, const unsigned int q) const;

    /** Σ_j w_j(x_q), the unnormalised window sum of one level (the
     * smallest over the levels: positive wherever every level covers x_q). */
    double
    window_sum(const unsigned int q) const;

    /** Σ_j ψ_j(x_q): 1 wherever the point is covered (a test quantity). */
    double
    partition_of_unity_sum(const unsigned int q) const;

    /** The exact jet of basis function i at point q. */
    Jet<dim>
    shape_jet(const unsigned int i, const unsigned int q) const;

    double
    shape_value(const unsigned int i, const unsigned int q) const;

    Tensor<1, dim>
    shape_grad(const unsigned int i, const unsigned int q) const;

    Tensor<2, dim>
    shape_hessian(const unsigned int i, const unsigned int q) const;

    /** The jet of feature φ_k of slot s at point q (φ_0 = 1). */
    Jet<dim>
    feature_jet(const unsigned int s,
                const unsigned int k,
                const unsigned int q) const;

  private:
    const FiniteBasisSpace<dim>         &space;
    const unsigned int                   n_features;
    std::vector<unsigned int>            slots;
    std::vector<types::global_dof_index> dof_indices;
    std::vector<std::array<double, dim>> points_array;
    std::vector<Point<dim>>              quadrature_points;
    std::vector<double>                  weights;
    /** [q * n_slots + s]: ψ_s at x_q. */
    std::vector<Jet<dim>> partition;
    std::vector<char>     active;
    std::vector<double>   window_sums;
  };
} // namespace fbpinn
