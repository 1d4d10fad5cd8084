#include <fbpinn/plugins.h>
#include <fbpinn/problems/poisson.h>

namespace fbpinn
{
  namespace Problems
  {
    template class Poisson<1>;
    template class Poisson<2>;
    template class Poisson<3>;
  } // namespace Problems
} // namespace fbpinn

FBPINN_REGISTER_PROBLEM(
  fbpinn::Problems::Poisson,
  "poisson",
  "-Δu = f on [0,1]^d with the smooth manufactured solution "
  "u = Π_d sin(π(x_d + 1/4)) and Dirichlet data u on the whole boundary.")
