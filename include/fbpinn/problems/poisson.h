#pragma once

#include <fbpinn/problems/interface.h>
#include <fbpinn/problems/manufactured.h>

#include <cmath>

namespace fbpinn
{
  namespace Problems
  {
    /**
     * −Δu = f on [0,1]^dim with the smooth manufactured solution
     * @f[ u(x) = \prod_d \sin\bigl(\pi (x_d + 1/4)\bigr) @f]
     * (f = dim π² u is derived from it),
     * which is non-zero on the boundary, so the Dirichlet data are exercised.
     */
    template <int dim>
    class Poisson : public PdeProblem<dim, Poisson<dim>>
    {
    public:
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
        return Manufactured::shifted_sine_product<dim>(x);
      }
    };
  } // namespace Problems
} // namespace fbpinn
