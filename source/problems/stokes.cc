#include <fbpinn/plugins.h>
#include <fbpinn/problems/system_problem.h>

#include <cmath>
#include <stdexcept>

namespace fbpinn
{
  namespace Problems
  {
    /**
     * The steady Stokes system in 2D for the velocity (u_x, u_y) and the
     * pressure p,
     * @f[ -\nu\Delta\mathbf u + \nabla p = \mathbf f, \qquad
     *     -\nabla\cdot\mathbf u = 0, @f]
     * with the manufactured solution u = curl ψ of the stream function
     * ψ = sin²(πx) sin²(πy) (divergence-free, zero on the boundary of the
     * unit square) and p = cos(πx) cos(πy); f is derived from them.
     * Dirichlet data for the velocity on the whole boundary, none for the
     * pressure, which is then determined up to a constant. fem uses
     * Taylor–Hood elements Q_{p+1}/Q_p (the velocity one degree above
     * `Polynomial degree`). The continuity equation is written as −∇·u so
     * that fem's Galerkin matrix is symmetric.
     */
    template <int dim>
    class Stokes : public SystemProblem<dim, dim + 1, Stokes<dim>>
    {
    public:
      static void
      declare_parameters(ParameterHandler &prm)
      {
        prm.declare_entry("Viscosity",
                          "1",
                          Patterns::Double(0.),
                          "The kinematic viscosity ν > 0.");
      }

      void
      parse_parameters(ParameterHandler &prm) override
      {
        viscosity = prm.get_double("Viscosity");
        if (!(viscosity > 0.))
          throw std::invalid_argument(
            "entry 'Viscosity' must be positive (it is " +
            prm.get("Viscosity") + ")");
      }

      bool
      is_linear() const override
      {
        return true;
      }

      std::vector<std::string>
      field_names() const override
      {
        return {"u_x", "u_y", "p"};
      }

      int
      field_degree_offset(const unsigned int f) const override
      {
        return f < dim ? 1 : 0;
      }

      bool
      field_up_to_constant(const unsigned int f) const override
      {
        return f == dim;
      }

      bool
      field_has_boundary_data(const unsigned int f) const override
      {
        return f < dim;
      }

      template <typename Number>
      std::array<Number, dim + 1>
      pde_operator(const std::array<Jet<dim, Number>, dim + 1> &u) const
      {
        std::array<Number, dim + 1> r;
        r[dim] = 0.;
        for (int d = 0; d < dim; ++d)
          {
            r[d] = -viscosity * laplacian(u[d]) + u[dim].gradient[d];
            r[dim] -= u[d].gradient[d];
          }
        return r;
      }

      template <typename Number>
      std::array<Number, dim + 1>
      solution(const std::array<Number, dim> &x) const
      {
        using std::cos;
        using std::sin;
        const Number sx = sin(M_PI * x[0]), sy = sin(M_PI * x[1]);
        return {M_PI * sx * sx * sin(2. * M_PI * x[1]),
                -M_PI * sin(2. * M_PI * x[0]) * sy * sy,
                cos(M_PI * x[0]) * cos(M_PI * x[1])};
      }

    private:
      double viscosity = 1.;
    };
  } // namespace Problems
} // namespace fbpinn

FBPINN_REGISTER_PROBLEM_DIMS(
  fbpinn::Problems::Stokes,
  "stokes",
  "The steady Stokes system −νΔu + ∇p = f, −∇·u = 0 in 2D (fields u_x, u_y, "
  "p; entry Viscosity) with the manufactured solution u = curl ψ, "
  "ψ = sin²(πx) sin²(πy), p = cos(πx) cos(πy); velocity Dirichlet data on "
  "the whole boundary, the pressure up to a constant. fem: Taylor–Hood "
  "Q_{p+1}/Q_p.",
  2)
