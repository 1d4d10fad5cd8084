#include <deal.II/base/mpi.h>
#include <deal.II/base/qprojector.h>
#include <deal.II/fe/fe_q.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/fe/mapping_q.h>

#include <fbpinn/postprocess/error_evaluation.h>

#include <array>
#include <cmath>
#include <limits>
#include <string>

namespace fbpinn
{
  unsigned int
  n_error_points_per_direction(const unsigned int n_assembly_points)
  {
    return n_assembly_points + 3;
  }


  namespace
  {
    /** The integrals per field: ∫e², ∫u², ∫|∇e|², ∫|e|, ∫u, ∫e, with e and u
     * shifted by @p shift (the means of a field up to a constant). */
    constexpr unsigned int n_integrals = 6;

    /** The values and gradients of a reference at every error point of
     * this rank, cell by cell in the order of integrate(); empty: none
     * (integrate() then compares with zero). */
    template <int dim>
    struct ReferenceValues
    {
      std::vector<std::vector<double>>         values;
      std::vector<std::vector<Tensor<1, dim>>> gradients;
    };


    /** The error points of this rank, cell by cell. */
    template <int dim>
    std::vector<Point<dim>>
    error_points(const Triangulation<dim> &triangulation,
                 const Mapping<dim>       &mapping,
                 const Quadrature<dim>    &quadrature)
    {
      const FE_Q<dim>         geometry_fe(1);
      FEValues<dim>           fe_values(mapping,
                              geometry_fe,
                              quadrature,
                              update_quadrature_points);
      std::vector<Point<dim>> points;
      for (const auto &cell : triangulation.active_cell_iterators())
        if (cell->is_locally_owned())
          {
            fe_values.reinit(cell);
            points.insert(points.end(),
                          fe_values.get_quadrature_points().begin(),
                          fe_values.get_quadrature_points().end());
          }
      return points;
    }


    /** @p reference: the exact solution's values if null, else the stored
     * ones (zero where it has none). */
    template <int dim>
    std::vector<double>
    integrate(const Triangulation<dim>       &triangulation,
              const Problems::Interface<dim> &problem,
              const Quadrature<dim>          &quadrature,
              SolutionEvaluator<dim>         &evaluator,
              const std::vector<double>      &error_shift,
              const std::vector<double>      &exact_shift,
              const ReferenceValues<dim>     *reference,
              const Mapping<dim>             &mapping,
              double                         &volume)
    {
      // Only the geometry is needed here (with the method's mapping, so that
      // the points are the evaluator's); the solution comes from the
      // evaluator.
      const FE_Q<dim> geometry_fe(1);
      FEValues<dim>   fe_values(mapping,
                              geometry_fe,
                              quadrature,
                              update_quadrature_points | update_JxW_values);

      const unsigned int          n = problem.n_fields();
      std::vector<double>         integrals(n * n_integrals + 1, 0.);
      std::vector<double>         exact_values;
      std::vector<Tensor<1, dim>> exact_gradients;
      std::size_t                 k = 0;
      for (const auto &cell : triangulation.active_cell_iterators())
        if (cell->is_locally_owned())
          {
            fe_values.reinit(cell);
            evaluator.reinit(cell);
            for (unsigned int q = 0; q < quadrature.size(); ++q, ++k)
              {
                if (reference == nullptr)
                  problem.exact_fields(fe_values.quadrature_point(q),
                                       exact_values,
                                       exact_gradients);
                else
                  {
                    exact_values.assign(n, 0.);
                    exact_gradients.assign(n, Tensor<1, dim>());
                    for (unsigned int f = 0; f < reference->values.size(); ++f)
                      {
                        exact_values[f]    = reference->values[f][k];
                        exact_gradients[f] = reference->gradients[f][k];
                      }
                  }
                const double JxW = fe_values.JxW(q);
                for (unsigned int f = 0; f < n; ++f)
                  {
                    const Tensor<1, dim> gradient_error =
                      evaluator.gradients(f)[q] - exact_gradients[f];
                    const double exact = exact_values[f] - exact_shift[f];
                    const double error =
                      evaluator.values(f)[q] - exact_values[f] - error_shift[f];
                    double *integral = &integrals[f * n_integrals];
                    integral[0] += error * error * JxW;
                    integral[1] += exact * exact * JxW;
                    integral[2] += gradient_error.norm_square() * JxW;
                    integral[3] += std::abs(error) * JxW;
                    integral[4] += exact * JxW;
                    integral[5] += error * JxW;
                  }
                integrals.back() += JxW;
              }
          }
      Utilities::MPI::sum(
        ArrayView<const double>(integrals.data(), integrals.size()),
        triangulation.get_communicator(),
        ArrayView<double>(integrals.data(), integrals.size()));
      volume = integrals.back();
      return integrals;
    }
  } // namespace


