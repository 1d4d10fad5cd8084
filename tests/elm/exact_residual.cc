// Every registered problem, in every dimension it supports: its exact
// solution pushed through the residual machinery (the jet from nested AD,
// residual(), linearize(), the boundary and interior conditions, the
// hard-constraint ansatz) gives ≈ 0 at every collocation point, relative to
// the size of the terms; and linearize() is consistent with residual().

#include <deal.II/base/quadrature_lib.h>
#include <deal.II/fe/fe_dgq.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/fe/mapping_q.h>

#include <fbpinn/mesh/triangulation_factory.h>
#include <fbpinn/plugins.h>
#include <fbpinn/problems/interface.h>

#include <cmath>

#include "tests.h"

namespace
{
  using namespace dealii;

  /** |r| relative to the size of its terms: |∂r/∂J : J| + |r(x, 0)|. */
  template <int dim>
  double
  relative_residual(const fbpinn::Problems::Interface<dim> &problem,
                    const Point<dim>                       &x)
  {
    const fbpinn::Jet<dim> u             = problem.exact_jet(x);
    const auto             linearization = problem.linearize(x, u);
    const double           forcing = problem.residual(x, fbpinn::Jet<dim>());
    double                 scale   = std::abs(forcing) + 1e-300;
    scale += std::abs(linearization.d_value * u.value);
    for (int d = 0; d < dim; ++d)
      {
        scale += std::abs(linearization.d_gradient[d] * u.gradient[d]);
        for (int e = 0; e < dim; ++e)
          scale += std::abs(linearization.d_hessian[d][e] * u.hessian[d][e]);
      }
    // residual() and linearize() agree, and r vanishes for the exact jet.
    const double r = problem.residual(x, u);
    return std::max(std::abs(r), std::abs(linearization.residual - r)) /
           std::max(scale, 1.);
  }


  template <int dim>
  void
  check_problem(const std::string &name)
  {
    const auto &registry =
      fbpinn::Plugins::Registry<fbpinn::Problems::Interface>::instance();
    ParameterHandler prm;
    registry.get(name).declare_parameters(prm);
    auto problem = registry.create<dim>(name);
    problem->parse_parameters(prm);

    auto triangulation = fbpinn::create_triangulation<dim>(MPI_COMM_WORLD);
    problem->create_coarse_mesh(*triangulation, 4);
    triangulation->refine_global(1);

    const MappingQ<dim>   mapping(1);
    const FE_DGQ<dim>     fe(0);
    const QGauss<dim>     cell_rule(6);
    const QGauss<dim - 1> face_rule(6);
    FEValues<dim> cell_values(mapping, fe, cell_rule, update_quadrature_points);
    FEFaceValues<dim> face_values(mapping,
                                  fe,
                                  face_rule,
                                  update_quadrature_points |
                                    update_normal_vectors);

    double       max_interior = 0., max_boundary = 0., max_ansatz = 0.;
    unsigned int n_conditions = 0;
    for (const auto &cell : triangulation->active_cell_iterators())
      if (cell->is_locally_owned())
        {
          cell_values.reinit(cell);
          for (const Point<dim> &x : cell_values.get_quadrature_points())
            {
              max_interior =
                std::max(max_interior, relative_residual(*problem, x));
              if (problem->has_hard_constraint())
                {
                  // u = g + d v with v = (u − g)/d reproduces u where d ≠ 0.
                  fbpinn::Jet<dim> g, d;
                  problem->hard_constraint(x, g, d);
                  if (std::abs(d.value) > 1e-8)
                    {
                      const double v =
                        (problem->exact_value(x) - g.value) / d.value;
                      max_ansatz = std::max(max_ansatz,
                                            std::abs(g.value + d.value * v -
                                                     problem->exact_value(x)));
                    }
                }
            }
          for (const unsigned int f : cell->face_indices())
            if (cell->face(f)->at_boundary())
              {
                face_values.reinit(cell, f);
                for (unsigned int q = 0; q < face_rule.size(); ++q)
                  {
                    const Point<dim> &x = face_values.quadrature_point(q);
                    for (unsigned int m = 0; m < problem->n_boundary_conditions(
                                                   cell->face(f)->boundary_id(),
                                                   x);
                         ++m)
                      {
                        ++n_conditions;
                        max_boundary =
                          std::max(max_boundary,
                                   std::abs(problem
                                              ->linearize_boundary_condition(
                                                m,
                                                cell->face(f)->boundary_id(),
                                                x,
                                                face_values.normal_vector(q),
                                                problem->exact_jet(x))
                                              .residual));
                      }
                  }
              }
        }
    for (const Point<dim> &x : problem->interior_condition_points())
      for (unsigned int m = 0;
           m <
           problem->n_boundary_conditions(numbers::internal_face_boundary_id,
                                          x);
           ++m)
        {
          ++n_conditions;
          max_boundary =
            std::max(max_boundary,
                     std::abs(problem
                                ->linearize_boundary_condition(
                                  m,
                                  numbers::internal_face_boundary_id,
                                  x,
                                  Tensor<1, dim>(),
                                  problem->exact_jet(x))
                                .residual));
        }

    const std::string what = name + " " + std::to_string(dim) + "D";
    fbpinn_tests::check(what + ": PDE residual of the exact solution ≤ 1e-12",
                        max_interior <= 1e-12,
                        fbpinn_tests::to_string(max_interior));
    fbpinn_tests::check(what +
                          ": conditions hold for the exact solution to 1e-12",
                        n_conditions > 0 && max_boundary <= 1e-12,
                        std::to_string(n_conditions) + " conditions, max " +
                          fbpinn_tests::to_string(max_boundary));
    fbpinn_tests::check(what + ": hard-constraint ansatz reproduces u",
                        max_ansatz <= 1e-12,
                        fbpinn_tests::to_string(max_ansatz));
  }
} // namespace


int
main(int argc, char **argv)
{
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  fbpinn_tests::initlog();

  for (const std::string name : {"poisson", "multiscale-laplace", "helmholtz"})
    {
      check_problem<1>(name);
      check_problem<2>(name);
      check_problem<3>(name);
    }
  check_problem<1>("harmonic-oscillator");
  check_problem<1>("cos-ode");
}
