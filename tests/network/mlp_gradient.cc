// The multilayer perceptron fbpinn::Network::MLP<dim> (dim = 1, 2, 3; tanh
// and sin; hidden layers {5} and {4,3}), at a few points y with parameters from
// initialize_parameters():
//  - its forward jet (value, gradient, Hessian in y) against an independent
//    plain implementation of the same network evaluated with nested Sacado
//    forward AD (DFad<DFad<double>> over y), to 1e-12 relative;
//  - its reverse pass, the gradient in θ of ⟨adjoint, J[N_θ](y)⟩ for a random
//    adjoint jet (non-symmetric Hessian part), against the same plain
//    implementation with DFad<DFad<DFad<double>>> (innermost over θ, the two
//    outer levels over y), to 1e-11 relative;
//  - the same gradient against central differences of the forward jet in θ
//    (step 1e-6), to 1e-6 relative;
//  - backward() adds to the gradient (a second call doubles it), and
//    n_parameters() = Σ_l n_l (n_{l−1} + 1);
//  - the batched passes (forward_batch, backward_batch: all points of a
//    network at once, as fbpinn's loss uses them) equal the point-by-point
//    ones to 1e-13 (jets, and the summed parameter gradient of 7 points);
//  - a network with K = 3 outputs (one per field of a system; hidden {5} and
//    {4,3}): output k equals the one-output network with the same hidden
//    layers and row k of the output layer, its reverse pass with K adjoints
//    equals the sum of those networks' passes mapped back into θ, and its
//    batched passes equal its point-by-point ones, each to 1e-13.
// Relative differences are norm-wise: the largest entry of the difference over
// the largest entry of the reference (per kind: value, gradient, Hessian for
// the jet; over all θ for the parameter gradient).

#include <Sacado.hpp>

#include <fbpinn/network/mlp.h>

#include <cmath>
#include <iostream>
#include <sstream>

#include "tests.h"

namespace
{
  using namespace dealii;
  using fbpinn::Activation;
  using fbpinn::Jet;

  /** Layer 1 is sin whatever the activation (the Fourier features of
   * Architecture::fourier_features): set by check(). */
  bool first_layer_sin = false;


  /** The widths {dim, hidden..., 1}, computed here, not by Architecture. */
  std::vector<unsigned int>
  layer_widths(const int dim, const std::vector<unsigned int> &hidden)
  {
    std::vector<unsigned int> width{static_cast<unsigned int>(dim)};
    for (const unsigned int h : hidden)
      width.push_back(h);
    width.push_back(1);
    return width;
  }


  /**
   * The network, written plainly for any scalar type: for each layer, W (n_out
   * × n_in, row-major) then b; σ on the hidden layers, a linear output layer.
   */
  template <typename T, int dim>
  T
  plain_mlp(const std::vector<unsigned int> &width,
            const Activation                 activation,
            const std::vector<T>            &theta,
            const std::array<T, dim>        &y)
  {
    using std::sin;
    using std::tanh;
    std::vector<T> a(y.begin(), y.end());
    unsigned int   p = 0;
    for (unsigned int l = 1; l < width.size(); ++l)
      {
        const unsigned int n = width[l], m = width[l - 1];
        std::vector<T>     z(n);
        for (unsigned int i = 0; i < n; ++i)
          {
            z[i] = theta[p + n * m + i];
            for (unsigned int j = 0; j < m; ++j)
              z[i] += theta[p + i * m + j] * a[j];
          }
        p += n * (m + 1);
        const bool use_tanh =
          activation == Activation::tanh && !(first_layer_sin && l == 1);
        if (l + 1 < width.size())
          for (unsigned int i = 0; i < n; ++i)
            z[i] = use_tanh ? T(tanh(z[i])) : T(sin(z[i]));
        a = z;
      }
    return a[0];
  }


