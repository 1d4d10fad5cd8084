#include <fbpinn/plugins.h>
#include <fbpinn/problems/interface.h>
#include <fbpinn/problems/manufactured.h>

#include <cmath>

namespace fbpinn
{
  namespace Problems
  {
    /**
     * Nonlinear diffusion −∇·((1 + u²)∇u) = f on [0,1]^dim with the
     * manufactured solution u = Π_d sin(π(x_d + 1/4)) (f is derived from it),
     * Dirichlet data u on the whole boundary.
     */
    template <int dim>
    class NonlinearPoisson : public PdeProblem<dim, NonlinearPoisson<dim>>
    {
    public:
      bool
      is_linear() const override
      {
        return false;
      }

      // −∇·((1 + u²)∇u) = −(1 + u²) Δu − 2u |∇u|².
      template <typename Number>
      Number
      pde_operator(const Jet<dim, Number> &u) const
      {
        Number gradient2 = 0.;
        for (int d = 0; d < dim; ++d)
          gradient2 += u.gradient[d] * u.gradient[d];
        return -(1. + u.value * u.value) * laplacian(u) -
               2. * u.value * gradient2;
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

FBPINN_REGISTER_PROBLEM(
  fbpinn::Problems::NonlinearPoisson,
  "nonlinear-poisson",
  "Nonlinear diffusion −∇·((1 + u²)∇u) = f on [0,1]^d with the manufactured "
  "solution u = Π_d sin(π(x_d + 1/4)) and Dirichlet data u.")
