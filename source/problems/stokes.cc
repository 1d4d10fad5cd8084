#include <fbpinn/plugins.h>
#include <fbpinn/problems/system_problem.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

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
     * Dirichlet data for the velocity on the whole boundary by default,
     * none for the pressure, which is then determined up to a constant.
     * The natural condition (Neumann ids) is the traction of the flux
     * form, ν∂u/∂n − p n = g: the pressure is determined once some
     * boundary id carries it on every velocity component. fem uses
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
        // The traction on every velocity component of some boundary id
        // fixes the pressure (p n enters it).
        return f == dim &&
               n_natural_components_max(this->boundary_conditions()) < dim;
      }

      /** The traction on some velocity components of a boundary id only
       * fixes the pressure where a natural component d has n_d ≠ 0 (on
       * x = 0 the normal one, u_x, does; the tangential one, u_y, does
       * not). The problem does not see the face normals, so it refuses
       * that case unless some id carries the whole traction (then the
       * pressure is fixed anyway). */
      void
      check_boundary_conditions(
        const Problems::BoundaryConditions &bc) const override
      {
        if (n_natural_components_max(bc) == dim)
          return;
        for (const types::boundary_id id : bc.mesh_boundary_ids())
          if (n_natural_components(bc, id) > 0)
            throw std::invalid_argument(
              "problem stokes, subsection Boundary conditions: boundary id " +
              std::to_string(id) +
              " has Neumann or Robin conditions on some velocity components "
              "only, and whether they fix the pressure depends on the face "
              "normal; give the traction on every velocity component of some "
              "boundary id, or Dirichlet data for the whole velocity");
      }

      bool
      field_has_boundary_data(const unsigned int f) const override
      {
        return f < dim;
      }

    private:
      /** The number of velocity components with natural conditions on
       * boundary id @p id. */
      static unsigned int
      n_natural_components(const Problems::BoundaryConditions &bc,
                           const types::boundary_id            id)
      {
        unsigned int n = 0;
        for (unsigned int d = 0; d < dim; ++d)
          n += bc.kind(id, d) == BoundaryKind::neumann ||
               bc.kind(id, d) == BoundaryKind::robin;
        return n;
      }

      static unsigned int
      n_natural_components_max(const Problems::BoundaryConditions &bc)
      {
        unsigned int n = 0;
        for (const types::boundary_id id : bc.mesh_boundary_ids())
          n = std::max(n, n_natural_components(bc, id));
        return n;
      }

    public:
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

      /** The same operator in divergence form: Φ_d = ν∇u_d − p e_d (the
       * rows of the stress ν∇u − pI), Φ_p = 0, S_p = −∇·u. */
      template <typename Number>
      SystemFluxForm<dim, dim + 1, Number>
      flux_form(const std::array<Jet<dim, Number>, dim + 1> &u) const
      {
        SystemFluxForm<dim, dim + 1, Number> form;
        form.source[dim] = 0.;
        for (int i = 0; i < dim; ++i)
          form.flux[dim][i] = 0.;
        for (int d = 0; d < dim; ++d)
          {
            form.source[d] = 0.;
            for (int i = 0; i < dim; ++i)
              form.flux[d][i] = viscosity * u[d].gradient[i];
            form.flux[d][d] -= u[dim].value;
            form.source[dim] -= u[d].gradient[d];
          }
        return form;
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
  "the whole boundary by default (the pressure up to a constant), the "
  "traction ν∂u/∂n − p n on Neumann ids. fem: Taylor–Hood Q_{p+1}/Q_p.",
  2)
