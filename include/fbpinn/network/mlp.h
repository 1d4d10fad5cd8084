#pragma once

// Without deal.II, so that CUDA code can include it; the activations are
// compiled in libfbpinn (source/network/activation.cc).

#include <fbpinn/core/jet.h>
#include <fbpinn/core/random_features.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace fbpinn
{
  namespace Network
  {
    /**
     * The shape of a fully connected network y ∈ R^dim → R^K: hidden layers
     * of the given widths with activation σ, and a linear output layer of K =
     * n_outputs units (one per field of a system; the hidden layers are
     * shared by the fields, as in the FBPINNs code).
     *
     * Parameter layout (one flat array θ): for each layer l = 0 ... L (the
     * hidden layers, then the output layer), first W_l (n_l rows × n_{l−1}
     * columns, row-major), then b_l (n_l entries), with n_{−1} = dim and
     * n_L = K.
     */
    struct Architecture
    {
      unsigned int              input_dimension = 1;
      std::vector<unsigned int> hidden;
      Activation                activation = Activation::tanh;
      /**
       * m > 0: random Fourier features (Tancik et al. 2020; Wang, Wang,
       * Perdikaris 2021) before the hidden layers, γ(y) = [sin(2π σ B y),
       * cos(2π σ B y)] with B (m × dim) standard normal and σ =
       * fourier_scale, fixed during training: a first layer of 2m sin units
       * whose rows 2i, 2i + 1 are 2π σ B_i with biases 0 and π/2, and whose
       * parameters (the first n_frozen() of θ) are not trained.
       */
      unsigned int fourier_features = 0;
      double       fourier_scale    = 1.;
      /** K: the number of outputs (fields). */
      unsigned int n_outputs = 1;

      /** The widths n_{−1} = dim, n_0, ..., n_L = K (n_0 = 2m with Fourier
       * features). */
      std::vector<unsigned int>
      widths() const
      {
        std::vector<unsigned int> w{input_dimension};
        if (fourier_features > 0)
          w.push_back(2 * fourier_features);
        w.insert(w.end(), hidden.begin(), hidden.end());
        w.push_back(n_outputs);
        return w;
      }

      /** The activation of layer @p l = 1 ... L − 1 (sin for the Fourier
       * features). */
      Activation
      activation_of(const unsigned int l) const
      {
        return fourier_features > 0 && l == 1 ? Activation::sin : activation;
      }

      /** The number of leading parameters that are not trained: those of
       * the Fourier features. */
      unsigned int
      n_frozen() const
      {
        return fourier_features > 0 ?
                 2 * fourier_features * (input_dimension + 1) :
                 0;
      }

      unsigned int
      n_parameters() const
      {
        const auto   w = widths();
        unsigned int n = 0;
        for (unsigned int l = 1; l < w.size(); ++l)
          n += w[l] * (w[l - 1] + 1);
        return n;
      }
    };


    /**
     * σ and its first three derivatives at the @p n points z (the third is
     * needed by the reverse pass through the Hessian: ∂/∂z of σ''(z) ∇z ∇zᵀ).
     * Vectorised with glibc's libmvec where the CPU has AVX2
     * (source/network/activation.cc).
     */
    void
    activation_derivatives(const Activation   activation,
                           const double      *z,
                           const unsigned int n,
                           double            *s0,
                           double            *s1,
                           double            *s2,
                           double            *s3);


    /**
     * σ and σ' at the @p n points z; @p z may be the same array as @p s1.
     */
    void
    activation_values(const Activation   activation,
                      const double      *z,
                      const unsigned int n,
                      double            *s0,
                      double            *s1);


    /**
     * Row-major dense products for the batched passes of deeper networks
     * (BLAS dgemm, source/network/dense.cc): C (n × c) = W (n × m) A (m ×
     * c) + β C.
     */
    void
    dense_multiply(const unsigned int n,
                   const unsigned int m,
                   const unsigned int c,
                   const double      *W,
                   const double      *A,
                   const double       beta,
                   double            *C);

    /** G (n × m) += X (n × c) A (m × c)ᵀ. */
    void
    dense_add_outer(const unsigned int n,
                    const unsigned int m,
                    const unsigned int c,
                    const double      *X,
                    const double      *A,
                    double            *G);

    /** R (m × c) = W (n × m)ᵀ X (n × c). */
    void
    dense_multiply_transposed(const unsigned int n,
                              const unsigned int m,
                              const unsigned int c,
                              const double      *W,
                              const double      *X,
                              double            *R);

    /**
     * The batched forward pass of a network with one hidden layer of @p n
     * units (θ = W (n × dim), c (n), v (n), c_o): the output jets at the @p B
     * points y (dim × B, y[d * B + b]) into @p out; σ and σ' into @p s0, @p
     * s1 (n × B each) for shallow_backward(). @p scratch: (2 + dim + dim²)
     * × B doubles. Compiled for AVX2 where the CPU has it
     * (source/network/shallow.cc).
     */
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
                    Jet<dim>          *out);

    /** The reverse pass of shallow_forward(), added to @p gradient. */
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
                     double            *gradient);


    /**
     * A multilayer perceptron evaluated with its exact jet in the input
     * (value, gradient and Hessian, forward mode) and differentiated with
     * respect to its parameters by a hand-written reverse pass through that
     * jet computation (DESIGN §5).
     *
     * Forward, per layer: z = W a + b with ∇z = W ∇a, ∇∇z = W ∇∇a, then
     * a' = σ(z), ∇a' = σ'(z) ∇z, ∇∇a' = σ''(z) ∇z ∇zᵀ + σ'(z) ∇∇z.
     * Reverse: the adjoints (ā, ∇̄a, ∇∇̄a) of each layer's output jet are
     * pulled back through these formulas, giving W̄ = z̄ aᵀ + Σ_d ∇̄z_d ∇_d aᵀ
     * + Σ_de ∇∇̄z_de ∇_de aᵀ and b̄ = z̄.
     *
     * Why our own: the loss needs second derivatives in x inside a gradient
     * in θ. Sacado nests (Fad<Fad<Fad>>) but its cost grows with the number
     * of parameters per point; the tests check this pass against Sacado and
     * finite differences.
     *
     * Memory: a Workspace holds one point's tape; the same MLP object is
     * shared by all subdomains (their θ differ).
     */
    template <int dim>
    class MLP
    {
    public:
      /** One point's forward values, kept for the reverse pass. */
      struct Workspace
      {
        // Per layer l (including the input, l = 0): a, ∇a (n × dim), ∇∇a
        // (n × dim × dim); per layer z and its jet, and σ', σ'', σ'''.
        std::vector<std::vector<double>> a, ga, ha;
        std::vector<std::vector<double>> z, gz, hz, s1, s2, s3;
        // Adjoints, reused per layer.
        std::vector<double> abar, gabar, habar, zbar, gzbar, hzbar;
      };

      explicit MLP(const Architecture &architecture)
        : architecture(architecture)
        , width(architecture.widths())
      {
        if (architecture.input_dimension != dim)
          throw std::invalid_argument(
            "MLP: the input dimension must equal the space dimension");
        for (const unsigned int w : architecture.hidden)
          if (w == 0)
            throw std::invalid_argument("MLP: a hidden layer has width 0");
        if (architecture.n_outputs == 0)
          throw std::invalid_argument("MLP: the network has no output");
        offsets.assign(width.size(), 0);
        unsigned int offset = 0;
        for (unsigned int l = 1; l < width.size(); ++l)
          {
            offsets[l] = offset;
            offset += width[l] * (width[l - 1] + 1);
          }
      }

      unsigned int
      n_parameters() const
      {
        return architecture.n_parameters();
      }

      const Architecture &
      get_architecture() const
      {
        return architecture;
      }

      /** Prepare @p w for this network. */
      void
      initialize(Workspace &w) const
      {
        const unsigned int n_layers = width.size();
        w.a.resize(n_layers);
        w.ga.resize(n_layers);
        w.ha.resize(n_layers);
        w.z.resize(n_layers);
        w.gz.resize(n_layers);
        w.hz.resize(n_layers);
        w.s1.resize(n_layers);
        w.s2.resize(n_layers);
        w.s3.resize(n_layers);
        unsigned int largest = 0;
        for (unsigned int l = 0; l < n_layers; ++l)
          {
            const unsigned int n = width[l];
            largest              = std::max(largest, n);
            w.a[l].assign(n, 0.);
            w.ga[l].assign(n * dim, 0.);
            w.ha[l].assign(n * dim * dim, 0.);
            w.z[l].assign(n, 0.);
            w.gz[l].assign(n * dim, 0.);
            w.hz[l].assign(n * dim * dim, 0.);
            w.s1[l].assign(n, 0.);
            w.s2[l].assign(n, 0.);
            w.s3[l].assign(n, 0.);
          }
        w.abar.assign(largest, 0.);
        w.gabar.assign(largest * dim, 0.);
        w.habar.assign(largest * dim * dim, 0.);
        w.zbar.assign(largest, 0.);
        w.gzbar.assign(largest * dim, 0.);
        w.hzbar.assign(largest * dim * dim, 0.);
      }

      /**
       * The jet of the first network output in its input y, with parameters
       * @p theta; records the tape in @p w (initialised by initialize()).
       */
      Jet<dim>
      forward(const double                  *theta,
              const std::array<double, dim> &y,
              Workspace                     &w) const
      {
        forward_layers(theta, y, w);
        return output(w, 0);
      }

      /**
       * The jets of all K outputs into @p out (K jets); records the tape in
       * @p w.
       */
      void
      forward(const double                  *theta,
              const std::array<double, dim> &y,
              Workspace                     &w,
              Jet<dim>                      *out) const
      {
        forward_layers(theta, y, w);
        for (unsigned int k = 0; k < width.back(); ++k)
          out[k] = output(w, k);
      }

    private:
      /** The forward pass of forward(): the tape in @p w. */
      void
      forward_layers(const double                  *theta,
                     const std::array<double, dim> &y,
                     Workspace                     &w) const
      {
        const unsigned int n_layers = width.size();
        for (int d = 0; d < dim; ++d)
          {
            w.a[0][d] = y[d];
            for (int e = 0; e < dim; ++e)
              w.ga[0][d * dim + e] = (d == e) ? 1. : 0.;
          }
        const double *p = theta;
        for (unsigned int l = 1; l < n_layers; ++l)
          {
            const unsigned int n = width[l], m = width[l - 1];
            const double      *W = p;
            const double      *b = p + n * m;
            p += n * (m + 1);
            const bool    hidden = (l + 1 < n_layers);
            const double *a      = w.a[l - 1].data();
            const double *ga     = w.ga[l - 1].data();
            const double *ha     = w.ha[l - 1].data();
            double       *z      = hidden ? w.z[l].data() : w.a[l].data();
            double       *gz     = hidden ? w.gz[l].data() : w.ga[l].data();
            double       *hz     = hidden ? w.hz[l].data() : w.ha[l].data();
            for (unsigned int i = 0; i < n; ++i)
              {
                double        zi = b[i];
                double        gzi[dim]{};
                double        hzi[dim * dim]{};
                const double *Wi = W + i * m;
                for (unsigned int j = 0; j < m; ++j)
                  {
                    const double wij = Wi[j];
                    zi += wij * a[j];
                    for (int d = 0; d < dim; ++d)
                      gzi[d] += wij * ga[j * dim + d];
                    if (l > 1) // the input layer has no Hessian
                      for (int k = 0; k < dim * dim; ++k)
                        hzi[k] += wij * ha[j * dim * dim + k];
                  }
                z[i] = zi;
                for (int d = 0; d < dim; ++d)
                  gz[i * dim + d] = gzi[d];
                for (int k = 0; k < dim * dim; ++k)
                  hz[i * dim * dim + k] = hzi[k];
              }
            if (!hidden)
              break;
            activation_derivatives(architecture.activation_of(l),
                                   z,
                                   n,
                                   w.a[l].data(),
                                   w.s1[l].data(),
                                   w.s2[l].data(),
                                   w.s3[l].data());
            for (unsigned int i = 0; i < n; ++i)
              {
                const double s1 = w.s1[l][i], s2 = w.s2[l][i];
                for (int d = 0; d < dim; ++d)
                  {
                    w.ga[l][i * dim + d] = s1 * gz[i * dim + d];
                    for (int e = 0; e < dim; ++e)
                      w.ha[l][(i * dim + d) * dim + e] =
                        s2 * gz[i * dim + d] * gz[i * dim + e] +
                        s1 * hz[(i * dim + d) * dim + e];
                  }
              }
          }
      }

      /** Output @p k of the last forward_layers() on @p w. */
      Jet<dim>
      output(const Workspace &w, const unsigned int k) const
      {
        const unsigned int L = width.size() - 1;
        Jet<dim>           out;
        out.value = w.a[L][k];
        for (int d = 0; d < dim; ++d)
          {
            out.gradient[d] = w.ga[L][k * dim + d];
            for (int e = 0; e < dim; ++e)
              out.hessian[d][e] = w.ha[L][(k * dim + d) * dim + e];
          }
        return out;
      }

    public:
      /**
       * Add to @p gradient (n_parameters() entries) the derivative with
       * respect to θ of ⟨adjoint, J[N_θ](y)⟩ = ū u + Σ ∇̄u_d ∂_d u + Σ
       * ∇∇̄u_de ∂_de u, for the point whose forward() filled @p w.
       */
      void
      backward(const double   *theta,
               const Jet<dim> &adjoint,
               Workspace      &w,
               double         *gradient) const
      {
        backward(theta, &adjoint, w, gradient);
      }

      /**
       * Add to @p gradient the derivative with respect to θ of Σ_k
       * ⟨adjoint_k, J[N_θ,k](y)⟩ over the K outputs (@p adjoint: K jets).
       */
      void
      backward(const double   *theta,
               const Jet<dim> *adjoint,
               Workspace      &w,
               double         *gradient) const
      {
        const unsigned int n_layers = width.size();

        // The adjoint of the output layer's z jet (linear output).
        double *zbar  = w.zbar.data();
        double *gzbar = w.gzbar.data();
        double *hzbar = w.hzbar.data();
        for (unsigned int k = 0; k < width.back(); ++k)
          {
            zbar[k] = adjoint[k].value;
            for (int d = 0; d < dim; ++d)
              {
                gzbar[k * dim + d] = adjoint[k].gradient[d];
                for (int e = 0; e < dim; ++e)
                  hzbar[(k * dim + d) * dim + e] = adjoint[k].hessian[d][e];
              }
          }

        for (unsigned int l = n_layers - 1; l >= 1; --l)
          {
            const unsigned int n = width[l], m = width[l - 1];
            const double      *W             = theta + offsets[l];
            double            *gW            = gradient + offsets[l];
            double            *gb            = gW + n * m;
            const double      *a             = w.a[l - 1].data();
            const double      *ga            = w.ga[l - 1].data();
            const double      *ha            = w.ha[l - 1].data();
            const bool         input_hessian = (l > 1);

            // W̄ and b̄.
            for (unsigned int i = 0; i < n; ++i)
              {
                gb[i] += zbar[i];
                double *gWi = gW + i * m;
                for (unsigned int j = 0; j < m; ++j)
                  {
                    double s = zbar[i] * a[j];
                    for (int d = 0; d < dim; ++d)
                      s += gzbar[i * dim + d] * ga[j * dim + d];
                    if (input_hessian)
                      for (int k = 0; k < dim * dim; ++k)
                        s += hzbar[i * dim * dim + k] * ha[j * dim * dim + k];
                    gWi[j] += s;
                  }
              }
            if (l == 1)
              break;

            // The adjoint of the previous layer's output jet: Wᵀ (z̄, ∇̄z,
            // ∇∇̄z).
            double *abar  = w.abar.data();
            double *gabar = w.gabar.data();
            double *habar = w.habar.data();
            std::fill(abar, abar + m, 0.);
            std::fill(gabar, gabar + m * dim, 0.);
            std::fill(habar, habar + m * dim * dim, 0.);
            for (unsigned int i = 0; i < n; ++i)
              {
                const double *Wi = W + i * m;
                for (unsigned int j = 0; j < m; ++j)
                  {
                    const double wij = Wi[j];
                    abar[j] += wij * zbar[i];
                    for (int d = 0; d < dim; ++d)
                      gabar[j * dim + d] += wij * gzbar[i * dim + d];
                    for (int k = 0; k < dim * dim; ++k)
                      habar[j * dim * dim + k] +=
                        wij * hzbar[i * dim * dim + k];
                  }
              }

            // Through the activation of layer l − 1: a = σ(z),
            // ∇a = σ' ∇z, ∇∇a = σ'' ∇z∇zᵀ + σ' ∇∇z.
            const unsigned int p  = l - 1;
            const double      *gz = w.gz[p].data();
            const double      *hz = w.hz[p].data();
            for (unsigned int j = 0; j < m; ++j)
              {
                const double s1 = w.s1[p][j], s2 = w.s2[p][j], s3 = w.s3[p][j];
                double       zb = s1 * abar[j];
                double       gzb[dim];
                for (int d = 0; d < dim; ++d)
                  {
                    zb += s2 * gabar[j * dim + d] * gz[j * dim + d];
                    gzb[d] = s1 * gabar[j * dim + d];
                  }
                for (int d = 0; d < dim; ++d)
                  for (int e = 0; e < dim; ++e)
                    {
                      const double hb = habar[(j * dim + d) * dim + e];
                      zb += hb * (s3 * gz[j * dim + d] * gz[j * dim + e] +
                                  s2 * hz[(j * dim + d) * dim + e]);
                      gzb[d] += s2 * hb * gz[j * dim + e];
                      gzb[e] += s2 * hb * gz[j * dim + d];
                      hzbar[(j * dim + d) * dim + e] = s1 * hb;
                    }
                zbar[j] = zb;
                for (int d = 0; d < dim; ++d)
                  gzbar[j * dim + d] = gzb[d];
              }
          }
      }

      /**
       * The tape of forward_batch() for B points of one network: per layer
       * l, a (n_l × B), ∇a (n_l × dim × B), ∇∇a (n_l × dim × dim × B), the
       * pre-activation jets and σ', σ'', σ''', each with the point index b
       * innermost, so that every loop over points is contiguous (SIMD).
       */
      struct BatchTape
      {
        unsigned int                     size = 0;
        std::vector<std::vector<double>> a, ga, ha, gz, hz, s1, s2, s3;
        std::vector<double>              zbar, gzbar, hzbar, abar, gabar, habar;
        // One hidden layer (shallow_forward): y, σ and σ' per unit and
        // point, and scratch.
        std::vector<double> y, sigma0, sigma1, scratch;
      };

      /**
       * The jets of the network at @p B inputs (@p y: dim × B, y[d * B +
       * b]) into @p out (B K jets, output k of point b at b K + k); records
       * the tape. The same arithmetic as forward(), organised by layer over
       * all points at once.
       */
      void
      forward_batch(const double      *theta,
                    const double      *y,
                    const unsigned int B,
                    BatchTape         &t,
                    Jet<dim>          *out) const
      {
        const unsigned int n_layers = width.size();
        constexpr int      D = dim, DD = dim * dim;
        if (n_layers == 3 && width.back() == 1)
          {
            const unsigned int n = width[1];
            t.size               = B;
            t.y.assign(y, y + D * B);
            t.sigma0.resize(n * B);
            t.sigma1.resize(n * B);
            t.scratch.resize((2 + D + DD) * B);
            shallow_forward<dim>(architecture.activation,
                                 n,
                                 theta,
                                 B,
                                 t.y.data(),
                                 t.sigma0.data(),
                                 t.sigma1.data(),
                                 t.scratch.data(),
                                 out);
            return;
          }
        if (t.a.size() != n_layers)
          {
            t.a.resize(n_layers);
            t.ga.resize(n_layers);
            t.ha.resize(n_layers);
            t.gz.resize(n_layers);
            t.hz.resize(n_layers);
            t.s1.resize(n_layers);
            t.s2.resize(n_layers);
            t.s3.resize(n_layers);
          }
        t.size = B;
        for (unsigned int l = 0; l < n_layers; ++l)
          {
            const unsigned int n = width[l];
            t.a[l].resize(n * B);
            t.ga[l].resize(n * D * B);
            t.ha[l].resize(n * DD * B);
            t.gz[l].resize(n * D * B);
            t.hz[l].resize(n * DD * B);
            t.s1[l].resize(n * B);
            t.s2[l].resize(n * B);
            t.s3[l].resize(n * B);
          }
        for (int d = 0; d < D; ++d)
          for (unsigned int b = 0; b < B; ++b)
            {
              t.a[0][d * B + b] = y[d * B + b];
              for (int e = 0; e < D; ++e)
                t.ga[0][(d * D + e) * B + b] = (d == e) ? 1. : 0.;
            }
        std::fill(t.ha[0].begin(), t.ha[0].end(), 0.);

        for (unsigned int l = 1; l < n_layers; ++l)
          {
            const unsigned int n = width[l], m = width[l - 1];
            const double      *W      = theta + offsets[l];
            const double      *bias   = W + n * m;
            const bool         hidden = (l + 1 < n_layers);
            double *z  = hidden ? t.s3[l].data() : t.a[l].data(); // scratch
            double *gz = hidden ? t.gz[l].data() : t.ga[l].data();
            double *hz = hidden ? t.hz[l].data() : t.ha[l].data();
            const double *a  = t.a[l - 1].data();
            const double *ga = t.ga[l - 1].data();
            const double *ha = t.ha[l - 1].data();
            // z = W a + b, ∇z = W ∇a, ∇∇z = W ∇∇a (∇∇a = 0 on the input)
            // for all points at once.
            dense_multiply(n, m, B, W, a, 0., z);
            for (unsigned int i = 0; i < n; ++i)
              for (unsigned int b = 0; b < B; ++b)
                z[i * B + b] += bias[i];
            dense_multiply(n, m, D * B, W, ga, 0., gz);
            if (l > 1)
              dense_multiply(n, m, DD * B, W, ha, 0., hz);
            else
              std::fill(hz, hz + n * DD * B, 0.);
            if (!hidden)
              break;
            // σ(z) into a, σ', σ'' into s1, s2, σ''' into s3 (z was there).
            std::vector<double> &zs = t.zbar; // z copied out of s3
            zs.assign(z, z + n * B);
            activation_derivatives(architecture.activation_of(l),
                                   zs.data(),
                                   n * B,
                                   t.a[l].data(),
                                   t.s1[l].data(),
                                   t.s2[l].data(),
                                   t.s3[l].data());
            for (unsigned int i = 0; i < n; ++i)
              {
                const double *s1 = t.s1[l].data() + i * B;
                const double *s2 = t.s2[l].data() + i * B;
                for (int d = 0; d < D; ++d)
                  {
                    const double *gzd = gz + (i * D + d) * B;
                    double       *gad = t.ga[l].data() + (i * D + d) * B;
                    for (unsigned int b = 0; b < B; ++b)
                      gad[b] = s1[b] * gzd[b];
                    for (int e = 0; e < D; ++e)
                      {
                        const double *gze  = gz + (i * D + e) * B;
                        const double *hzde = hz + ((i * D + d) * D + e) * B;
                        double       *hade =
                          t.ha[l].data() + ((i * D + d) * D + e) * B;
                        for (unsigned int b = 0; b < B; ++b)
                          hade[b] = s2[b] * gzd[b] * gze[b] + s1[b] * hzde[b];
                      }
                  }
              }
          }
        const unsigned int L = n_layers - 1, K = width[L];
        for (unsigned int k = 0; k < K; ++k)
          for (unsigned int b = 0; b < B; ++b)
            {
              Jet<dim> &o = out[b * K + k];
              o.value     = t.a[L][k * B + b];
              for (int d = 0; d < D; ++d)
                {
                  o.gradient[d] = t.ga[L][(k * D + d) * B + b];
                  for (int e = 0; e < D; ++e)
                    o.hessian[d][e] = t.ha[L][((k * D + d) * D + e) * B + b];
                }
            }
      }

      /**
       * Add to @p gradient the derivative with respect to θ of Σ_b Σ_k
       * ⟨adjoint_{bK+k}, J[N_θ,k](y_b)⟩ for the points of the last
       * forward_batch() on @p t; the same arithmetic as backward(), over all
       * points at once.
       */
      void
      backward_batch(const double   *theta,
                     const Jet<dim> *adjoint,
                     BatchTape      &t,
                     double         *gradient) const
      {
        const unsigned int n_layers = width.size();
        const unsigned int B        = t.size;
        constexpr int      D = dim, DD = dim * dim;
        if (n_layers == 3 && width.back() == 1)
          {
            shallow_backward<dim>(architecture.activation,
                                  width[1],
                                  theta,
                                  B,
                                  t.y.data(),
                                  t.sigma0.data(),
                                  t.sigma1.data(),
                                  adjoint,
                                  t.scratch.data(),
                                  gradient);
            return;
          }
        unsigned int largest = 0;
        for (const unsigned int w : width)
          largest = std::max(largest, w);
        t.zbar.resize(largest * B);
        t.gzbar.resize(largest * D * B);
        t.hzbar.resize(largest * DD * B);
        t.abar.resize(largest * B);
        t.gabar.resize(largest * D * B);
        t.habar.resize(largest * DD * B);
        double *zbar = t.zbar.data(), *gzbar = t.gzbar.data(),
               *hzbar        = t.hzbar.data();
        const unsigned int K = width.back();
        for (unsigned int k = 0; k < K; ++k)
          for (unsigned int b = 0; b < B; ++b)
            {
              const Jet<dim> &a = adjoint[b * K + k];
              zbar[k * B + b]   = a.value;
              for (int d = 0; d < D; ++d)
                {
                  gzbar[(k * D + d) * B + b] = a.gradient[d];
                  for (int e = 0; e < D; ++e)
                    hzbar[((k * D + d) * D + e) * B + b] = a.hessian[d][e];
                }
            }

        for (unsigned int l = n_layers - 1; l >= 1; --l)
          {
            const unsigned int n = width[l], m = width[l - 1];
            const double      *W             = theta + offsets[l];
            double            *gW            = gradient + offsets[l];
            double            *gb            = gW + n * m;
            const double      *a             = t.a[l - 1].data();
            const double      *ga            = t.ga[l - 1].data();
            const double      *ha            = t.ha[l - 1].data();
            const bool         input_hessian = (l > 1);
            for (unsigned int i = 0; i < n; ++i)
              {
                const double *zi = zbar + i * B;
                double        s  = 0.;
#pragma omp simd reduction(+ : s)
                for (unsigned int b = 0; b < B; ++b)
                  s += zi[b];
                gb[i] += s;
              }
            // ∂/∂W: Σ_b z̄ aᵀ + ∇z̄ ∇aᵀ + ∇∇z̄ ∇∇aᵀ.
            dense_add_outer(n, m, B, zbar, a, gW);
            dense_add_outer(n, m, D * B, gzbar, ga, gW);
            if (input_hessian)
              dense_add_outer(n, m, DD * B, hzbar, ha, gW);
            if (l == 1)
              break;

            double *abar = t.abar.data(), *gabar = t.gabar.data(),
                   *habar = t.habar.data();
            dense_multiply_transposed(n, m, B, W, zbar, abar);
            dense_multiply_transposed(n, m, D * B, W, gzbar, gabar);
            dense_multiply_transposed(n, m, DD * B, W, hzbar, habar);

            const unsigned int p  = l - 1;
            const double      *gz = t.gz[p].data();
            const double      *hz = t.hz[p].data();
            for (unsigned int j = 0; j < m; ++j)
              {
                const double *s1 = t.s1[p].data() + j * B;
                const double *s2 = t.s2[p].data() + j * B;
                const double *s3 = t.s3[p].data() + j * B;
                double       *zb = zbar + j * B;
                for (unsigned int b = 0; b < B; ++b)
                  zb[b] = s1[b] * abar[j * B + b];
                for (int d = 0; d < D; ++d)
                  {
                    const double *gzd  = gz + (j * D + d) * B;
                    const double *gabd = gabar + (j * D + d) * B;
                    double       *gzbd = gzbar + (j * D + d) * B;
                    for (unsigned int b = 0; b < B; ++b)
                      {
                        zb[b] += s2[b] * gabd[b] * gzd[b];
                        gzbd[b] = s1[b] * gabd[b];
                      }
                  }
                for (int d = 0; d < D; ++d)
                  for (int e = 0; e < D; ++e)
                    {
                      const double *gzd  = gz + (j * D + d) * B;
                      const double *gze  = gz + (j * D + e) * B;
                      const double *hzde = hz + ((j * D + d) * D + e) * B;
                      const double *hb   = habar + ((j * D + d) * D + e) * B;
                      double       *gzbd = gzbar + (j * D + d) * B;
                      double       *gzbe = gzbar + (j * D + e) * B;
                      double       *hzb  = hzbar + ((j * D + d) * D + e) * B;
                      for (unsigned int b = 0; b < B; ++b)
                        {
                          zb[b] +=
                            hb[b] * (s3[b] * gzd[b] * gze[b] + s2[b] * hzde[b]);
                          gzbd[b] += s2[b] * hb[b] * gze[b];
                          gzbe[b] += s2[b] * hb[b] * gzd[b];
                          hzb[b] = s1[b] * hb[b];
                        }
                    }
              }
          }
      }

      /**
       * Initial parameters: W and b uniform in ±1/√(fan-in) (the default of
       * PyTorch's nn.Linear), keyed on (seed, @p key, parameter index) so
       * that they do not depend on the number of ranks.
       */
      void
      initialize_parameters(const std::uint64_t seed,
                            const std::uint64_t key,
                            double             *theta) const
      {
        unsigned int p = 0;
        if (architecture.fourier_features > 0)
          {
            // Rows 2i, 2i + 1: 2π σ B_i (B_i standard normal by Box–Muller
            // from two keyed uniforms), biases 0 and π/2 (sin, cos).
            const unsigned int m      = architecture.fourier_features;
            const double       two_pi = 6.283185307179586;
            for (unsigned int i = 0; i < m; ++i)
              for (unsigned int d = 0; d < dim; ++d)
                {
                  KeyedRandom random;
                  random.absorb(seed).absorb(key).absorb(i * dim + d);
                  const double u1 = KeyedRandom(random).absorb(0).uniform();
                  const double u2 = KeyedRandom(random).absorb(1).uniform();
                  const double b =
                    std::sqrt(-2. * std::log1p(-u1)) * std::cos(two_pi * u2);
                  const double w = two_pi * architecture.fourier_scale * b;
                  theta[(2 * i) * dim + d]     = w;
                  theta[(2 * i + 1) * dim + d] = w;
                }
            for (unsigned int i = 0; i < m; ++i)
              {
                theta[2 * m * dim + 2 * i]     = 0.;
                theta[2 * m * dim + 2 * i + 1] = 0.5 * 3.141592653589793;
              }
            p = architecture.n_frozen();
          }
        for (unsigned int l = p > 0 ? 2 : 1; l < width.size(); ++l)
          {
            const double       limit = 1. / std::sqrt(double(width[l - 1]));
            const unsigned int n     = width[l] * (width[l - 1] + 1);
            for (unsigned int i = 0; i < n; ++i, ++p)
              {
                KeyedRandom random;
                random.absorb(seed).absorb(key).absorb(p);
                theta[p] = limit * (2. * random.uniform() - 1.);
              }
          }
      }

    private:
      Architecture              architecture;
      std::vector<unsigned int> width;
      /** Where each layer's parameters start in θ. */
      std::vector<unsigned int> offsets;
    };
  } // namespace Network
} // namespace fbpinn
