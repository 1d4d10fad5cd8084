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
    virtual ~SolutionEvaluator() = default;

    /** Evaluate u_h and ∇u_h at the quadrature points of @p cell. */
    virtual void
    reinit(const typename Triangulation<dim>::active_cell_iterator &cell) = 0;

    /** u_h at the quadrature points of the last cell. */
    const std::vector<double> &
    values() const
    {
      return solution_values;
    }

    /** ∇u_h at the quadrature points of the last cell. */
    const std::vector<Tensor<1, dim>> &
    gradients() const
    {
      return solution_gradients;
    }

  protected:
    std::vector<double>         solution_values;
    std::vector<Tensor<1, dim>> solution_gradients;
  };
} // namespace fbpinn
