#include <deal.II/base/mpi.h>
#include <deal.II/fe/fe_q.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/fe/mapping_q.h>

#include <fbpinn/postprocess/error_evaluation.h>

#include <array>
#include <cmath>

namespace fbpinn
{
  unsigned int
  n_error_points_per_direction(const unsigned int n_assembly_points)
  {
    return n_assembly_points + 3;
  }


  template <int dim>
  ErrorNorms
  compute_errors(const Triangulation<dim>       &triangulation,
                 const Problems::Interface<dim> &problem,
                 const Quadrature<dim>          &quadrature,
                 SolutionEvaluator<dim>         &evaluator)
  {
    // Only the geometry is needed here; the solution comes from the evaluator.
    const MappingQ<dim> mapping(1);
    const FE_Q<dim>     geometry_fe(1);
    FEValues<dim>       fe_values(mapping,
                            geometry_fe,
                            quadrature,
                            update_quadrature_points | update_JxW_values);

    // ∫e², ∫u², ∫|∇e|², ∫|e|, ∫u, ∫1
    std::array<double, 6> integrals{};
    for (const auto &cell : triangulation.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          fe_values.reinit(cell);
          evaluator.reinit(cell);
          const auto &values    = evaluator.values();
          const auto &gradients = evaluator.gradients();
          for (unsigned int q = 0; q < quadrature.size(); ++q)
            {
              const auto [exact_value, exact_gradient] =
                problem.exact_value_and_gradient(fe_values.quadrature_point(q));
              const Tensor<1, dim> gradient_error =
                gradients[q] - exact_gradient;
              const double error = values[q] - exact_value;
              const double JxW   = fe_values.JxW(q);
              integrals[0] += error * error * JxW;
              integrals[1] += exact_value * exact_value * JxW;
              integrals[2] += gradient_error.norm_square() * JxW;
              integrals[3] += std::abs(error) * JxW;
              integrals[4] += exact_value * JxW;
              integrals[5] += JxW;
            }
        }
    Utilities::MPI::sum(ArrayView<const double>(integrals.data(),
                                                integrals.size()),
                        triangulation.get_communicator(),
                        ArrayView<double>(integrals.data(), integrals.size()));

    ErrorNorms   norms;
    const double volume   = integrals[5];
    const double mean     = integrals[4] / volume;
    const double variance = std::max(integrals[1] / volume - mean * mean, 0.);
    norms.l2              = std::sqrt(integrals[0]);
    norms.relative_l2     = std::sqrt(integrals[0] / integrals[1]);
    norms.h1_seminorm     = std::sqrt(integrals[2]);
    norms.normalized_l1   = (integrals[3] / volume) / std::sqrt(variance);
    return norms;
  }


  template ErrorNorms
  compute_errors(const Triangulation<1> &,
                 const Problems::Interface<1> &,
                 const Quadrature<1> &,
                 SolutionEvaluator<1> &);
  template ErrorNorms
  compute_errors(const Triangulation<2> &,
                 const Problems::Interface<2> &,
                 const Quadrature<2> &,
                 SolutionEvaluator<2> &);
  template ErrorNorms
  compute_errors(const Triangulation<3> &,
                 const Problems::Interface<3> &,
                 const Quadrature<3> &,
                 SolutionEvaluator<3> &);
} // namespace fbpinn