  /** The jet of plain_mlp in y by DFad<DFad<double>>, θ constant. */
  template <int dim>
  Jet<dim>
  sacado_jet(const std::vector<unsigned int> &width,
             const Activation                 activation,
             const std::vector<double>       &theta,
             const std::array<double, dim>   &y)
  {
    using Inner = Sacado::Fad::DFad<double>;
    using Outer = Sacado::Fad::DFad<Inner>;
    std::array<Outer, dim> y_ad;
    for (int d = 0; d < dim; ++d)
      y_ad[d] = Outer(dim, d, Inner(dim, d, y[d]));
    std::vector<Outer> theta_ad(theta.begin(), theta.end());
    const Outer u = plain_mlp<Outer, dim>(width, activation, theta_ad, y_ad);
    Jet<dim>    jet;
    jet.value = u.val().val();
    for (int d = 0; d < dim; ++d)
      {
        jet.gradient[d] = u.dx(d).val();
        for (int e = 0; e < dim; ++e)
          jet.hessian[d][e] = u.dx(d).dx(e);
      }
    return jet;
  }


  /**
   * The gradient in θ of ⟨adjoint, J[plain_mlp](y)⟩ by
   * DFad<DFad<DFad<double>>>: the innermost level over θ, the outer two over
   * y.
   */
  template <int dim>
  std::vector<double>
  sacado_parameter_gradient(const std::vector<unsigned int> &width,
                            const Activation                 activation,
                            const std::vector<double>       &theta,
                            const std::array<double, dim>   &y,
                            const Jet<dim>                  &adjoint)
  {
    using Theta                         = Sacado::Fad::DFad<double>;
    using Inner                         = Sacado::Fad::DFad<Theta>;
    using Outer                         = Sacado::Fad::DFad<Inner>;
    const unsigned int     n_parameters = theta.size();
    std::array<Outer, dim> y_ad;
    for (int d = 0; d < dim; ++d)
      y_ad[d] = Outer(dim, d, Inner(dim, d, Theta(y[d])));
    std::vector<Outer> theta_ad(n_parameters);
    for (unsigned int p = 0; p < n_parameters; ++p)
      theta_ad[p] = Outer(Inner(Theta(n_parameters, p, theta[p])));
    const Outer u = plain_mlp<Outer, dim>(width, activation, theta_ad, y_ad);

    Theta s = adjoint.value * u.val().val();
    for (int d = 0; d < dim; ++d)
      {
        s += adjoint.gradient[d] * u.dx(d).val();
        for (int e = 0; e < dim; ++e)
          s += adjoint.hessian[d][e] * u.dx(d).dx(e);
      }
    std::vector<double> gradient(n_parameters);
    for (unsigned int p = 0; p < n_parameters; ++p)
      gradient[p] = s.dx(p);
    return gradient;
  }


  template <int dim>
  double
  pairing(const Jet<dim> &adjoint, const Jet<dim> &jet)
  {
    double s = adjoint.value * jet.value;
    for (int d = 0; d < dim; ++d)
      {
        s += adjoint.gradient[d] * jet.gradient[d];
        for (int e = 0; e < dim; ++e)
          s += adjoint.hessian[d][e] * jet.hessian[d][e];
      }
    return s;
  }


  double
  relative_difference(const std::vector<double> &value,
                      const std::vector<double> &reference)
  {
    double difference = 0., scale = 0.;
    for (unsigned int i = 0; i < value.size(); ++i)
      {
        difference = std::max(difference, std::abs(value[i] - reference[i]));
        scale      = std::max(scale, std::abs(reference[i]));
      }
    return difference / scale;
  }


  /** The largest of the norm-wise relative differences of value, gradient
   * and Hessian. */
  template <int dim>
  double
  relative_difference(const Jet<dim> &jet, const Jet<dim> &reference)
  {
    std::vector<double> g, g_ref, h, h_ref;
    for (int d = 0; d < dim; ++d)
      {
        g.push_back(jet.gradient[d]);
        g_ref.push_back(reference.gradient[d]);
        for (int e = 0; e < dim; ++e)
          {
            h.push_back(jet.hessian[d][e]);
            h_ref.push_back(reference.hessian[d][e]);
          }
      }
    return std::max({relative_difference({jet.value}, {reference.value}),
                     relative_difference(g, g_ref),
                     relative_difference(h, h_ref)});
  }


  double
  uniform(const std::uint64_t a, const std::uint64_t b, const std::uint64_t c)
  {
    fbpinn::KeyedRandom random;
    random.absorb(a).absorb(b).absorb(c);
    return 2. * random.uniform() - 1.;
  }


  /** "ok", or "FAILED (<error>)" if @p error exceeds @p bound. */
  std::string
  verdict(const double error, const double bound)
  {
    return error < bound ? "ok" :
                           "FAILED (" + fbpinn_tests::to_string(error) + ")";
  }


