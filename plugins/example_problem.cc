// An example user plugin: a new PDE in one file, registered under a name and
// loaded at run time with
//
//   set Additional shared libraries = build/plugins/libfbpinn-example-plugin.so
//   subsection Problem
//     set Name = example-reaction-diffusion
//   end
//
// It is not part of the fbpinn library; copy it to start your own problem.

#include <fbpinn/plugins.h>
#include <fbpinn/problems/interface.h>

#include <cmath>

namespace ExamplePlugin
{
  using namespace dealii;

  /**
   * The reaction-diffusion equation −ν Δu + σ u = f on [0,1]^dim with the
   * manufactured solution u = exp(−|x − x0|²) (x0 the centre of the cube); the
   * forcing f = N[u] is derived from it by automatic differentiation.
   */
  template <int dim>
  class ReactionDiffusion
    : public fbpinn::Problems::PdeProblem<dim, ReactionDiffusion<dim>>
  {
  public:
    static void
    declare_parameters(ParameterHandler &prm)
    {
      prm.declare_entry("Diffusion", "1", Patterns::Double(0.), "ν > 0.");
      prm.declare_entry("Reaction", "10", Patterns::Double(0.), "σ ≥ 0.");
    }

    void
    parse_parameters(ParameterHandler &prm) override
    {
      nu    = prm.get_double("Diffusion");
      sigma = prm.get_double("Reaction");
      AssertThrow(nu > 0, ExcMessage("entry 'Diffusion' must be positive"));
    }

    bool
    is_linear() const override
    {
      return true;
    }

    // The operator N[u]; the forcing f = N[u*] is derived from solution().
    template <typename Number>
    Number
    pde_operator(const fbpinn::Jet<dim, Number> &u) const
    {
      return -nu * fbpinn::laplacian(u) + sigma * u.value;
    }

    template <typename Number>
    Number
    solution(const std::array<Number, dim> &x) const
    {
      using std::exp;
      Number r2 = 0.;
      for (int d = 0; d < dim; ++d)
        r2 += (x[d] - 0.5) * (x[d] - 0.5);
      return exp(-r2);
    }

  private:
    double nu    = 1.;
    double sigma = 10.;
  };
} // namespace ExamplePlugin

FBPINN_REGISTER_PROBLEM(ExamplePlugin::ReactionDiffusion,
                        "example-reaction-diffusion",
                        "Example plugin: -ν Δu + σ u = f on [0,1]^d with "
                        "u = exp(-|x - x0|²), loaded from its own shared "
                        "library.")
