#pragma once

#include <deal.II/base/point.h>
#include <deal.II/base/quadrature.h>
#include <deal.II/base/tensor.h>
#include <deal.II/fe/mapping.h>
#include <deal.II/grid/tria.h>

#include <fbpinn/postprocess/solution_evaluator.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace fbpinn
{
  using namespace dealii;

  /** A discrete solution at one point: each field's value and gradient. */
  template <int dim>
  struct PointSample
  {
    std::vector<double>         values;
    std::vector<Tensor<1, dim>> gradients;
  };

  /**
   * The points of `Point values`: "x, y; x, y; ..." (the coordinates of the
   * run's mesh, t last for a time-dependent problem), each with @p dim
   * coordinates; throws a one-line error naming the entry otherwise.
   */
  template <int dim>
  std::vector<Point<dim>>
  parse_point_list(const std::string &text);

  /**
   * u_h and ∇u_h at @p points (collective; the result is the same on every
   * rank). Each point is evaluated on the locally owned cell that holds it
   * (the lowest rank's where several do), with an evaluator of
   * @p create_evaluator for the one-point rule of its reference position,
   * so every method (FEM, ELM, the networks) is evaluated by its own
   * evaluator. A point that no cell holds is a one-line error.
   */
  template <int dim>
  std::vector<PointSample<dim>>
  evaluate_at_points(
    const Triangulation<dim>      &triangulation,
    const Mapping<dim>            &mapping,
    const std::vector<Point<dim>> &points,
    const std::function<std::unique_ptr<SolutionEvaluator<dim>>(
      const Quadrature<dim> &)>   &create_evaluator);
} // namespace fbpinn