  // The largest differences over all cases, for the log on the console.
  double worst_forward = 0., worst_sacado = 0., worst_fd = 0.,
         worst_accumulation = 0.;


  template <int dim>
  void
  check(const Activation                 activation,
        const std::vector<unsigned int> &hidden,
        const unsigned int               fourier = 0)
  {
    fbpinn::Network::Architecture architecture;
    architecture.input_dimension  = dim;
    architecture.hidden           = hidden;
    architecture.activation       = activation;
    architecture.fourier_features = fourier;
    const fbpinn::Network::MLP<dim> mlp(architecture);
    first_layer_sin = fourier > 0;
    // With Fourier features: a first hidden layer of 2m sin units.
    std::vector<unsigned int> layers = hidden;
    if (fourier > 0)
      layers.insert(layers.begin(), 2 * fourier);
    const auto width = layer_widths(dim, layers);

    unsigned int expected_n_parameters = 0;
    for (unsigned int l = 1; l < width.size(); ++l)
      expected_n_parameters += width[l] * (width[l - 1] + 1);
    const unsigned int n_parameters = mlp.n_parameters();

    typename fbpinn::Network::MLP<dim>::Workspace workspace;
    mlp.initialize(workspace);

    double forward_error = 0., sacado_error = 0., fd_error = 0.,
           accumulation_error = 0.;
    for (unsigned int key = 0; key < 2; ++key)
      {
        std::vector<double> theta(n_parameters);
        mlp.initialize_parameters(/*seed=*/17, key, theta.data());

        for (unsigned int point = 0; point < 2; ++point)
          {
            // y in [−1.5, 1.5]^dim, and a random adjoint jet (its Hessian part
            // not symmetric).
            std::array<double, dim> y;
            Jet<dim>                adjoint;
            adjoint.value = uniform(key, point, 1000);
            for (int d = 0; d < dim; ++d)
              {
                y[d]                = 1.5 * uniform(key, point, d);
                adjoint.gradient[d] = uniform(key, point, 100 + d);
                for (int e = 0; e < dim; ++e)
                  adjoint.hessian[d][e] =
                    uniform(key, point, 200 + dim * d + e);
              }

            // 1. The forward jet.
            const Jet<dim> jet = mlp.forward(theta.data(), y, workspace);
            forward_error =
              std::max(forward_error,
                       relative_difference(
                         jet,
                         sacado_jet<dim>(width, activation, theta, y)));

            // 2. The reverse pass against Sacado, and it accumulates.
            std::vector<double> gradient(n_parameters, 0.);
            mlp.backward(theta.data(), adjoint, workspace, gradient.data());
            sacado_error = std::max(
              sacado_error,
              relative_difference(gradient,
                                  sacado_parameter_gradient<dim>(width,
                                                                 activation,
                                                                 theta,
                                                                 y,
                                                                 adjoint)));

            std::vector<double> twice = gradient;
            mlp.backward(theta.data(), adjoint, workspace, twice.data());
            std::vector<double> doubled = gradient;
            for (double &g : doubled)
              g *= 2.;
            accumulation_error =
              std::max(accumulation_error, relative_difference(twice, doubled));

            // 3. Against central differences of the forward jet in θ.
            const double                                  h = 1e-6;
            std::vector<double>                           fd(n_parameters);
            typename fbpinn::Network::MLP<dim>::Workspace scratch;
            mlp.initialize(scratch);
            for (unsigned int p = 0; p < n_parameters; ++p)
              {
                std::vector<double> plus = theta, minus = theta;
                plus[p] += h;
                minus[p] -= h;
                fd[p] =
                  (pairing(adjoint, mlp.forward(plus.data(), y, scratch)) -
                   pairing(adjoint, mlp.forward(minus.data(), y, scratch))) /
                  (2. * h);
              }
            fd_error = std::max(fd_error, relative_difference(gradient, fd));
          }
      }

    // 4. The batched passes (all points of a network at once) against the
    //    point-by-point ones: B = 7 points, the sum of their reverse passes.
    double batch_error = 0.;
    {
      const unsigned int  B = 7;
      std::vector<double> theta(n_parameters);
      mlp.initialize_parameters(/*seed=*/5, 3, theta.data());
      std::vector<double>   inputs(dim * B);
      std::vector<Jet<dim>> adjoints(B), jets(B);
      std::vector<double> expected(n_parameters, 0.), batched(n_parameters, 0.);
      for (unsigned int b = 0; b < B; ++b)
        {
          std::array<double, dim> y;
          for (int d = 0; d < dim; ++d)
            y[d] = inputs[d * B + b] = 1.5 * uniform(7, b, d);
          adjoints[b].value = uniform(8, b, 0);
          for (int d = 0; d < dim; ++d)
            {
              adjoints[b].gradient[d] = uniform(8, b, 1 + d);
              for (int e = 0; e < dim; ++e)
                adjoints[b].hessian[d][e] = uniform(8, b, 10 + dim * d + e);
            }
          jets[b] = mlp.forward(theta.data(), y, workspace);
          mlp.backward(theta.data(), adjoints[b], workspace, expected.data());
        }
      typename fbpinn::Network::MLP<dim>::BatchTape tape;
      std::vector<Jet<dim>>                         batch_jets(B);
      mlp.forward_batch(theta.data(),
                        inputs.data(),
                        B,
                        tape,
                        batch_jets.data());
      for (unsigned int b = 0; b < B; ++b)
        batch_error =
          std::max(batch_error, relative_difference(batch_jets[b], jets[b]));
      mlp.backward_batch(theta.data(), adjoints.data(), tape, batched.data());
      batch_error =
        std::max(batch_error, relative_difference(batched, expected));
    }

    // With Fourier features the 2D case meets a point where u = 5.8e-6, and
    // the relative difference of that single value is 4.8e-12 (3e-17
    // absolute, round-off); the other rows of the jet agree to 1e-15.
    const double       forward_bound = fourier > 0 ? 1e-11 : 1e-12;
    std::ostringstream name;
    name << "dim " << dim << ' '
         << (activation == Activation::tanh ? "tanh" : "sin") << " {";
    for (unsigned int i = 0; i < hidden.size(); ++i)
      name << (i > 0 ? "," : "") << hidden[i];
    name << '}';
    if (fourier > 0)
      name << " + " << fourier << " Fourier features";

    deallog << name.str() << ": n_parameters " << n_parameters
            << (n_parameters == expected_n_parameters &&
                    architecture.n_parameters() == expected_n_parameters ?
                  " ok" :
                  " FAILED (expected " + std::to_string(expected_n_parameters) +
                    ")")
            << ", forward vs Sacado " << verdict(forward_error, forward_bound)
            << ", backward vs Sacado " << verdict(sacado_error, 1e-11)
            << ", backward vs FD " << verdict(fd_error, 1e-6)
            << ", backward accumulates " << verdict(accumulation_error, 1e-15)
            << ", batched = pointwise " << verdict(batch_error, 1e-13)
            << std::endl;

    std::cout << name.str() << ": forward " << forward_error << ", Sacado "
              << sacado_error << ", FD " << fd_error << ", accumulation "
              << accumulation_error << ", batched " << batch_error << std::endl;
    worst_forward      = std::max(worst_forward, forward_error);
    worst_sacado       = std::max(worst_sacado, sacado_error);
    worst_fd           = std::max(worst_fd, fd_error);
    worst_accumulation = std::max(worst_accumulation, accumulation_error);
  }


