#pragma once

#include <fbpinn/problems/interface.h>

#include <cmath>

namespace fbpinn
{
  namespace Problems
  {
    /**
     * The first-order problem of the FBPINN paper: du/dx = cos(ωx) on
     * [−2π, 2π] with u(0) = 0 (a condition in the middle of the domain), exact
     * solution u = sin(ωx)/ω. Hard-constraint ansatz u = tanh(ωx) v.
     */
    template <int dim>
    class CosOde : public PdeProblem<dim, CosOde<dim>>
    {
      static_assert(dim == 1, "cos-ode is a 1D problem");

    public:
      static void
      declare_parameters(ParameterHandler &prm);

      void
      parse_parameters(ParameterHandler &prm) override;

      void
      create_coarse_mesh(Triangulation<dim> &triangulation,
                         const unsigned int  subdivisions) const override;

      bool
      is_linear() const override
      {
        return true;
      }

      template <typename Number>
      Number
      pde_operator(const Jet<dim, Number> &u) const
      {
        return u.gradient[0];
      }

      double
      forcing(const Point<dim> &x) const
      {
        return std::cos(omega * x[0]);
      }

      template <typename Number>
      Number
      solution(const std::array<Number, dim> &x) const
      {
        using std::sin;
        return sin(omega * x[0]) / omega;
      }

      bool
      conditions_by_boundary_id() const override;

      unsigned int
      n_boundary_conditions(const types::boundary_id id,
                            const Point<dim>        &x) const override;

      std::vector<Point<dim>>
      interior_condition_points() const override;

      bool
      has_hard_constraint() const override;

      void
      hard_constraint(const Point<dim> &x,
                      Jet<dim>         &g,
                      Jet<dim>         &d) const override;

      /** ω. */
      double omega = 15.;
    };
  } // namespace Problems
} // namespace fbpinn
