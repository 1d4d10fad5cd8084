#pragma once

#include <deal.II/base/quadrature.h>
#include <deal.II/fe/mapping.h>
#include <deal.II/grid/tria.h>

#include <fbpinn/postprocess/reference_solution.h>
#include <fbpinn/postprocess/solution_evaluator.h>
#include <fbpinn/problems/interface.h>

#include <functional>
#include <limits>
#include <memory>
#include <vector>

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
   * The error norms of every field of a problem and of all fields together:
   * for the latter, l2, h1_seminorm and relative_l2 take the sums of the
   * squared norms over the fields, and normalized_l1 is Σ_f mean|e_f| over
   * √(Σ_f var(u_f)); with one field both are that field's norms.
   */
  struct FieldErrors
  {
    ErrorNorms              total;
    std::vector<ErrorNorms> fields;
    /** What they are measured against: "exact", a reference's name
     * ("fem"), or "none" (then every norm is NaN). */
    std::string reference = "exact";
    /** Whether u_h is finite at every error point (also without errors). */
    bool solution_finite = true;
    /** A time-dependent problem: the relative L2 error of all fields at
     * t = T (else NaN). */
    double final_time_relative_l2 = std::numeric_limits<double>::quiet_NaN();
  };

  /**
   * Integrate the error of @p evaluator against @p reference (evaluated once
   * at every error point), or if that is null against the exact solution of
   * @p problem (or, for a problem without one, against nothing: the norms
   * are NaN and `reference` is "none"), over every locally owned active cell of
   * @p triangulation with
   * @p quadrature, field by field, and sum over all ranks. A field that is
   * determined only up to a constant (Problems::Interface::
   * solution_up_to_constant) is compared with its mean difference removed, and
   * its norms (for relative_l2, normalized_l1) are those of the exact field
   * minus its mean. The evaluator must have been set up for the same
   * quadrature and @p method_mapping (the method's mapping of the cells;
   * null: Q1). Collective.
   */
  /**
   * The relative L2 error over all fields at t = T of a time-dependent
   * problem solved in space-time (Problems::Interface::is_time_dependent()):
   * ‖u_h(·, T) − u(·, T)‖ / ‖u(·, T)‖ on the faces t = T of the space-time
   * mesh, with the @p n_points-point Gauss rule per direction on each face,
   * against the exact solution (NaN for a problem without one). A field
   * determined only up to a constant is compared with its mean difference on
   * the face removed. @p create_evaluator gives the method's evaluator for a
   * rule of cell points (here those of the face t = T). Collective.
   */
  template <int dim>
  double
  compute_final_time_error(
    const Triangulation<dim>       &triangulation,
    const Problems::Interface<dim> &problem,
    const unsigned int              n_points,
    const std::function<std::unique_ptr<SolutionEvaluator<dim>>(
      const Quadrature<dim> &)>    &create_evaluator);

  template <int dim>
  FieldErrors
  compute_field_errors(const Triangulation<dim>       &triangulation,
                       const Problems::Interface<dim> &problem,
                       const Quadrature<dim>          &quadrature,
                       SolutionEvaluator<dim>         &evaluator,
                       ReferenceSolution<dim>         *reference = nullptr,
                       const Mapping<dim> *method_mapping        = nullptr);

  /** The errors of all fields together (compute_field_errors().total). */
  template <int dim>
  ErrorNorms
  compute_errors(const Triangulation<dim>       &triangulation,
                 const Problems::Interface<dim> &problem,
                 const Quadrature<dim>          &quadrature,
                 SolutionEvaluator<dim>         &evaluator);
} // namespace fbpinn
