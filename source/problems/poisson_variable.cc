#include <fbpinn/plugins.h>
#include <fbpinn/problems/interface.h>
#include <fbpinn/problems/manufactured.h>

#include <cmath>
#include <stdexcept>

namespace fbpinn
{
  namespace Problems
  {
    /**
     * −∇·(A(x)∇u) = f on [0,1]^dim with a smooth, strongly varying diffusion
     * coefficient of contrast C = max A / min A,
     * @f[ A(x) = C^{s(x)}, \qquad s(x) = \tfrac12\bigl(1 + \prod_d
     *     \sin(2\pi x_d)\bigr) \in [0, 1], @f]
     * the manufactured solution u = Π_d sin(π(x_d + 1/4)) (f is derived from
     * it) and Dirichlet data u on the whole boundary.
     */
    template <int dim>
    class PoissonVariable : public PdeProblem<dim, PoissonVariable<dim>>
    {
    public:
      static void
      declare_parameters(ParameterHandler &prm)
      {
        prm.declare_entry(
          "Contrast",
          "100",
          Patterns::Double(1.),
          "C = max A / min A of the coefficient A(x) = C^s(x).");
      }

      void
      parse_parameters(ParameterHandler &prm) override
      {
        log_contrast = std::log(prm.get_double("Contrast"));
      }

      bool
      is_linear() const override
      {
        return true;
      }

      // −∇·(A∇u) = −A Δu − ∇A·∇u with ∇A = A ln C ∇s.
      template <typename Number>
      Number
      pde_operator(const std::array<Number, dim> &x,
                   const Jet<dim, Number>        &u) const
      {
        using std::cos;
        using std::exp;
        using std::sin;
        Number product = 1.;
        for (int d = 0; d < dim; ++d)
          product *= sin(2. * M_PI * x[d]);
        const Number a         = exp(log_contrast * 0.5 * (1. + product));
        Number       advection = 0.;
        for (int d = 0; d < dim; ++d)
          {
            Number ds = M_PI * cos(2. * M_PI * x[d]);
            for (int e = 0; e < dim; ++e)
              if (e != d)
                ds *= sin(2. * M_PI * x[e]);
            advection += a * log_contrast * ds * u.gradient[d];
          }
        return -a * laplacian(u) - advection;
      }

      template <typename Number>
      Number
      solution(const std::array<Number, dim> &x) const
      {
        return Manufactured::shifted_sine_product<dim>(x);
      }

      double log_contrast = std::log(100.);
    };
  } // namespace Problems
} // namespace fbpinn

FBPINN_REGISTER_PROBLEM(
  fbpinn::Problems::PoissonVariable,
  "poisson-variable",
  "−∇·(A(x)∇u) = f on [0,1]^d with the smooth coefficient A = C^s(x) of "
  "contrast C (entry Contrast, default 100), the manufactured solution "
  "u = Π_d sin(π(x_d + 1/4)) and Dirichlet data u.")
