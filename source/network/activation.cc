#include <fbpinn/network/mlp.h>

#include <cmath>

#if defined(__x86_64__) && defined(__GNUC__) && !defined(FBPINN_WITHOUT_LIBMVEC)
#  include <immintrin.h>

// glibc's vector math library (libmvec, glibc ≥ 2.35 for tanh): four
// doubles per call with AVX2, at most 4 ulp from the correctly rounded
// result. GCC calls these itself only under -ffast-math, which the rest of
// the code must not be compiled with, so they are called explicitly here.
extern "C" __m256d _ZGVdN4v_tanh(__m256d);
extern "C" __m256d _ZGVdN4v_sin(__m256d);
extern "C" __m256d _ZGVdN4v_cos(__m256d);

namespace
{
  __attribute__((target("avx2,fma"))) unsigned int
  tanh_avx2(const double *z, const unsigned int n, double *s0)
  {
    unsigned int i = 0;
    for (; i + 4 <= n; i += 4)
      _mm256_storeu_pd(s0 + i, _ZGVdN4v_tanh(_mm256_loadu_pd(z + i)));
    return i;
  }

  __attribute__((target("avx2,fma"))) unsigned int
  sincos_avx2(const double *z, const unsigned int n, double *s0, double *s1)
  {
    unsigned int i = 0;
    for (; i + 4 <= n; i += 4)
      {
        const __m256d x = _mm256_loadu_pd(z + i);
        _mm256_storeu_pd(s0 + i, _ZGVdN4v_sin(x));
        _mm256_storeu_pd(s1 + i, _ZGVdN4v_cos(x));
      }
    return i;
  }

  const bool have_avx2 =
    __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
} // namespace
#endif


namespace fbpinn
{
  namespace Network
  {
    void
    activation_values(const Activation   activation,
                      const double      *z,
                      const unsigned int n,
                      double            *s0,
                      double            *s1)
    {
      // z may be s1: every z[i] is read before s1[i] is written.
      unsigned int first = 0;
      if (activation == Activation::tanh)
        {
#if defined(__x86_64__) && defined(__GNUC__) && !defined(FBPINN_WITHOUT_LIBMVEC)
          if (have_avx2)
            first = tanh_avx2(z, n, s0);
#endif
          for (unsigned int i = first; i < n; ++i)
            s0[i] = std::tanh(z[i]);
          for (unsigned int i = 0; i < n; ++i)
            s1[i] = 1. - s0[i] * s0[i];
        }
      else
        {
#if defined(__x86_64__) && defined(__GNUC__) && !defined(FBPINN_WITHOUT_LIBMVEC)
          if (have_avx2)
            first = sincos_avx2(z, n, s0, s1);
#endif
          for (unsigned int i = first; i < n; ++i)
            {
              const double x = z[i];
              s0[i]          = std::sin(x);
              s1[i]          = std::cos(x);
            }
        }
    }


    void
    activation_derivatives(const Activation   activation,
                           const double      *z,
                           const unsigned int n,
                           double            *s0,
                           double            *s1,
                           double            *s2,
                           double            *s3)
    {
      activation_values(activation, z, n, s0, s1);
      if (activation == Activation::tanh)
        for (unsigned int i = 0; i < n; ++i)
          {
            s2[i] = -2. * s0[i] * s1[i];
            s3[i] = -2. * s1[i] * s1[i] - 2. * s0[i] * s2[i];
          }
      else
        for (unsigned int i = 0; i < n; ++i)
          {
            s2[i] = -s0[i];
            s3[i] = -s1[i];
          }
    }
  } // namespace Network
} // namespace fbpinn