  /** The K-output checks (see the head of the file). */
  template <int dim>
  void
  check_outputs(const std::vector<unsigned int> &hidden)
  {
    const unsigned int            K = 3;
    fbpinn::Network::Architecture many, one;
    many.input_dimension = one.input_dimension = dim;
    many.hidden = one.hidden = hidden;
    many.n_outputs           = K;
    const fbpinn::Network::MLP<dim> mlp(many), single(one);
    const unsigned int P = mlp.n_parameters(), p = single.n_parameters();
    const unsigned int m = hidden.back();
    // The output layer: W (K × m) then b (K), after the hidden layers.
    const unsigned int  trunk = P - K * (m + 1);
    std::vector<double> theta(P);
    mlp.initialize_parameters(/*seed=*/23, 1, theta.data());
    // θ_k: the hidden layers, row k of W and b_k.
    std::vector<std::vector<double>> theta_k(K);
    for (unsigned int k = 0; k < K; ++k)
      {
        theta_k[k].assign(theta.begin(), theta.begin() + trunk);
        for (unsigned int j = 0; j < m; ++j)
          theta_k[k].push_back(theta[trunk + k * m + j]);
        theta_k[k].push_back(theta[trunk + K * m + k]);
      }

    typename fbpinn::Network::MLP<dim>::Workspace w, w1;
    mlp.initialize(w);
    single.initialize(w1);
    const unsigned int    B = 7;
    std::vector<double>   inputs(dim * B);
    std::vector<Jet<dim>> jets(B * K), adjoints(B * K);
    std::vector<double>   gradient(P, 0.), expected(P, 0.), batched(P, 0.);
    double output_error = 0., backward_error = 0., batch_error = 0.;
    for (unsigned int b = 0; b < B; ++b)
      {
        std::array<double, dim> y;
        for (int d = 0; d < dim; ++d)
          y[d] = inputs[d * B + b] = 1.5 * uniform(11, b, d);
        for (unsigned int k = 0; k < K; ++k)
          {
            Jet<dim> &a = adjoints[b * K + k];
            a.value     = uniform(12, b, 100 * k);
            for (int d = 0; d < dim; ++d)
              {
                a.gradient[d] = uniform(12, b, 100 * k + 1 + d);
                for (int e = 0; e < dim; ++e)
                  a.hessian[d][e] = uniform(12, b, 100 * k + 10 + dim * d + e);
              }
          }
        mlp.forward(theta.data(), y, w, jets.data() + b * K);
        mlp.backward(theta.data(), adjoints.data() + b * K, w, gradient.data());
        for (unsigned int k = 0; k < K; ++k)
          {
            output_error = std::max(
              output_error,
              relative_difference(jets[b * K + k],
                                  single.forward(theta_k[k].data(), y, w1)));
            std::vector<double> g(p, 0.);
            single.backward(theta_k[k].data(),
                            adjoints[b * K + k],
                            w1,
                            g.data());
            for (unsigned int i = 0; i < trunk; ++i)
              expected[i] += g[i];
            for (unsigned int j = 0; j < m; ++j)
              expected[trunk + k * m + j] += g[trunk + j];
            expected[trunk + K * m + k] += g[trunk + m];
          }
      }
    backward_error = relative_difference(gradient, expected);

    typename fbpinn::Network::MLP<dim>::BatchTape tape;
    std::vector<Jet<dim>>                         batch_jets(B * K);
    mlp.forward_batch(theta.data(), inputs.data(), B, tape, batch_jets.data());
    for (unsigned int i = 0; i < B * K; ++i)
      batch_error =
        std::max(batch_error, relative_difference(batch_jets[i], jets[i]));
    mlp.backward_batch(theta.data(), adjoints.data(), tape, batched.data());
    batch_error = std::max(batch_error, relative_difference(batched, gradient));

    std::ostringstream name;
    name << "dim " << dim << " tanh {";
    for (unsigned int i = 0; i < hidden.size(); ++i)
      name << (i > 0 ? "," : "") << hidden[i];
    name << "} with " << K << " outputs";
    deallog << name.str() << ": n_parameters " << P
            << (P == trunk + K * (m + 1) && p == trunk + m + 1 ? " ok" :
                                                                 " FAILED")
            << ", output k = one-output network "
            << verdict(output_error, 1e-13) << ", backward = sum over outputs "
            << verdict(backward_error, 1e-13) << ", batched = pointwise "
            << verdict(batch_error, 1e-13) << std::endl;
    std::cout << name.str() << ": outputs " << output_error << ", backward "
              << backward_error << ", batched " << batch_error << std::endl;
  }


  template <int dim>
  void
  check_all()
  {
    for (const Activation activation : {Activation::tanh, Activation::sin})
      for (const std::vector<unsigned int> &hidden :
           {std::vector<unsigned int>{5}, std::vector<unsigned int>{4, 3}})
        check<dim>(activation, hidden);
    // Fourier features: a sin layer of 2 × 3 units before tanh {5}.
    check<dim>(Activation::tanh, {5}, 3);
    check_outputs<dim>({5});
    check_outputs<dim>({4, 3});
  }
} // namespace


int
main(int argc, char **argv)
{
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  fbpinn_tests::initlog();

  check_all<1>();
  check_all<2>();
  check_all<3>();

  std::cout << "largest: forward " << worst_forward << ", Sacado "
            << worst_sacado << ", FD " << worst_fd << ", accumulation "
            << worst_accumulation << std::endl;
}
