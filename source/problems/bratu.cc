#include <fbpinn/plugins.h>
#include <fbpinn/problems/interface.h>

#include <cmath>
#include <stdexcept>
#include <string>

namespace fbpinn
{
  namespace Problems
  {
    /**
     * The Bratu problem −u'' − λ e^u = 0 on [0,1], u(0) = u(1) = 0, a classic
     * nonlinear test with the closed-form solution (lower branch)
     * @f[ u(x) = -2 \ln\frac{\cosh((x - 1/2)\,\theta/2)}{\cosh(\theta/4)},
     *     \qquad \theta = \sqrt{2\lambda}\cosh(\theta/4), @f]
     * for 0 < λ < λ_c ≈ 3.513830719; θ is the smallest root.
     */
    template <int dim>
    class Bratu : public PdeProblem<dim, Bratu<dim>>
    {
      static_assert(dim == 1, "bratu is a 1D problem");

    public:
      static void
      declare_parameters(ParameterHandler &prm)
      {
        prm.declare_entry("Lambda",
                          "1",
                          Patterns::Double(0.),
                          "λ in −u'' = λ e^u, 0 < λ < 3.5138 (the turning "
                          "point; beyond it there is no solution). The exact "
                          "solution is the lower branch.");
      }

      void
      parse_parameters(ParameterHandler &prm) override
      {
        lambda = prm.get_double("Lambda");
        if (!(lambda > 0. && lambda < critical_lambda))
          throw std::invalid_argument(
            "entry 'Lambda' = " + std::to_string(lambda) +
            " must lie in (0, 3.5138): beyond the turning point λ_c the Bratu "
            "problem has no solution");
        // θ = √(2λ) cosh(θ/4): the fixed-point iteration from 0 increases
        // monotonically to the smallest root (the lower branch); Newton's
        // method then sharpens it.
        const double c = std::sqrt(2. * lambda);
        theta          = 0.;
        for (unsigned int i = 0; i < 10000; ++i)
          theta = c * std::cosh(theta / 4.);
        for (unsigned int i = 0; i < 20; ++i)
          theta -= (theta - c * std::cosh(theta / 4.)) /
                   (1. - c / 4. * std::sinh(theta / 4.));
      }

      bool
      is_linear() const override
      {
        return false;
      }

      double
      forcing(const Point<dim> &) const
      {
        return 0.;
      }

      template <typename Number>
      Number
      pde_operator(const Jet<dim, Number> &u) const
      {
        using std::exp;
        return -u.hessian[0][0] - lambda * exp(u.value);
      }

      template <typename Number>
      Number
      solution(const std::array<Number, dim> &x) const
      {
        using std::cosh;
        using std::log;
        return -2. *
               log(cosh((x[0] - 0.5) * (theta / 2.)) / std::cosh(theta / 4.));
      }

      static constexpr double critical_lambda = 3.513830719125162;
      double                  lambda          = 1.;
      double                  theta           = 0.;
    };
  } // namespace Problems
} // namespace fbpinn

FBPINN_REGISTER_PROBLEM_DIMS(
  fbpinn::Problems::Bratu,
  "bratu",
  "The nonlinear Bratu problem −u'' = λ e^u on [0,1], u(0) = u(1) = 0, with "
  "the closed-form lower-branch solution (entry Lambda, below 3.5138).",
  1)
