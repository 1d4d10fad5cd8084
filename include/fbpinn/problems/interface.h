#pragma once

#include <deal.II/base/parameter_handler.h>
#include <deal.II/base/point.h>
#include <deal.II/base/tensor.h>
#include <deal.II/grid/tria.h>

#include <Sacado.hpp>

#include <fbpinn/core/jet.h>

#include <array>
#include <string>
#include <utility>
#include <vector>

namespace fbpinn
{
  /**
   * PDE problems. A problem is written once, as the residual of the local jet
   * of u (see Jet), and every method solves it from that one definition.
   */
  namespace Problems
  {
    using namespace dealii;

    /**
     * The residual r(x, J[u]) and its derivative with respect to the jet,
     * @f[ r = D : \nabla\nabla u + g \cdot \nabla u + c\,u - f(x) @f]
     * for a linear operator, where D = ∂r/∂(∇∇u), g = ∂r/∂(∇u), c = ∂r/∂u.
     */
    template <int dim>
    struct LinearizedResidual
    {
      double         residual = 0;
      double         d_value  = 0;
      Tensor<1, dim> d_gradient;
      Tensor<2, dim> d_hessian;
    };

    /**
     * The interface every problem implements. Write problems through
     * PdeProblem (CRTP), which derives everything but the PDE itself, the exact
     * solution and the right-hand side.
     */
    template <int dim>
    class Interface
    {
    public:
      virtual ~Interface() = default;

      /** Declare the problem's own entries; the caller has entered
       * `subsection Problem / subsection <name>`. */
      static void
      declare_parameters(ParameterHandler &prm);

      /** Read the entries declared above, from the same subsection. */
      virtual void
      parse_parameters(ParameterHandler &prm);

      /**
       * The coarse mesh of the domain with @p subdivisions cells per direction.
       * Default: the unit hypercube [0,1]^dim.
       */
      virtual void
      create_coarse_mesh(Triangulation<dim> &triangulation,
                         const unsigned int  subdivisions) const;

      /** The strong-form residual r(x, J[u]) of the PDE; zero for the exact
       * solution. */
      virtual double
      residual(const Point<dim> &x, const Jet<dim> &u) const = 0;

      /** The residual and its exact derivative with respect to the jet. */
      virtual LinearizedResidual<dim>
      linearize(const Point<dim> &x, const Jet<dim> &u) const = 0;

      /** The exact solution at @p x. */
      virtual double
      exact_value(const Point<dim> &x) const = 0;

      /** Value, gradient and Hessian of the exact solution at @p x. */
      virtual Jet<dim>
      exact_jet(const Point<dim> &x) const = 0;

      /** Value and gradient of the exact solution at @p x (for errors; cheaper
       * than exact_jet). */
      virtual std::pair<double, Tensor<1, dim>>
      exact_value_and_gradient(const Point<dim> &x) const = 0;

      /** Dirichlet data on the boundary. Default: the exact solution. */
      virtual double
      dirichlet_value(const Point<dim> &x) const;

      /**
       * Whether the boundary conditions are Dirichlet data u = dirichlet_value
       * on the whole boundary and nothing else (FEM requires this). Problems
       * with other conditions (initial conditions of an ODE, conditions at
       * interior points) return false and describe them with
       * n_boundary_conditions(), linearize_boundary_condition() and
       * interior_condition_points().
       */
      virtual bool
      has_dirichlet_boundary_only() const;

      /**
       * The number of conditions imposed at the boundary point @p x (0: none
       * there). Default: 1, the Dirichlet condition.
       */
      virtual unsigned int
      n_boundary_conditions(const Point<dim> &x) const;

      /**
       * Condition @p m at the point @p x as a residual b_m(x, J[u]) = 0 and its
       * derivative with respect to the jet. @p normal is the outward normal on
       * the boundary (zero at interior condition points). Default:
       * b = u − dirichlet_value(x).
       */
      virtual LinearizedResidual<dim>
      linearize_boundary_condition(const unsigned int    m,
                                   const Point<dim>     &x,
                                   const Tensor<1, dim> &normal,
                                   const Jet<dim>       &u) const;

      /** Points inside the domain where n_boundary_conditions(x) conditions
       * hold as well (e.g. u(0) = 0 in the middle of the domain). Default:
       * none. */
      virtual std::vector<Point<dim>>
      interior_condition_points() const;

