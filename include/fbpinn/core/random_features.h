#pragma once

#include <fbpinn/core/jet.h>

#include <array>
#include <cmath>
#include <cstdint>

namespace fbpinn
{
  /** The activation of a random feature. */
  enum class Activation
  {
    tanh,
    sin
  };

  /**
   * The jet of one random feature φ(z), z = W·y + b, of the
   * subdomain-normalised coordinates y_d = (x_d − c_d)/h_d:
   * ∇φ = φ'(z) v, ∇∇φ = φ''(z) v vᵀ with v_d = W_d / h_d.
   */
  template <int dim>
  FBPINN_HOST_DEVICE Jet<dim>
                     feature_jet(const Activation               activation,
                                 const double                  *weights,
                                 const double                   bias,
                                 const std::array<double, dim> &x,
                                 const std::array<double, dim> &centre,
                                 const std::array<double, dim> &half_width)
  {
    double z = bias;
    double v[dim];
    for (int d = 0; d < dim; ++d)
      {
        v[d] = weights[d] / half_width[d];
        z += v[d] * (x[d] - centre[d]);
      }
    double phi, phi1, phi2;
    if (activation == Activation::tanh)
      {
        phi  = std::tanh(z);
        phi1 = 1. - phi * phi;
        phi2 = -2. * phi * phi1;
      }
    else
      {
        phi  = std::sin(z);
        phi1 = std::cos(z);
        phi2 = -phi;
      }
    Jet<dim> jet;
    jet.value = phi;
    for (int d = 0; d < dim; ++d)
      {
        jet.gradient[d] = phi1 * v[d];
        for (int e = 0; e < dim; ++e)
          jet.hessian[d][e] = phi2 * v[d] * v[e];
      }
    return jet;
  }

  /**
   * A counter-based random number: a uniform double in [0, 1) that depends
   * only on its key, so that the features of a subdomain are the same whatever
   * the number of MPI ranks and the order in which subdomains are visited.
   * The key is mixed with the SplitMix64 finaliser (Steele, Lea, Flood 2014),
   * a bijection on 64-bit words with full avalanche; no library in the stack
   * offers a keyed (stateless) generator.
   */
  class KeyedRandom
  {
  public:
    /** Absorb one more word of the key. */
    FBPINN_HOST_DEVICE KeyedRandom &
    absorb(const std::uint64_t word)
    {
      state = mix(state ^
                  (word + 0x9e3779b97f4a7c15ULL + (state << 6) + (state >> 2)));
      return *this;
    }

    /** The uniform number in [0, 1) of the key absorbed so far. */
    FBPINN_HOST_DEVICE double
    uniform() const
    {
      return (mix(state) >> 11) * 0x1.0p-53;
    }

  private:
    FBPINN_HOST_DEVICE static std::uint64_t
    mix(std::uint64_t z)
    {
      z += 0x9e3779b97f4a7c15ULL;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      return z ^ (z >> 31);
    }

    std::uint64_t state = 0x243f6a8885a308d3ULL;
  };
} // namespace fbpinn
