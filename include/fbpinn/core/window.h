#pragma once

#include <fbpinn/core/jet.h>

#include <array>
#include <cmath>

namespace fbpinn
{
  /**
   * The cosine-squared window of a support box with centre c and half-widths
   * h (DESIGN §2),
   * @f[ w(x) = \prod_d \Bigl[\tfrac12\bigl(1 + \cos(\pi (x_d -
   * c_d)/h_d)\bigr)\Bigr]^2 @f] inside the box and 0 outside. Each factor is C²
   * across the box boundary (value, first and second derivative vanish there),
   * which a second-order strong-form residual needs. Returns the exact jet.
   */
  template <int dim>
  FBPINN_HOST_DEVICE Jet<dim>
                     window_jet(const std::array<double, dim> &x,
                                const std::array<double, dim> &centre,
                                const std::array<double, dim> &half_width)
  {
    // Factor d and its first two derivatives in x_d.
    double s[dim], s1[dim], s2[dim];
    for (int d = 0; d < dim; ++d)
      {
        const double t = (x[d] - centre[d]) / half_width[d];
        if (!(t > -1. && t < 1.))
          return Jet<dim>();
        const double pi = 3.14159265358979323846;
        const double c  = std::cos(pi * t);
        const double g  = 0.5 * (1. + c);
        const double g1 = -0.5 * pi * std::sin(pi * t) / half_width[d];
        const double g2 = -0.5 * pi * pi * c / (half_width[d] * half_width[d]);
        s[d]            = g * g;
        s1[d]           = 2. * g * g1;
        s2[d]           = 2. * (g1 * g1 + g * g2);
      }

    Jet<dim> w;
    w.value = 1.;
    for (int d = 0; d < dim; ++d)
      w.value *= s[d];
    for (int d = 0; d < dim; ++d)
      for (int e = 0; e < dim; ++e)
        {
          // ∂_d ∂_e Π s: differentiate factor d (and e) and keep the others.
          double product = 1.;
          for (int f = 0; f < dim; ++f)
            if (f != d && f != e)
              product *= s[f];
          w.hessian[d][e] = (d == e ? s2[d] : s1[d] * s1[e]) * product;
        }
    for (int d = 0; d < dim; ++d)
      {
        double product = 1.;
        for (int f = 0; f < dim; ++f)
          if (f != d)
            product *= s[f];
        w.gradient[d] = s1[d] * product;
      }
    return w;
  }
} // namespace fbpinn