      /**
       * Whether the problem offers a hard-constraint ansatz u = g + d·v with
       * d = 0 where the conditions hold, so that every v satisfies them.
       */
      virtual bool
      has_hard_constraint() const;

      /** The jets of g and d of the hard-constraint ansatz at @p x. */
      virtual void
      hard_constraint(const Point<dim> &x, Jet<dim> &g, Jet<dim> &d) const;

      /** Whether the operator coefficients are independent of x; then methods
       * linearise once instead of at every point. */
      virtual bool
      has_constant_coefficients() const;

      /**
       * The divergence of the second-order coefficient A = −sym(∂r/∂∇∇u),
       * (∇·A)_j = Σ_i ∂_i A_ij, which the FEM weak form needs for a variable A.
       * Default: zero (constant A).
       */
      virtual Tensor<1, dim>
      second_order_coefficient_divergence(const Point<dim> &x) const;
    };

    /**
     * The CRTP helper every built-in problem derives from. @p Derived provides
     *
     *     template <typename Number>
     *     Number pde_residual(const Point<dim> &x, const Jet<dim, Number> &u)
     * const; template <typename Number> Number solution(const
     * std::array<Number, dim> &x) const;
     *
     * and this class evaluates them with double and with Sacado forward-AD
     * numbers to obtain the residual, its derivative with respect to the jet,
     * and the exact value, gradient and Hessian (nested forward AD).
     */
    template <int dim, typename Derived>
    class PdeProblem : public Interface<dim>
    {
    public:
      double
      residual(const Point<dim> &x, const Jet<dim> &u) const override
      {
        return derived().pde_residual(x, u);
      }

      LinearizedResidual<dim>
      linearize(const Point<dim> &x, const Jet<dim> &u) const override
      {
        constexpr int n = 1 + dim + dim * dim;
        using AD        = Sacado::Fad::SFad<double, n>;
        Jet<dim, AD> jet;
        jet.value = AD(n, 0, u.value);
        for (int d = 0; d < dim; ++d)
          jet.gradient[d] = AD(n, 1 + d, u.gradient[d]);
        for (int d = 0; d < dim; ++d)
          for (int e = 0; e < dim; ++e)
            jet.hessian[d][e] = AD(n, 1 + dim + d * dim + e, u.hessian[d][e]);

        const AD                r = derived().pde_residual(x, jet);
        LinearizedResidual<dim> result;
        result.residual = r.val();
        result.d_value  = r.dx(0);
        for (int d = 0; d < dim; ++d)
          result.d_gradient[d] = r.dx(1 + d);
        for (int d = 0; d < dim; ++d)
          for (int e = 0; e < dim; ++e)
            result.d_hessian[d][e] = r.dx(1 + dim + d * dim + e);
        return result;
      }

      double
      exact_value(const Point<dim> &x) const override
      {
        std::array<double, dim> xa;
        for (int d = 0; d < dim; ++d)
          xa[d] = x[d];
        return derived().solution(xa);
      }

      Jet<dim>
      exact_jet(const Point<dim> &x) const override
      {
        using Inner = Sacado::Fad::SFad<double, dim>;
        using Outer = Sacado::Fad::SFad<Inner, dim>;
        std::array<Outer, dim> xa;
        for (int d = 0; d < dim; ++d)
          xa[d] = Outer(dim, d, Inner(dim, d, x[d]));
        const Outer u = derived().solution(xa);

        Jet<dim> jet;
        jet.value = u.val().val();
        for (int d = 0; d < dim; ++d)
          {
            jet.gradient[d] = u.val().dx(d);
            for (int e = 0; e < dim; ++e)
              jet.hessian[d][e] = u.dx(d).dx(e);
          }
        return jet;
      }

      std::pair<double, Tensor<1, dim>>
      exact_value_and_gradient(const Point<dim> &x) const override
      {
        using AD = Sacado::Fad::SFad<double, dim>;
        std::array<AD, dim> xa;
        for (int d = 0; d < dim; ++d)
          xa[d] = AD(dim, d, x[d]);
        const AD       u = derived().solution(xa);
        Tensor<1, dim> gradient;
        for (int d = 0; d < dim; ++d)
          gradient[d] = u.dx(d);
        return {u.val(), gradient};
      }

    private:
      const Derived &
      derived() const
      {
        return static_cast<const Derived &>(*this);
      }
    };
  } // namespace Problems
} // namespace fbpinn
