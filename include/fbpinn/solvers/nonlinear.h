#pragma once

#include <deal.II/base/parameter_handler.h>

#include <string>
#include <vector>

namespace fbpinn
{
  namespace Solvers
  {
    using namespace dealii;

    /**
     * The entries of `subsection Nonlinear solver`, shared by the methods that
     * iterate on a nonlinear problem (fem: Newton with a line search; elm:
     * Gauss–Newton with Levenberg–Marquardt damping). fbpinn and pinn put the
     * nonlinear residual into their loss and do not read them.
     */
    struct NonlinearSettings
    {
      /** Stop when ‖R(u_k)‖ ≤ tolerance · ‖R(u_0)‖. */
      double tolerance = 1e-10;
      /** The most iterations before the run fails. */
      unsigned int max_iterations = 50;
      /** The most step halvings of one line search before the run fails. */
      unsigned int max_line_search_steps = 20;

      /** Declare `subsection Nonlinear solver` (at the top level). */
      static void
      declare_parameters(ParameterHandler &prm);

      /** Read the entries, from the top level. */
      void
      parse_parameters(ParameterHandler &prm);
    };


    /**
     * What a nonlinear iteration reports (metrics.json key `nonlinear`):
     * the iterations, whether they met the tolerance, and the residual norm
     * before the first and after every step.
     */
    struct NonlinearReport
    {
      bool                active     = false;
      unsigned int        iterations = 0;
      bool                converged  = false;
      std::vector<double> residuals;
      /** Why it stopped without converging, for the one-line error. */
      std::string failure;

      /** Begin an iteration whose initial residual norm is @p norm. */
      void
      start(const double norm);

      /**
       * Whether to take another step at the residual norm @p norm: not once
       * ‖R‖ ≤ tolerance · ‖R(u_0)‖ (or ‖R(u_0)‖ = 0: converged), nor once the
       * residual is not finite or 'Max iterations' steps were taken (then
       * `failure` says why). The stopping rules fem and elm share.
       */
      bool
      proceed(const double norm, const NonlinearSettings &settings);
    };
  } // namespace Solvers
} // namespace fbpinn
