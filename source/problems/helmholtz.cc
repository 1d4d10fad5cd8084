#include <fbpinn/plugins.h>
#include <fbpinn/problems/helmholtz.h>

#include <cmath>
#include <stdexcept>

namespace fbpinn
{
  namespace Problems
  {
    template <int dim>
    void
    Helmholtz<dim>::declare_parameters(ParameterHandler &prm)
    {
      prm.declare_entry("Wave number",
                        "8",
                        Patterns::Double(0.),
                        "The wave number k in −Δu − k²u = f. Keep k² away from "
                        "the Dirichlet eigenvalues π²|m|² of the unit cube "
                        "(m a vector of positive integers), where the problem "
                        "is singular.");
    }


    double
    parse_wave_number(ParameterHandler &prm)
    {
      const double k = prm.get_double("Wave number");
      if (!std::isfinite(k * k))
        throw std::invalid_argument(
          "entry 'Wave number' = " + prm.get("Wave number") +
          ": k² is not finite (the operator's coefficient overflows); give a "
          "wave number below 1e150");
      return k;
    }


    template <int dim>
    void
    Helmholtz<dim>::parse_parameters(ParameterHandler &prm)
    {
      wave_number = parse_wave_number(prm);
    }


    template class Helmholtz<1>;
    template class Helmholtz<2>;
    template class Helmholtz<3>;
  } // namespace Problems
} // namespace fbpinn

FBPINN_REGISTER_PROBLEM(
  fbpinn::Problems::Helmholtz,
  "helmholtz",
  "-Δu - k²u = f on [0,1]^d with Dirichlet data and the manufactured "
  "solution u = sin(k e·x + 0.3) + Π_d sin(π x_d), e = (1,...,1)/√d. "
  "Indefinite for k² > dπ²: solve it with a direct solver.")
