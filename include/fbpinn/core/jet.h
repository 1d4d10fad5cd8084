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

namespace fbpinn
{
  /** The jet of a product: J[a b] by the product rule. */
  template <int dim>
  FBPINN_HOST_DEVICE Jet<dim>
                     product(const Jet<dim> &a, const Jet<dim> &b)
  {
    Jet<dim> r;
    r.value = a.value * b.value;
    for (int d = 0; d < dim; ++d)
      r.gradient[d] = a.value * b.gradient[d] + b.value * a.gradient[d];
    for (int d = 0; d < dim; ++d)
      for (int e = 0; e < dim; ++e)
        r.hessian[d][e] =
          a.value * b.hessian[d][e] + b.value * a.hessian[d][e] +
          a.gradient[d] * b.gradient[e] + a.gradient[e] * b.gradient[d];
    return r;
  }

  /** The jet of a sum. */
  template <int dim>
  FBPINN_HOST_DEVICE Jet<dim>
                     sum(const Jet<dim> &a, const Jet<dim> &b)
  {
    Jet<dim> r;
    r.value = a.value + b.value;
    for (int d = 0; d < dim; ++d)
      {
        r.gradient[d] = a.gradient[d] + b.gradient[d];
        for (int e = 0; e < dim; ++e)
          r.hessian[d][e] = a.hessian[d][e] + b.hessian[d][e];
      }
    return r;
  }

  /**
   * The jet of a quotient q = a / b (b ≠ 0) by the quotient rule:
   * ∇q = (∇a − q∇b)/b, ∇∇q = (∇∇a − q∇∇b − ∇q⊗∇b − ∇b⊗∇q)/b.
   */
  template <int dim>
  FBPINN_HOST_DEVICE Jet<dim>
                     quotient(const Jet<dim> &a, const Jet<dim> &b)
  {
    Jet<dim>     q;
    const double inverse = 1. / b.value;
    q.value              = a.value * inverse;
    for (int d = 0; d < dim; ++d)
      q.gradient[d] = (a.gradient[d] - q.value * b.gradient[d]) * inverse;
    for (int d = 0; d < dim; ++d)
      for (int e = 0; e < dim; ++e)
        q.hessian[d][e] =
          (a.hessian[d][e] - q.value * b.hessian[d][e] -
           q.gradient[d] * b.gradient[e] - b.gradient[d] * q.gradient[e]) *
          inverse;
    return q;
  }
} // namespace fbpinn