  template <int dim>
  double
  compute_final_time_error(
    const Triangulation<dim>       &triangulation,
    const Problems::Interface<dim> &problem,
    const unsigned int              n_points,
    const std::function<std::unique_ptr<SolutionEvaluator<dim>>(
      const Quadrature<dim> &)>    &create_evaluator)
  {
    Assert(problem.is_time_dependent(), ExcInternalError());
    if (!problem.has_exact_solution())
      return std::numeric_limits<double>::quiet_NaN();
    // The space-time box's cells all have their face t = T at the same
    // face number (the upper face in the last direction).
    const unsigned int       face = 2 * dim - 1;
    const types::boundary_id final_id =
      Problems::Interface<dim>::initial_boundary_id + 1;
    const QGauss<dim - 1> face_rule(n_points);
    const Quadrature<dim> rule =
      QProjector<dim>::project_to_face(ReferenceCells::get_hypercube<dim>(),
                                       face_rule,
                                       face);
    const auto                  evaluator = create_evaluator(rule);
    const MappingQ<dim>         mapping(1);
    const unsigned int          n = problem.n_fields();
    std::vector<double>         values;
    std::vector<Tensor<1, dim>> gradients;
    // Per field: ∫e², ∫u², ∫e, ∫u, and the area.
    std::vector<double> sums(4 * n + 1, 0.);
    for (const auto &cell : triangulation.active_cell_iterators())
      if (cell->is_locally_owned() && cell->at_boundary(face) &&
          cell->face(face)->boundary_id() == final_id)
        {
          evaluator->reinit(cell);
          // The faces of the space-time box are flat: |face| w_q.
          const double measure = cell->face(face)->measure();
          for (unsigned int q = 0; q < face_rule.size(); ++q)
            {
              problem.exact_fields(
                mapping.transform_unit_to_real_cell(cell, rule.point(q)),
                values,
                gradients);
              const double JxW = measure * face_rule.weight(q);
              for (unsigned int f = 0; f < n; ++f)
                {
                  const double e = evaluator->values(f)[q] - values[f];
                  sums[4 * f] += e * e * JxW;
                  sums[4 * f + 1] += values[f] * values[f] * JxW;
                  sums[4 * f + 2] += e * JxW;
                  sums[4 * f + 3] += values[f] * JxW;
                }
              sums[4 * n] += JxW;
            }
        }
    Utilities::MPI::sum(sums, triangulation.get_communicator(), sums);
    double       error = 0, norm = 0;
    const double area = sums[4 * n];
    for (unsigned int f = 0; f < n; ++f)
      {
        double e2 = sums[4 * f], u2 = sums[4 * f + 1];
        if (problem.solution_up_to_constant(f) && area > 0.)
          {
            // ∫(e − ē)² = ∫e² − (∫e)²/|Γ|, the same for u.
            e2 -= sums[4 * f + 2] * sums[4 * f + 2] / area;
            u2 -= sums[4 * f + 3] * sums[4 * f + 3] / area;
          }
        error += std::max(e2, 0.);
        norm += std::max(u2, 0.);
      }
    return norm > 0. ? std::sqrt(error / norm) : std::sqrt(error);
  }


