#include <deal.II/lac/full_matrix.h>
#include <deal.II/lac/lapack_full_matrix.h>
#include <deal.II/lac/vector.h>

#include <fbpinn/plugins.h>
#include <fbpinn/problems/interface.h>

#include <cmath>
#include <stdexcept>
#include <vector>

namespace fbpinn
{
  namespace Problems
  {
    namespace
    {
      /**
       * The nodes z_k and weights w_k of the @p n-point Gauss–Hermite rule,
       * ∫ g(z) e^{−z²} dz ≈ Σ_k w_k g(z_k), by Golub–Welsch: the eigenvalues
       * of the symmetric tridiagonal Jacobi matrix of the Hermite
       * polynomials (off-diagonal √(k/2)) and √π times the squared first
       * components of its eigenvectors (LAPACK through deal.II; deal.II has
       * no Gauss–Hermite rule).
       */
      void
      gauss_hermite(const unsigned int   n,
                    std::vector<double> &nodes,
                    std::vector<double> &weights)
      {
        LAPACKFullMatrix<double> jacobi(n, n);
        for (unsigned int k = 1; k < n; ++k)
          {
            jacobi(k, k - 1) = std::sqrt(0.5 * k);
            jacobi(k - 1, k) = std::sqrt(0.5 * k);
          }
        Vector<double>     values;
        FullMatrix<double> vectors;
        jacobi.compute_eigenvalues_symmetric(-1e3, 1e3, 1e-15, values, vectors);
        if (values.size() != n)
          throw std::runtime_error(
            "Gauss–Hermite rule: the eigenvalue solver found " +
            std::to_string(values.size()) + " of " + std::to_string(n) +
            " nodes");
        nodes.resize(n);
        weights.resize(n);
        for (unsigned int k = 0; k < n; ++k)
          {
            nodes[k]   = values[k];
            weights[k] = std::sqrt(M_PI) * vectors(0, k) * vectors(0, k);
          }
      }
    } // namespace


    /**
     * The viscous Burgers equation u_t + u u_x = ν u_xx on [−1, 1] × [0, T],
     * u(x, 0) = −sin(πx), u(±1, t) = 0 (ν = 0.01/π by default), written in
     * space-time (t = x[1]). Its solution is the Cole–Hopf formula
     * @f[ u(x, t) = -\frac{\int \sin\pi(x - \eta)\, f(x - \eta)\,
     *     e^{-\eta^2/4\nu t}\,d\eta}{\int f(x - \eta)\, e^{-\eta^2/4\nu t}\,
     *     d\eta}, \qquad f(y) = e^{-\cos(\pi y)/2\pi\nu}, @f]
     * evaluated with η = √(4νt) z by Gauss–Hermite quadrature (Basdevant et
     * al. 1986, Computers & Fluids 14:23–41, whose benchmark is the steepest
     * slope |u_x| ≈ 152.005 at x = 0, t = 1.6037/π; tests/time/burgers checks
     * it), so that errors are measured against it. Nonlinear: fem takes
     * Newton's method every time step, elm Gauss–Newton in space-time.
     */
    template <int dim>
    class Burgers : public PdeProblem<dim, Burgers<dim>>
    {
      static_assert(dim == 2, "burgers is 1D in space");

    public:
      static void
      declare_parameters(ParameterHandler &prm)
      {
        prm.declare_entry("Viscosity",
                          "0.0031830988618379067",
                          Patterns::Double(0.),
                          "ν of u_t + u u_x = ν u_xx; the default is 0.01/π, "
                          "the PINN literature's case.");
        prm.declare_entry("Quadrature points",
                          "200",
                          Patterns::Integer(8, 2000),
                          "Gauss–Hermite points of the Cole–Hopf formula "
                          "that the errors are measured against.");
        prm.declare_entry("Hard constraint width",
                          "0.1",
                          Patterns::Double(0.),
                          "s of the hard-constraint ansatz u = −sin(πx) + "
                          "tanh((1 + x)/s) tanh((1 − x)/s) tanh(t/s) v (the "
                          "FBPINNs code's BurgersEquation2D, s = 0.1), for "
                          "'Hard constraints' = true.");
      }

      void
      parse_parameters(ParameterHandler &prm) override
      {
        nu = prm.get_double("Viscosity");
        if (!(nu > 0.))
          throw std::invalid_argument("entry 'Viscosity' must be positive");
        width = prm.get_double("Hard constraint width");
        if (!(width > 0.))
          throw std::invalid_argument(
            "entry 'Hard constraint width' must be positive");
        gauss_hermite(prm.get_integer("Quadrature points"), nodes, weights);
      }

