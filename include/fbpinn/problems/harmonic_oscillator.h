#pragma once

#include <fbpinn/problems/interface.h>

#include <cmath>

namespace fbpinn
{
  namespace Problems
  {
    /**
     * The damped harmonic oscillator of the FBPINN and ELM-FBPINN papers,
     * m u'' + μ u' + k u = 0 on [0,1], u(0) = 1, u'(0) = 0, with m = 1,
     * μ = 2d, k = ω0², and the exact underdamped solution
     * @f[ u(t) = e^{-d t}\bigl(\cos\omega t + \tfrac{d}{\omega}\sin\omega
     * t\bigr), \qquad \omega = \sqrt{\omega_0^2 - d^2}. @f] Both conditions sit
     * at t = 0; there is none at t = 1. The hard-constraint ansatz is u = 1 +
     * tanh(ω0 t)² v, which satisfies both for every v.
     */
    template <int dim>
    class HarmonicOscillator : public PdeProblem<dim, HarmonicOscillator<dim>>
    {
      static_assert(dim == 1, "the harmonic oscillator is a 1D problem");

    public:
      static void
      declare_parameters(ParameterHandler &prm);

      void
      parse_parameters(ParameterHandler &prm) override;

      bool
      is_linear() const override
      {
        return true;
      }

      /** No forcing: the oscillator is driven by its initial conditions. */
      double
      forcing(const Point<dim> &) const
      {
        return 0.;
      }

      template <typename Number>
      Number
      pde_operator(const Jet<dim, Number> &u) const
      {
        return u.hessian[0][0] + 2. * damping * u.gradient[0] +
               omega0 * omega0 * u.value;
      }

      template <typename Number>
      Number
      solution(const std::array<Number, dim> &t) const
      {
        using std::cos;
        using std::exp;
        using std::sin;
        const double omega = std::sqrt(omega0 * omega0 - damping * damping);
        return exp(-damping * t[0]) *
               (cos(omega * t[0]) + damping / omega * sin(omega * t[0]));
      }

      bool
      conditions_by_boundary_id() const override;

      unsigned int
      n_boundary_conditions(const types::boundary_id id,
                            const Point<dim>        &x) const override;

      LinearizedResidual<dim>
      linearize_boundary_condition(const unsigned int       m,
                                   const types::boundary_id id,
                                   const Point<dim>        &x,
                                   const Tensor<1, dim>    &normal,
                                   const Jet<dim>          &u) const override;

      bool
      has_hard_constraint() const override;

      void
      hard_constraint(const Point<dim> &x,
                      Jet<dim>         &g,
                      Jet<dim>         &d) const override;

      /** ω0, the undamped angular frequency. */
      double omega0 = 80.;
      /** d, the damping (μ = 2d). */
      double damping = 2.;
    };
  } // namespace Problems
} // namespace fbpinn
