#pragma once

#include <deal.II/base/parameter_handler.h>
#include <deal.II/base/types.h>

#include <set>
#include <string>
#include <vector>

namespace fbpinn
{
  namespace Problems
  {
    using namespace dealii;

    /** The kind of condition a field satisfies on a part of the boundary. */
    enum class BoundaryKind
    {
      /** u = g (essential: constraints in FEM, rows u − g in collocation). */
      dirichlet,
      /** Φ·n = g, with Φ the flux of the weak form (natural: a boundary
       * integral in FEM, rows Φ(u)·n − g in collocation). */
      neumann,
      /** Φ·n + α u = g (natural, with the Robin coefficient α). */
      robin,
      /** No condition: the face t = T of a space-time domain, where the
       * solution is what the equation makes it (collocation methods put no
       * rows there). */
      none
    };


    /**
     * Which condition holds on which boundary id, for every field with
     * boundary data (`subsection Boundary conditions`): the boundary
     * descriptor of a run, in the spirit of ExaDG's. The data g come from the
     * problem (by default its exact solution: u* for Dirichlet, Φ(u*)·n and
     * Φ(u*)·n + α u* for the natural conditions), so that a manufactured
     * solution satisfies every combination.
     *
     * Φ is the flux of the weak form that fem derives from the residual,
     * Φ = A∇u with A = −sym ∂r/∂∇∇u: ∂u/∂n for −Δu, (a(x)∇u)·n for
     * −∇·(a∇u), −∂u/∂n for Δu + k²u.
     */
    class BoundaryConditions
    {
    public:
      /** Declare `subsection Boundary conditions`. */
      static void
      declare_parameters(ParameterHandler &prm);

      /** Read it; @p field_names name the fields for `Dirichlet components`.
       * Errors are one line naming the entry. */
      void
      parse_parameters(ParameterHandler               &prm,
                       const std::vector<std::string> &field_names);

      /** Check the ids against those of the mesh, @p mesh_ids: each named id
       * must exist and be named once; with an explicit Dirichlet list every
       * id of the mesh must be named. Throws a one-line invalid_argument. */
      void
      check_boundary_ids(const std::set<types::boundary_id> &mesh_ids);

      /** The condition on field @p field at boundary id @p id. */
      BoundaryKind
      kind(const types::boundary_id id, const unsigned int field) const;

      /** Whether every field is Dirichlet on every id (the default). */
      bool
      dirichlet_everywhere() const;

      /** Whether every condition is Dirichlet data on every field: as
       * dirichlet_everywhere(), but faces without a condition (t = T of a
       * space-time domain) allowed. What a hard-constraint ansatz imposes. */
      bool
      dirichlet_wherever_conditioned() const;

      /** Whether field @p field has a Dirichlet or Robin condition somewhere
       * on the mesh (else only its flux is given, and a problem without a
       * zeroth-order term determines it up to a constant). */
      bool
      fixes_value(const unsigned int field) const;

      /**
       * The faces of a space-time domain (time-dependent problems, see
       * Problems::Interface::is_time_dependent()): the initial conditions
       * hold on @p initial_id (every field with boundary data is given
       * there, as on a Dirichlet id, whatever 'Dirichlet components' says),
       * and nothing on @p final_id. Call before check_boundary_ids(); the
       * two ids must not be named in the subsection. Throws a one-line
       * invalid_argument.
       */
      void
      set_time_faces(const types::boundary_id initial_id,
                     const types::boundary_id final_id);

      /** Whether @p id is the face t = 0 of a space-time domain. */
      bool
      is_initial(const types::boundary_id id) const
      {
        return initial_ids.count(id) != 0;
      }

      /** Whether @p id is the face t = T of a space-time domain (no
       * condition there). */
      bool
      is_free(const types::boundary_id id) const
      {
        return free_ids.count(id) != 0;
      }

      /** The Robin coefficient α. */
      double
      robin_coefficient() const
      {
        return alpha;
      }

      /** The ids of the mesh (after check_boundary_ids()). */
      const std::set<types::boundary_id> &
      mesh_boundary_ids() const
      {
        return mesh_ids;
      }

    private:
      bool                         dirichlet_on_rest = true;
      std::set<types::boundary_id> dirichlet, neumann, robin;
      /** Per field: whether it is Dirichlet on the Dirichlet ids (else it
       * takes the Neumann condition there). Empty: every field. */
      std::vector<bool>            dirichlet_components;
      double                       alpha = 1.;
      std::set<types::boundary_id> mesh_ids;
      /** The faces t = 0 and t = T of a space-time domain. */
      std::set<types::boundary_id> initial_ids, free_ids;
    };
  } // namespace Problems
} // namespace fbpinn
