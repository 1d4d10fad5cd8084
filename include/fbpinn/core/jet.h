#pragma once

// Header-only maths without deal.II, so that CUDA code can include it too.

#include <array>

#if defined(__CUDACC__)
#  define FBPINN_HOST_DEVICE __host__ __device__
#else
#  define FBPINN_HOST_DEVICE
#endif

namespace fbpinn
{
  /**
   * The local jet of a scalar field u at a point x: its value, gradient and
   * Hessian,
   * @f[ J[u](x) = \bigl(u(x), \nabla u(x), \nabla\nabla u(x)\bigr). @f]
   *
   * Every problem writes its PDE residual as a function of this jet, and every
   * method evaluates it: FEM reads the operator coefficients from the
   * derivative of the residual with respect to the jet, least-squares methods
   * use the same derivative as a matrix row, gradient-trained networks
   * back-propagate through it.
   *
   * @tparam Number double, or an automatic-differentiation type.
   */
  template <int dim, typename Number = double>
  struct Jet
  {
    Number                                   value{};
    std::array<Number, dim>                  gradient{};
    std::array<std::array<Number, dim>, dim> hessian{};
  };

  /** The Laplacian Δu = trace of the Hessian. */
  template <int dim, typename Number>
  FBPINN_HOST_DEVICE Number
  laplacian(const Jet<dim, Number> &u)
  {
    Number result = u.hessian[0][0];
    for (int d = 1; d < dim; ++d)
      result += u.hessian[d][d];
    return result;
  }
} // namespace fbpinn
