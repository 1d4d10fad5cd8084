#pragma once

#include <deal.II/base/point.h>
#include <deal.II/base/tensor.h>
#include <deal.II/grid/tria.h>

#include <vector>

namespace fbpinn
{
  using namespace dealii;

  /**
   * Evaluates a method's discrete solution at the points of one fixed
   * quadrature rule on a cell, FEValues-style: reinit() on a cell, then read
   * values() and gradients(). Every method provides one, so that errors and
   * outputs are computed by one piece of code for all methods.
   */
  template <int dim>
  class SolutionEvaluator
  {
  public:
    /** An evaluator of @p n_fields fields (see Problems::Interface). */
    explicit SolutionEvaluator(const unsigned int n_fields = 1)
      : field_values(n_fields)
      , field_gradients(n_fields)
    {}

    virtual ~SolutionEvaluator() = default;

    /** Evaluate u_h and ∇u_h at the quadrature points of @p cell. */
    virtual void
    reinit(const typename Triangulation<dim>::active_cell_iterator &cell) = 0;

    /** The number of fields. */
    unsigned int
    n_fields() const
    {
      return field_values.size();
    }

    /** Field @p f of u_h at the quadrature points of the last cell. */
    const std::vector<double> &
    values(const unsigned int f = 0) const
    {
      return field_values[f];
    }

    /** ∇ of field @p f of u_h at the quadrature points of the last cell. */
    const std::vector<Tensor<1, dim>> &
    gradients(const unsigned int f = 0) const
    {
      return field_gradients[f];
    }

  protected:
    /** [field][quadrature point] */
    std::vector<std::vector<double>>         field_values;
    std::vector<std::vector<Tensor<1, dim>>> field_gradients;
  };
} // namespace fbpinn
