#include <fbpinn/plugins.h>
#include <fbpinn/problems/multiscale_laplace.h>

#include <array>

namespace fbpinn
{
  namespace Problems
  {
    template <int dim>
    void
    MultiscaleLaplace<dim>::declare_parameters(ParameterHandler &prm)
    {
      prm.declare_entry("Number of scales",
                        "4",
                        Patterns::Integer(1, 20),
                        "The number n of scales; scale i has the angular "
                        "frequency ω_i = 2^i π, i = 1 ... n.");
    }


    template <int dim>
    void
    MultiscaleLaplace<dim>::parse_parameters(ParameterHandler &prm)
    {
      n_scales = prm.get_integer("Number of scales");
    }


    template <int dim>
    bool
    MultiscaleLaplace<dim>::has_hard_constraint() const
    {
      return true;
    }


    template <int dim>
    void
    MultiscaleLaplace<dim>::hard_constraint(const Point<dim> &x,
                                            Jet<dim>         &g,
                                            Jet<dim>         &d) const
    {
      // d = Π_k φ(x_k), φ(t) = tanh(t/s) tanh((1 − t)/s): the jet of the
      // product from each factor's value and first two derivatives.
      const double s = std::ldexp(1., -static_cast<int>(n_scales));
      std::array<std::array<double, 3>, dim> phi; // φ, φ', φ''
      for (int k = 0; k < dim; ++k)
        {
          const double a = std::tanh(x[k] / s), b = std::tanh((1. - x[k]) / s);
          const double a1 = (1. - a * a) / s, b1 = -(1. - b * b) / s;
          const double a2 = -2. * a * a1 / s, b2 = 2. * b * b1 / s;
          phi[k] = {{a * b, a1 * b + a * b1, a2 * b + 2. * a1 * b1 + a * b2}};
        }
      g = Jet<dim>();
      d = Jet<dim>();
      // ∂^α d = Π_k φ^(α_k)(x_k) for the multi-indices of order ≤ 2.
      const auto derivative = [&](const std::array<int, dim> &order) {
        double value = 1.;
        for (int k = 0; k < dim; ++k)
          value *= phi[k][order[k]];
        return value;
      };
      std::array<int, dim> order{};
      d.value = derivative(order);
      for (int a = 0; a < dim; ++a)
        {
          order.fill(0);
          order[a]      = 1;
          d.gradient[a] = derivative(order);
          for (int b = 0; b < dim; ++b)
            {
              order.fill(0);
              order[a] += 1;
              order[b] += 1;
              d.hessian[a][b] = derivative(order);
            }
        }
    }


    template class MultiscaleLaplace<1>;
    template class MultiscaleLaplace<2>;
    template class MultiscaleLaplace<3>;
  } // namespace Problems
} // namespace fbpinn

FBPINN_REGISTER_PROBLEM(
  fbpinn::Problems::MultiscaleLaplace,
  "multiscale-laplace",
  "-Δu = f on [0,1]^d, u = 0 on the boundary, with "
  "u = (1/n) Σ_{i=1..n} Π_d sin(ω_i x_d), ω_i = 2^i π: the multi-scale "
  "benchmark of the multilevel-FBPINN and local-feature-filtering papers. "
  "Hard-constraint ansatz u = Π_d tanh(x_d/s) tanh((1 − x_d)/s) v, s = 1/2^n.")
