#pragma once

#include <fbpinn/problems/interface.h>

#include <cmath>

namespace fbpinn
{
  namespace Problems
  {
    /**
     * The multi-scale Laplace benchmark of the multilevel-FBPINN and
     * local-feature-filtering papers: −Δu = f on [0,1]^dim, u = 0 on the
     * boundary, with
     * @f[ u(x) = \frac1n \sum_{i=1}^n \prod_d \sin(\omega_i x_d), \qquad
     *     \omega_i = 2^i \pi, \qquad
     *     f(x) = \frac1n \sum_{i=1}^n \dim\,\omega_i^2 \prod_d \sin(\omega_i
     * x_d). @f]
     */
    template <int dim>
    class MultiscaleLaplace : public PdeProblem<dim, MultiscaleLaplace<dim>>
    {
    public:
      static void
      declare_parameters(ParameterHandler &prm);

      void
      parse_parameters(ParameterHandler &prm) override;

      bool
      is_linear() const override
      {
        return true;
      }

      template <typename Number>
      Number
      pde_operator(const Jet<dim, Number> &u) const
      {
        return -laplacian(u);
      }

      template <typename Number>
      Number
      solution(const std::array<Number, dim> &x) const
      {
        using std::sin;
        Number u = 0.;
        for (unsigned int i = 1; i <= n_scales; ++i)
          {
            const double omega = std::ldexp(M_PI, i);
            Number       term  = 1.;
            for (int d = 0; d < dim; ++d)
              term *= sin(omega * x[d]);
            u += term;
          }
        return u / double(n_scales);
      }

      bool
      has_hard_constraint() const override;

      void
      hard_constraint(const Point<dim> &x,
                      Jet<dim>         &g,
                      Jet<dim>         &d) const override;

      /** The right-hand side f. */
      /** The number of scales n. */
      unsigned int n_scales = 4;
    };
  } // namespace Problems
} // namespace fbpinn
