#include <fbpinn/plugins.h>
#include <fbpinn/problems/harmonic_oscillator.h>

#include <stdexcept>

namespace fbpinn
{
  namespace Problems
  {
    template <int dim>
    void
    HarmonicOscillator<dim>::declare_parameters(ParameterHandler &prm)
    {
      prm.declare_entry("Omega0",
                        "80",
                        Patterns::Double(0.),
                        "ω0: the undamped angular frequency, k = ω0².");
      prm.declare_entry("Damping",
                        "2",
                        Patterns::Double(0.),
                        "d: the damping, μ = 2d; must be below Omega0 "
                        "(underdamped).");
    }


    template <int dim>
    void
    HarmonicOscillator<dim>::parse_parameters(ParameterHandler &prm)
    {
      omega0  = prm.get_double("Omega0");
      damping = prm.get_double("Damping");
      if (!(damping < omega0))
        throw std::invalid_argument(
          "entry 'Damping' (" + std::to_string(damping) +
          ") must be smaller than 'Omega0' (" + std::to_string(omega0) +
          "): the exact solution is the underdamped one");
    }


    template <int dim>
    bool
    HarmonicOscillator<dim>::conditions_by_boundary_id() const
    {
      return false;
    }


    template <int dim>
    unsigned int
    HarmonicOscillator<dim>::n_boundary_conditions(const types::boundary_id,
                                                   const Point<dim> &x) const
    {
      return std::abs(x[0]) < 1e-12 ? 2 : 0;
    }


    template <int dim>
    LinearizedResidual<dim>
    HarmonicOscillator<dim>::linearize_boundary_condition(
      const unsigned int m,
      const types::boundary_id,
      const Point<dim> &,
      const Tensor<1, dim> &,
      const Jet<dim> &u) const
    {
      LinearizedResidual<dim> result;
      if (m == 0) // u(0) = 1
        {
          result.residual = u.value - 1.;
          result.d_value  = 1.;
        }
      else // u'(0) = 0
        {
          result.residual      = u.gradient[0];
          result.d_gradient[0] = 1.;
        }
      return result;
    }


    template <int dim>
    bool
    HarmonicOscillator<dim>::has_hard_constraint() const
    {
      return true;
    }


    template <int dim>
    void
    HarmonicOscillator<dim>::hard_constraint(const Point<dim> &x,
                                             Jet<dim>         &g,
                                             Jet<dim>         &d) const
    {
      g       = Jet<dim>();
      g.value = 1.;
      // d = tanh(ω0 t)²: d(0) = d'(0) = 0, and d ≈ 1 beyond t ~ 1/ω0.
      const double s  = std::tanh(omega0 * x[0]);
      const double s1 = omega0 * (1. - s * s);
      const double s2 = -2. * omega0 * s * s1;
      d.value         = s * s;
      d.gradient[0]   = 2. * s * s1;
      d.hessian[0][0] = 2. * (s1 * s1 + s * s2);
    }


    template class HarmonicOscillator<1>;
  } // namespace Problems
} // namespace fbpinn

FBPINN_REGISTER_PROBLEM_DIMS(
  fbpinn::Problems::HarmonicOscillator,
  "harmonic-oscillator",
  "The damped harmonic oscillator u'' + 2d u' + ω0² u = 0 on [0,1], "
  "u(0) = 1, u'(0) = 0, with the exact underdamped solution (entries Omega0, "
  "Damping). Hard-constraint ansatz u = 1 + tanh(ω0 t)² v.",
  1)
