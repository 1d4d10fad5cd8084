#include <fbpinn/plugins.h>
#include <fbpinn/problems/multiscale_laplace.h>

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
    double
    MultiscaleLaplace<dim>::forcing(const Point<dim> &x) const
    {
      double f = 0.;
      for (unsigned int i = 1; i <= n_scales; ++i)
        {
          const double omega = std::ldexp(M_PI, i);
          double       term  = dim * omega * omega;
          for (int d = 0; d < dim; ++d)
            term *= std::sin(omega * x[d]);
          f += term;
        }
      return f / n_scales;
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
  "benchmark of the multilevel-FBPINN and local-feature-filtering papers.")
