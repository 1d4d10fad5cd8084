#include <deal.II/lac/lapack_templates.h>

#include <fbpinn/network/mlp.h>

namespace fbpinn
{
  namespace Network
  {
    // The row-major products of the batched passes as column-major BLAS
    // calls (a row-major r × c array is the column-major c × r transpose),
    // through deal.II's LAPACK templates, so that they run at the speed of
    // the BLAS deal.II links (OpenBLAS in the set-up).
    namespace
    {
      using dealii::types::blas_int;
    }


    void
    dense_multiply(const unsigned int n,
                   const unsigned int m,
                   const unsigned int c,
                   const double      *W,
                   const double      *A,
                   const double       beta,
                   double            *C)
    {
      if (n == 0 || c == 0)
        return;
      // Cᵀ (c × n) = Aᵀ (c × m) Wᵀ (m × n) + β Cᵀ.
      const blas_int N = n, M = m, K = c;
      const double   one = 1.;
      dealii::gemm("N", "N", &K, &N, &M, &one, A, &K, W, &M, &beta, C, &K);
    }


    void
    dense_add_outer(const unsigned int n,
                    const unsigned int m,
                    const unsigned int c,
                    const double      *X,
                    const double      *A,
                    double            *G)
    {
      if (n == 0 || m == 0 || c == 0)
        return;
      // Gᵀ (m × n) += (Aᵀ)ᵀ (m × c) Xᵀ (c × n).
      const blas_int N = n, M = m, K = c;
      const double   one = 1.;
      dealii::gemm("T", "N", &M, &N, &K, &one, A, &K, X, &K, &one, G, &M);
    }


    void
    dense_multiply_transposed(const unsigned int n,
                              const unsigned int m,
                              const unsigned int c,
                              const double      *W,
                              const double      *X,
                              double            *R)
    {
      if (m == 0 || c == 0)
        return;
      // Rᵀ (c × m) = Xᵀ (c × n) (Wᵀ)ᵀ (n × m).
      const blas_int N = n, M = m, K = c;
      const double   one = 1., zero = 0.;
      dealii::gemm("N", "T", &K, &M, &N, &one, X, &K, W, &M, &zero, R, &K);
    }
  } // namespace Network
} // namespace fbpinn
