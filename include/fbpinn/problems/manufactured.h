#pragma once

#include <array>
#include <cmath>

namespace fbpinn
{
  namespace Problems
  {
    /**
     * Manufactured solutions shared by several problems, as templates on the
     * number type so that Sacado derives their jets (and the forcing).
     */
    namespace Manufactured
    {
      /**
       * u(x) = Π_d sin(π(x_d + 1/4)): smooth, of size one, and non-zero on
       * the boundary of the unit cube, so that Dirichlet data are exercised.
       */
      template <int dim, typename Number>
      Number
      shifted_sine_product(const std::array<Number, dim> &x)
      {
        using std::sin;
        Number u = 1.;
        for (int d = 0; d < dim; ++d)
          u *= sin(M_PI * (x[d] + 0.25));
        return u;
      }
    } // namespace Manufactured
  }   // namespace Problems
} // namespace fbpinn
