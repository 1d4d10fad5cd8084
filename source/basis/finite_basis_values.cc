#include <fbpinn/basis/finite_basis_values.h>
#include <fbpinn/core/window.h>

#include <algorithm>
#include <stdexcept>

namespace fbpinn
{
  template <int dim>
  FiniteBasisValues<dim>::FiniteBasisValues(const FiniteBasisSpace<dim> &space)
    : space(space)
    , n_features(space.get_settings().n_features)
  {}


  template <int dim>
  void
  FiniteBasisValues<dim>::reinit(
    const typename Triangulation<dim>::active_cell_iterator &cell,
    const std::vector<Point<dim>>                           &points,
    const std::vector<double>                               &JxW,
    const bool                                               previous_slab)
  {
    slots = previous_slab ? space.previous_slab_subdomains(cell) :
                            space.covering_subdomains(cell);
    const unsigned int n_slots = slots.size();
    dof_indices.resize(n_slots * n_features);
    for (unsigned int s = 0; s < n_slots; ++s)
      for (unsigned int k = 0; k < n_features; ++k)
        dof_indices[s * n_features + k] =
          space.subdomain(slots[s]).dof_indices[k];

    quadrature_points      = points;
    weights                = JxW;
    const unsigned int n_q = points.size();
    points_array.resize(n_q);
    partition.resize(n_q * n_slots);
    active.resize(n_q * n_slots);
    window_sums.resize(n_q);

    // One partition of unity per level: ψ^ℓ_s = w_s / Σ_{t in ℓ} w_t, scaled
    // by 1/L so that u is the average of the per-level expansions.
    const unsigned int    n_levels = space.get_settings().n_levels;
    std::vector<Jet<dim>> windows(n_slots), totals(n_levels);
    Jet<dim>              average;
    average.value = 1. / n_levels;
    for (unsigned int q = 0; q < n_q; ++q)
      {
        for (int d = 0; d < dim; ++d)
          points_array[q][d] = points[q][d];
        std::fill(totals.begin(), totals.end(), Jet<dim>());
        for (unsigned int s = 0; s < n_slots; ++s)
          {
            const auto &subdomain   = space.subdomain(slots[s]);
            windows[s]              = window_jet<dim>(points_array[q],
                                         subdomain.centre,
                                         subdomain.half_width);
            totals[subdomain.level] = sum(totals[subdomain.level], windows[s]);
          }
        double smallest = totals[0].value;
        for (const auto &total : totals)
          smallest = std::min(smallest, total.value);
        if (!(smallest > 0.))
          throw std::logic_error("a point is covered by no subdomain window "
                                 "of some level");
        window_sums[q] = smallest;
        for (unsigned int s = 0; s < n_slots; ++s)
          {
            active[q * n_slots + s] = windows[s].value > 0.;
            partition[q * n_slots + s] =
              windows[s].value > 0. ?
                product(average,
                        quotient(windows[s],
                                 totals[space.subdomain(slots[s]).level])) :
                Jet<dim>();
          }
      }
  }


  template <int dim>
  unsigned int
  FiniteBasisValues<dim>::dofs_per_cell() const
  {
    return dof_indices.size();
  }


  template <int dim>
  const std::vector<types::global_dof_index> &
  FiniteBasisValues<dim>::get_dof_indices() const
  {
    return dof_indices;
  }


  template <int dim>
  unsigned int
  FiniteBasisValues<dim>::n_slots() const
  {
    return slots.size();
  }


  template <int dim>
  unsigned int
  FiniteBasisValues<dim>::n_points() const
  {
    return quadrature_points.size();
  }


  template <int dim>
  const Point<dim> &
  FiniteBasisValues<dim>::point(const unsigned int q) const
  {
    return quadrature_points[q];
  }


  template <int dim>
  double
  FiniteBasisValues<dim>::JxW(const unsigned int q) const
  {
    return weights[q];
  }


  template <int dim>
  bool
  FiniteBasisValues<dim>::slot_is_active(const unsigned int s,
                                         const unsigned int q) const
  {
    return active[q * slots.size() + s];
  }


  template <int dim>
  const Jet<dim> &
  FiniteBasisValues<dim>::partition_of_unity(const unsigned int s,
                                             const unsigned int q) const
  {
    return partition[q * slots.size() + s];
  }


  template <int dim>
  double
  FiniteBasisValues<dim>::window_sum(const unsigned int q) const
  {
    return window_sums[q];
  }


  template <int dim>
  double
  FiniteBasisValues<dim>::partition_of_unity_sum(const unsigned int q) const
  {
    double result = 0.;
    for (unsigned int s = 0; s < slots.size(); ++s)
      result += partition[q * slots.size() + s].value;
    return result;
  }


  template <int dim>
  Jet<dim>
  FiniteBasisValues<dim>::feature_jet(const unsigned int s,
                                      const unsigned int k,
                                      const unsigned int q) const
  {
    if (k == 0)
      {
        Jet<dim> one;
        one.value = 1.;
        return one;
      }
    const auto &subdomain = space.subdomain(slots[s]);
    return fbpinn::feature_jet<dim>(space.get_settings().activation,
                                    &subdomain.weights[(k - 1) * dim],
                                    subdomain.biases[k - 1],
                                    points_array[q],
                                    subdomain.centre,
                                    subdomain.half_width);
  }


  template <int dim>
  Jet<dim>
  FiniteBasisValues<dim>::shape_jet(const unsigned int i,
                                    const unsigned int q) const
  {
    const unsigned int s = i / n_features;
    if (!slot_is_active(s, q))
      return Jet<dim>();
    return product(partition_of_unity(s, q), feature_jet(s, i % n_features, q));
  }


  template <int dim>
  double
  FiniteBasisValues<dim>::shape_value(const unsigned int i,
                                      const unsigned int q) const
  {
    return shape_jet(i, q).value;
  }


  template <int dim>
  Tensor<1, dim>
  FiniteBasisValues<dim>::shape_grad(const unsigned int i,
                                     const unsigned int q) const
  {
    const Jet<dim> jet = shape_jet(i, q);
    Tensor<1, dim> gradient;
    for (int d = 0; d < dim; ++d)
      gradient[d] = jet.gradient[d];
    return gradient;
  }


  template <int dim>
  Tensor<2, dim>
  FiniteBasisValues<dim>::shape_hessian(const unsigned int i,
                                        const unsigned int q) const
  {
    const Jet<dim> jet = shape_jet(i, q);
    Tensor<2, dim> hessian;
    for (int d = 0; d < dim; ++d)
      for (int e = 0; e < dim; ++e)
        hessian[d][e] = jet.hessian[d][e];
    return hessian;
  }


  template class FiniteBasisValues<1>;
  template class FiniteBasisValues<2>;
  template class FiniteBasisValues<3>;
} // namespace fbpinn
