#include <fbpinn/solvers/nonlinear.h>

#include <cmath>

namespace fbpinn
{
  namespace Solvers
  {
    void
    NonlinearSettings::declare_parameters(ParameterHandler &prm)
    {
      prm.enter_subsection("Nonlinear solver");
      {
        prm.declare_entry(
          "Tolerance",
          "1e-10",
          Patterns::Double(0.),
          "Nonlinear problems (is_linear() false): fem's Newton iteration "
          "stops when the norm of the weak residual has fallen by this "
          "factor, ‖R(u_k)‖ ≤ tolerance · ‖R(u_0)‖; elm's Gauss–Newton "
          "iteration stops there too, or when its step is this small against "
          "the coefficients, ‖δ‖ ≤ tolerance · ‖a‖ (a collocation residual "
          "does not vanish at the least-squares solution). fbpinn and pinn "
          "minimise the nonlinear residual in their loss and do not read this "
          "subsection.");
        prm.declare_entry("Max iterations",
                          "50",
                          Patterns::Integer(1),
                          "The most Newton (fem) or Gauss–Newton (elm) "
                          "iterations; a run that needs more fails.");
        prm.declare_entry("Max line search steps",
                          "20",
                          Patterns::Integer(0),
                          "The most halvings of one step (fem's line search) "
                          "or increases of the damping (elm's "
                          "Levenberg–Marquardt) before the iteration is "
                          "declared stalled and the run fails.");
      }
      prm.leave_subsection();
    }


    void
    NonlinearReport::start(const double norm)
    {
      active     = true;
      iterations = 0;
      converged  = false;
      residuals  = {norm};
      failure.clear();
    }


    bool
    NonlinearReport::proceed(const double             norm,
                             const NonlinearSettings &settings)
    {
      // Finiteness first: a residual that is not finite at u_0 must not
      // pass for ‖R(u_0)‖ = 0.
      if (!std::isfinite(norm))
        {
          failure = "the residual is not finite";
          return false;
        }
      const double initial = residuals.front();
      if (norm <= settings.tolerance * initial || !(initial > 0.))
        return false;
      if (iterations == settings.max_iterations)
        failure = "no convergence in 'Max iterations' = " +
                  std::to_string(settings.max_iterations) + " iterations";
      return failure.empty();
    }


    void
    NonlinearSettings::parse_parameters(ParameterHandler &prm)
    {
      prm.enter_subsection("Nonlinear solver");
      {
        tolerance             = prm.get_double("Tolerance");
        max_iterations        = prm.get_integer("Max iterations");
        max_line_search_steps = prm.get_integer("Max line search steps");
      }
      prm.leave_subsection();
    }
  } // namespace Solvers
} // namespace fbpinn
