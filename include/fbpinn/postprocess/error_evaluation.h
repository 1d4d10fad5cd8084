#pragma once

#include <deal.II/base/quadrature.h>
#include <deal.II/grid/tria.h>

#include <fbpinn/postprocess/solution_evaluator.h>
#include <fbpinn/problems/interface.h>

namespace fbpinn
{
  /**
   * The error metrics every method reports. With e = u_h − u and Ω the domain:
   * - l2 = ‖e‖_{L2(Ω)};
   * - relative_l2 = ‖e‖_{L2(Ω)} / ‖u‖_{L2(Ω)};
   * - h1_seminorm = ‖∇e‖_{L2(Ω)};
   * - normalized_l1 = mean|e| / std(u), the metric of the FBPINN papers, with
   *   mean and standard deviation taken as integral averages over Ω.
   */
  struct ErrorNorms
  {
    double l2            = 0;
    double relative_l2   = 0;
    double h1_seminorm   = 0;
    double normalized_l1 = 0;
  };

  /**
   * The number of Gauss points per direction of the error rule for a method
   * whose assembly (or collocation) rule has @p n_assembly_points per
   * direction: three more. Gauss rules whose sizes differ by an odd number
   * share no point (their Legendre roots interlace, and only odd sizes contain
   * the midpoint), so errors are never measured only where a collocation
   * method was fitted.
   */
  unsigned int
  n_error_points_per_direction(const unsigned int n_assembly_points);

  /**
   * Integrate the error of @p evaluator against the exact solution of
   * @p problem over every locally owned active cell of @p triangulation with
   * @p quadrature, and sum over all ranks. The evaluator must have been set up
   * for the same quadrature.
   */
  template <int dim>
  ErrorNorms
  compute_errors(const Triangulation<dim>       &triangulation,
                 const Problems::Interface<dim> &problem,
                 const Quadrature<dim>          &quadrature,
                 SolutionEvaluator<dim>         &evaluator);
} // namespace fbpinn
