#include <fbpinn/plugins.h>
#include <fbpinn/problems/interface.h>

namespace fbpinn
{
  namespace Problems
  {
    /**
     * −Δu = s with a constant source s (entry `Source`) and homogeneous data
     * (u = 0 on the Dirichlet ids, ∂u/∂n = 0 on Neumann ids), on any
     * geometry: a problem without an exact solution. Its errors are
     * measured against a reference (`subsection Reference solution`,
     * `set Type = fem`) or not at all.
     */
    template <int dim>
    class PoissonConstantSource
      : public PdeProblem<dim, PoissonConstantSource<dim>>
    {
    public:
      static void
      declare_parameters(ParameterHandler &prm)
      {
        prm.declare_entry("Source", "1", Patterns::Double(), "The source s.");
      }

      void
      parse_parameters(ParameterHandler &prm) override
      {
        source = prm.get_double("Source");
      }

      bool
      is_linear() const override
      {
        return true;
      }

      template <typename Number>
      Number
      pde_operator(const Jet<dim, Number> &u) const
      {
        return -laplacian(u);
      }

      double
      forcing(const Point<dim> &) const
      {
        return source;
      }

      double
      dirichlet_value(const Point<dim> &) const override
      {
        return 0.;
      }

    private:
      double source = 1.;
    };
  } // namespace Problems
} // namespace fbpinn

FBPINN_REGISTER_PROBLEM(
  fbpinn::Problems::PoissonConstantSource,
  "poisson-constant-source",
  "−Δu = s (entry Source) with u = 0 on the Dirichlet ids and ∂u/∂n = 0 on "
  "Neumann ids, on any geometry; no exact solution (errors against "
  "subsection Reference solution, Type = fem).")
