/* step-2: a new problem as a plugin.
 *
 * The advection–diffusion equation
 *
 *   −ν Δu + β·∇u = f in (0, 1)^dim,   u = 0 on the boundary,
 *
 * with β = (1, …, 1) and the manufactured solution
 *
 *   u = Π_d x_d (1 − exp((x_d − 1)/ν)),
 *
 * which has boundary layers of width ν at x_d = 1. The file is the whole
 * problem: its entries, the operator N[u] written once as a template on the
 * number type, and the exact solution. fbpinn derives the forcing f = N[u*]
 * and every coefficient the methods need (fem's weak form, elm's rows,
 * fbpinn's loss) from them with Sacado; no method is told anything about
 * this problem. Built as its own shared library and loaded by the fbpinn
 * binary through `set Additional shared libraries` (step-2.prm). See
 * README.md in this folder.
 */

#include <fbpinn/plugins.h>
#include <fbpinn/problems/interface.h>

#include <cmath>
#include <stdexcept>

namespace Step2
{
  using namespace dealii;

  template <int dim>
  class AdvectionDiffusion
    : public fbpinn::Problems::PdeProblem<dim, AdvectionDiffusion<dim>>
  {
  public:
    /* The problem's own entries, in subsection Problem/step-2-advection-
     * diffusion of the parameter file. */
    static void
    declare_parameters(ParameterHandler &prm)
    {
      prm.declare_entry("Diffusion",
                        "0.05",
                        Patterns::Double(0.),
                        "ν > 0, also the width of the boundary layers.");
    }

    void
    parse_parameters(ParameterHandler &prm) override
    {
      nu = prm.get_double("Diffusion");
      if (!(nu > 0.))
        throw std::invalid_argument(
          "entry 'Diffusion' must be positive (it is " + prm.get("Diffusion") +
          ")");
    }

    /* Linearity is declared, never assumed: fem and elm solve a linear
     * problem in one step, a nonlinear one by (Gauss–)Newton. */
    bool
    is_linear() const override
    {
      return true;
    }

    /* N[u] = −ν Δu + β·∇u, from the jet of u (value, gradient, Hessian). */
    template <typename Number>
    Number
    pde_operator(const fbpinn::Jet<dim, Number> &u) const
    {
      Number advection = 0.;
      for (int d = 0; d < dim; ++d)
        advection += u.gradient[d];
      return -nu * fbpinn::laplacian(u) + advection;
    }

    /* u*, from which f = N[u*] and the Dirichlet data are derived. */
    template <typename Number>
    Number
    solution(const std::array<Number, dim> &x) const
    {
      using std::exp;
      Number u = 1.;
      for (int d = 0; d < dim; ++d)
        u *= x[d] * (1. - exp((x[d] - 1.) / nu));
      return u;
    }

  private:
    double nu = 0.05;
  };
} // namespace Step2

/* The name the parameter file uses, and the manual entry that
 * `fbpinn --print-parameters step-2.prm` shows. */
FBPINN_REGISTER_PROBLEM(Step2::AdvectionDiffusion,
                        "step-2-advection-diffusion",
                        "Tutorial step-2: −ν Δu + β·∇u = f on the unit cube, "
                        "β = (1, …, 1), u = Π x_d (1 − exp((x_d − 1)/ν)) "
                        "with boundary layers of width ν at x_d = 1.")