      Burgers()
      {
        gauss_hermite(200, nodes, weights);
      }

      bool
      is_linear() const override
      {
        return false;
      }

      unsigned int
      time_derivative_order() const override
      {
        return 1;
      }

      bool
      has_hard_constraint() const override
      {
        return true;
      }

      /** g = −sin(πx) (the initial data, zero at x = ±1) and d = φ(x) c(t),
       * φ = tanh((1 + x)/s) tanh((1 − x)/s), c = tanh(t/s): zero on
       * x = ±1 and t = 0, so u = g + d v meets every condition. */
      void
      hard_constraint(const Point<dim> &x,
                      Jet<dim>         &g,
                      Jet<dim>         &d) const override
      {
        const double s = width, pi = M_PI;
        g               = Jet<dim>();
        g.value         = -std::sin(pi * x[0]);
        g.gradient[0]   = -pi * std::cos(pi * x[0]);
        g.hessian[0][0] = pi * pi * std::sin(pi * x[0]);
        const double a  = std::tanh((1. + x[0]) / s),
                     b  = std::tanh((1. - x[0]) / s);
        const double a1 = (1. - a * a) / s, b1 = -(1. - b * b) / s;
        const double a2 = -2. * a * a1 / s, b2 = 2. * b * b1 / s;
        const double phi = a * b, phi1 = a1 * b + a * b1,
                     phi2 = a2 * b + 2. * a1 * b1 + a * b2;
        const double c    = std::tanh(x[1] / s);
        const double c1 = (1. - c * c) / s, c2 = -2. * c * c1 / s;
        d               = Jet<dim>();
        d.value         = phi * c;
        d.gradient[0]   = phi1 * c;
        d.gradient[1]   = phi * c1;
        d.hessian[0][0] = phi2 * c;
        d.hessian[0][1] = d.hessian[1][0] = phi1 * c1;
        d.hessian[1][1]                   = phi * c2;
      }

      void
      create_coarse_mesh(Triangulation<dim> &triangulation,
                         const unsigned int  subdivisions) const override
      {
        this->create_space_time_box(triangulation,
                                    Point<dim>(-1., 0.),
                                    Point<dim>(1., 0.),
                                    subdivisions);
      }

      template <typename Number>
      Number
      pde_operator(const Jet<dim, Number> &u) const
      {
        return u.gradient[1] + u.value * u.gradient[0] - nu * u.hessian[0][0];
      }

      /** No forcing (not derived from the quadrature formula). */
      double
      forcing(const Point<dim> &) const
      {
        return 0.;
      }

      /** u(x, 0) = −sin(πx), u(±1, t) = 0, exactly. */
      double
      dirichlet_value(const Point<dim> &x) const override
      {
        return x[1] <= 0. ? -std::sin(M_PI * x[0]) : 0.;
      }

      template <typename Number>
      Number
      solution(const std::array<Number, 2> &x) const
      {
        using std::cos;
        using std::exp;
        using std::sin;
        using std::sqrt;
        const Number &t = x[1];
        if (t <= 1e-12)
          {
            // t = 0: u_0 and, for the derivative in t, u_t = −u u_x + ν u_xx.
            const Number s = sin(M_PI * x[0]), c = cos(M_PI * x[0]);
            return -s + t * (-M_PI * s * c + nu * M_PI * M_PI * s);
          }
        // f(y) scaled by e^{−1/2πν} (its largest value) against overflow.
        const double a     = 1. / (2. * M_PI * nu);
        const Number scale = sqrt(4. * nu * t);
        Number       top = 0., bottom = 0.;
        for (unsigned int k = 0; k < nodes.size(); ++k)
          {
            const Number y = x[0] - scale * nodes[k];
            const Number f = exp(-a * (cos(M_PI * y) + 1.));
            top += weights[k] * sin(M_PI * y) * f;
            bottom += weights[k] * f;
          }
        return -top / bottom;
      }

      double              nu    = 0.01 / M_PI;
      double              width = 0.1;
      std::vector<double> nodes, weights;
    };
  } // namespace Problems
} // namespace fbpinn

FBPINN_REGISTER_TIME_DEPENDENT_PROBLEM_DIMS(
  fbpinn::Problems::Burgers,
  "burgers",
  "The viscous Burgers equation u_t + u u_x = ν u_xx on [−1, 1] × [0, End "
  "time] (1D in space; entry Viscosity, default 0.01/π), u(x, 0) = "
  "−sin(πx), u(±1, t) = 0; errors against the Cole–Hopf solution by "
  "Gauss–Hermite quadrature (entry Quadrature points).",
  2)
