#include <fbpinn/network/mlp.h>

// The batched passes of networks with one hidden layer, the FBPINNs
// reference architecture. The general passes in mlp.h carry dense
// pre-activation Hessians and one array per layer quantity through memory;
// with one hidden layer the pre-activation is affine in y, so the output
// jet and its reverse pass need only σ and σ' per unit and point (σ'' and
// σ''' follow from them), about a third of the memory traffic.
//
// The kernels are compiled twice: for the baseline x86-64 target and, on
// x86-64, with AVX2 and FMA (chosen at run time), so that a default build
// runs everywhere and is vectorised four doubles wide where the CPU allows.

namespace fbpinn
{
  namespace Network
  {
    namespace
    {
      namespace baseline
      {
#include "shallow_kernels.inc"
      } // namespace baseline

#if defined(__x86_64__) && defined(__GNUC__)
#  pragma GCC push_options
#  pragma GCC target("avx2,fma")
      namespace avx2
      {
#  include "shallow_kernels.inc"
      } // namespace avx2
#  pragma GCC pop_options
      const bool have_avx2 =
        __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
      constexpr bool have_avx2 = false;
      namespace avx2 = baseline;
#endif
    } // namespace


    template <int dim>
    void
    shallow_forward(const Activation   activation,
                    const unsigned int n,
                    const double      *theta,
                    const unsigned int B,
                    const double      *y,
                    double            *s0,
                    double            *s1,
                    double            *scratch,
                    Jet<dim>          *out)
    {
      if (activation == Activation::tanh)
        (have_avx2 ? avx2::forward<dim, Activation::tanh> :
                     baseline::forward<dim, Activation::tanh>)(
          n, theta, B, y, s0, s1, scratch, out);
      else
        (have_avx2 ? avx2::forward<dim, Activation::sin> :
                     baseline::forward<dim, Activation::sin>)(
          n, theta, B, y, s0, s1, scratch, out);
    }


    template <int dim>
    void
    shallow_backward(const Activation   activation,
                     const unsigned int n,
                     const double      *theta,
                     const unsigned int B,
                     const double      *y,
                     const double      *s0,
                     const double      *s1,
                     const Jet<dim>    *adjoint,
                     double            *scratch,
                     double            *gradient)
    {
      if (activation == Activation::tanh)
        (have_avx2 ? avx2::backward<dim, Activation::tanh> :
                     baseline::backward<dim, Activation::tanh>)(
          n, theta, B, y, s0, s1, adjoint, scratch, gradient);
      else
        (have_avx2 ? avx2::backward<dim, Activation::sin> :
                     baseline::backward<dim, Activation::sin>)(
          n, theta, B, y, s0, s1, adjoint, scratch, gradient);
    }


#define FBPINN_INSTANTIATE(dim)                                            \
  template void shallow_forward<dim>(const Activation,                     \
                                     const unsigned int,                   \
                                     const double *,                       \
                                     const unsigned int,                   \
                                     const double *,                       \
                                     double *,                             \
                                     double *,                             \
                                     double *,                             \
                                     Jet<dim> *);                          \
  template void shallow_backward<dim>(const Activation,                    \
                                      const unsigned int,                  \
                                      const double *,                      \
                                      const unsigned int,                  \
                                      const double *,                      \
                                      const double *,                      \
                                      const double *,                      \
                                      const Jet<dim> *,                    \
                                      double *,                            \
                                      double *);
    FBPINN_INSTANTIATE(1)
    FBPINN_INSTANTIATE(2)
    FBPINN_INSTANTIATE(3)
#undef FBPINN_INSTANTIATE
  } // namespace Network
} // namespace fbpinn