  template <int dim>
  FieldErrors
  compute_field_errors(const Triangulation<dim>       &triangulation,
                       const Problems::Interface<dim> &problem,
                       const Quadrature<dim>          &quadrature,
                       SolutionEvaluator<dim>         &evaluator,
                       ReferenceSolution<dim>         *reference,
                       const Mapping<dim>             *method_mapping)
  {
    const MappingQ<dim> q1(1);
    const Mapping<dim> &mapping =
      method_mapping != nullptr ? *method_mapping : q1;
    // Against the exact solution, a reference evaluated once at every
    // error point, or nothing (then the "errors" are the norms of u_h,
    // reported only as finite or not).
    ReferenceValues<dim>  stored;
    ReferenceValues<dim> *against = nullptr;
    std::string           name    = "exact";
    if (reference != nullptr)
      {
        reference->evaluate(error_points(triangulation, mapping, quadrature),
                            stored.values,
                            stored.gradients);
        against = &stored;
        name    = reference->name();
      }
    else if (!problem.has_exact_solution())
      {
        against = &stored;
        name    = "none";
      }
    const unsigned int  n = problem.n_fields();
    std::vector<double> error_shift(n, 0.), exact_shift(n, 0.);
    double              volume    = 0;
    std::vector<double> integrals = integrate(triangulation,
                                              problem,
                                              quadrature,
                                              evaluator,
                                              error_shift,
                                              exact_shift,
                                              against,
                                              mapping,
                                              volume);
    // A field up to a constant: a second pass with the means removed.
    bool shifted = false;
    for (unsigned int f = 0; f < n; ++f)
      if (problem.solution_up_to_constant(f))
        {
          error_shift[f] = integrals[f * n_integrals + 5] / volume;
          exact_shift[f] = integrals[f * n_integrals + 4] / volume;
          shifted        = true;
        }
    if (shifted)
      integrals = integrate(triangulation,
                            problem,
                            quadrature,
                            evaluator,
                            error_shift,
                            exact_shift,
                            against,
                            mapping,
                            volume);

    FieldErrors result;
    double      error2 = 0, exact2 = 0, gradient2 = 0, l1 = 0, variance = 0;
    for (unsigned int f = 0; f < n; ++f)
      {
        const double *integral = &integrals[f * n_integrals];
        const double  mean     = integral[4] / volume;
        const double  field_variance =
          std::max(integral[1] / volume - mean * mean, 0.);
        ErrorNorms norms;
        norms.l2          = std::sqrt(integral[0]);
        norms.relative_l2 = std::sqrt(integral[0] / integral[1]);
        norms.h1_seminorm = std::sqrt(integral[2]);
        norms.normalized_l1 =
          (integral[3] / volume) / std::sqrt(field_variance);
        result.fields.push_back(norms);
        error2 += integral[0];
        exact2 += integral[1];
        gradient2 += integral[2];
        l1 += integral[3] / volume;
        variance += field_variance;
      }
    result.total.l2            = std::sqrt(error2);
    result.total.relative_l2   = std::sqrt(error2 / exact2);
    result.total.h1_seminorm   = std::sqrt(gradient2);
    result.total.normalized_l1 = l1 / std::sqrt(variance);
    result.reference           = name;
    result.solution_finite     = std::isfinite(error2) && std::isfinite(l1);
    if (name == "none")
      {
        const double     nan = std::numeric_limits<double>::quiet_NaN();
        const ErrorNorms unknown{nan, nan, nan, nan};
        result.total = unknown;
        for (ErrorNorms &norms : result.fields)
          norms = unknown;
      }
    return result;
  }


  template <int dim>
  ErrorNorms
  compute_errors(const Triangulation<dim>       &triangulation,
                 const Problems::Interface<dim> &problem,
                 const Quadrature<dim>          &quadrature,
                 SolutionEvaluator<dim>         &evaluator)
  {
    return compute_field_errors(triangulation,
                                problem,
                                quadrature,
                                evaluator,
                                static_cast<ReferenceSolution<dim> *>(nullptr))
      .total;
  }


  template FieldErrors
  compute_field_errors(const Triangulation<1> &,
                       const Problems::Interface<1> &,
                       const Quadrature<1> &,
                       SolutionEvaluator<1> &,
                       ReferenceSolution<1> *,
                       const Mapping<1> *);
  template ErrorNorms
  compute_errors(const Triangulation<1> &,
                 const Problems::Interface<1> &,
                 const Quadrature<1> &,
                 SolutionEvaluator<1> &);
  template double
  compute_final_time_error(
    const Triangulation<2> &,
    const Problems::Interface<2> &,
    const unsigned int,
    const std::function<
      std::unique_ptr<SolutionEvaluator<2>>(const Quadrature<2> &)> &);
  template FieldErrors
  compute_field_errors(const Triangulation<2> &,
                       const Problems::Interface<2> &,
                       const Quadrature<2> &,
                       SolutionEvaluator<2> &,
                       ReferenceSolution<2> *,
                       const Mapping<2> *);
  template ErrorNorms
  compute_errors(const Triangulation<2> &,
                 const Problems::Interface<2> &,
                 const Quadrature<2> &,
                 SolutionEvaluator<2> &);
  template double
  compute_final_time_error(
    const Triangulation<3> &,
    const Problems::Interface<3> &,
    const unsigned int,
    const std::function<
      std::unique_ptr<SolutionEvaluator<3>>(const Quadrature<3> &)> &);
  template FieldErrors
  compute_field_errors(const Triangulation<3> &,
                       const Problems::Interface<3> &,
                       const Quadrature<3> &,
                       SolutionEvaluator<3> &,
                       ReferenceSolution<3> *,
                       const Mapping<3> *);
  template ErrorNorms
  compute_errors(const Triangulation<3> &,
                 const Problems::Interface<3> &,
                 const Quadrature<3> &,
                 SolutionEvaluator<3> &);
} // namespace fbpinn
