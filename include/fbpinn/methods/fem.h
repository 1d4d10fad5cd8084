#pragma once

#include <deal.II/dofs/dof_handler.h>
#include <deal.II/fe/fe_q.h>
#include <deal.II/fe/fe_system.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/lac/affine_constraints.h>
#include <deal.II/lac/trilinos_sparse_matrix.h>
#include <deal.II/lac/trilinos_vector.h>

#include <fbpinn/methods/interface.h>
#include <fbpinn/solvers/nonlinear.h>

#include <memory>

namespace fbpinn
{
  namespace Methods
  {
    /**
     * The FEM baseline, modelled on deal.II step-40: continuous FE_Q(p),
     * p = 1 ... 6, on the shared (p4est-distributed) mesh, Dirichlet data
     * through AffineConstraints, Trilinos matrices, and either CG with an ML
     * algebraic multigrid preconditioner or a sparse direct solver (MUMPS
     * through Amesos).
     *
     * The weak form is derived from the problem's residual: with
     * D = ∂r/∂(∇∇u), g = ∂r/∂(∇u), c = ∂r/∂u and f = −r(x, 0), the strong form
     * D:∇∇u + g·∇u + c u = f is written with A = −sym(D) in divergence form,
     * @f[ (A\nabla u, \nabla v) + ((\nabla\cdot A + g)\cdot\nabla u, v)
     *     + (c\,u, v) = (f, v). @f]
     *
     * A nonlinear problem (is_linear() false) is solved by Newton's method on
     * the weak form R(u)(v) = (Φ, ∇v) + (S, v) that Problems::WeakFormPoint
     * derives from the same residual, with the Jacobian by forward AD, zero
     * constraints on the update (deal.II step-15, step-57) and a backtracking
     * line search on ‖R‖ (subsection Nonlinear solver).
     *
     * A problem with several fields (Problems::Interface::n_fields()) gets an
     * FESystem of one FE_Q per field, of degree p + field_degree_offset(f)
     * (Taylor–Hood for Stokes), Dirichlet data on the fields that have them
     * and, for a field determined up to a constant, one DoF fixed to zero.
     * Its weak form is derived field by field (Problems::FieldWeakForm) and
     * solved by Newton's method, a linear system in one Newton step, with the
     * direct solver (no block preconditioner yet).
     */
    template <int dim>
    class FEM : public Interface<dim>
    {
    public:
      static void
      declare_parameters(ParameterHandler &prm);

      void
      parse_parameters(ParameterHandler &prm) override;

      void
      solve(const Problems::Interface<dim>         &problem,
            const parallel::TriangulationBase<dim> &triangulation,
            Timings                                &timings) override;

      ResourceEstimate
      estimate_resources(const double n_cells) const override;

      types::global_dof_index
      n_dofs() const override;

      types::global_dof_index
      n_rows() const override;

      types::global_dof_index
      n_nonzeros() const override;

      SolverReport
      solver_report() const override;

      unsigned int
      n_assembly_points_per_direction() const override;

      /** Use polynomial degree @p p instead of `Polynomial degree` (for a
       * reference solution; before solve()). */
      void
      set_degree(const unsigned int p)
      {
        degree = p;
      }

      const Mapping<dim> &
      get_mapping() const override
      {
        return *mapping;
      }

      /** The DoFHandler and the (ghosted) solution of the last solve. */
      const DoFHandler<dim> &
      get_dof_handler() const
      {
        return *dof_handler;
      }

      const TrilinosWrappers::MPI::Vector &
      get_solution() const
      {
        return solution;
      }

      std::unique_ptr<SolutionEvaluator<dim>>
      create_evaluator(const Quadrature<dim> &quadrature) const override;

      void
      write_solution(const Problems::Interface<dim> &problem,
                     const std::string              &directory,
                     const std::string              &basename) const override;

    private:
      void
      setup_system(const Problems::Interface<dim>         &problem,
                   const parallel::TriangulationBase<dim> &triangulation);

      void
      assemble_system(const Problems::Interface<dim> &problem);

      /** Solve system_matrix x = system_rhs; returns x without constraints
       * applied. */
      TrilinosWrappers::MPI::Vector
      solve_linear_system(const bool symmetric_positive_definite);

      /** The end of both Newton assemblies: compress, refuse a
       * second-order coefficient that depends on ∇u (largest
       * @p gradient_dependence against @p coefficient_size over all ranks),
       * and return ‖R‖. */
      double
      finish_newton_assembly(const bool         with_jacobian,
                             double             gradient_dependence,
                             double             coefficient_size,
                             const unsigned int n_fields);

      /**
       * The natural boundary conditions (Neumann Φ·n = g, Robin
       * Φ·n + α u = g) of @p cell's boundary faces: −R gains ∫(g − α u) v and
       * the Jacobian ∫ α φ v, field by field, with u from `solution` if
       * @p at_solution (else u = 0: the linear system's right-hand side and
       * matrix). Nothing where every condition is Dirichlet.
       */
      void
      add_natural_boundary_terms(
        const Problems::Interface<dim>                       &problem,
        const typename DoFHandler<dim>::active_cell_iterator &cell,
        const bool                                            at_solution,
        const bool                                            with_jacobian,
        FullMatrix<double>                                   &cell_matrix,
        Vector<double>                                       &cell_rhs) const;

      /** Add a cell's Newton residual (and Jacobian) with the zero
       * constraints of the update. */
      void
      add_newton_cell(const FullMatrix<double>                   &cell_matrix,
                      const Vector<double>                       &cell_rhs,
                      const std::vector<types::global_dof_index> &dof_indices,
                      const bool with_jacobian);

      /**
       * The weak residual and Newton's Jacobian of a problem with several
       * fields (FESystem), as assemble_newton_system does for one field:
       * equation e tested with field e's shape functions.
       */
      double
      assemble_field_system(const Problems::Interface<dim> &problem,
                            const bool                      with_jacobian);

      /** A linear problem with several fields: one Newton step from the
       * Dirichlet data (exact for a linear problem). */
      void
      solve_linear_fields(const Problems::Interface<dim> &problem,
                          Timings                        &timings);

      /** Newton's method for a nonlinear problem; leaves u in `solution`. */
      void
      solve_nonlinear(const Problems::Interface<dim> &problem,
                      Timings                        &timings);

      /**
       * The weak residual R(u) at u = `solution` (ghosted) into system_rhs as
       * −R, with the zero constraints of the update, and, if
       * @p with_jacobian, Newton's Jacobian into system_matrix. Returns ‖R‖
       * over the unconstrained DoFs.
       */
      double
      assemble_newton_system(const Problems::Interface<dim> &problem,
                             const bool                      with_jacobian);

      unsigned int degree           = 2;
      std::string  solver_name      = "cg-amg";
      double       solver_tolerance = 1e-12;
      unsigned int max_iterations   = 10000;

      /** MappingQ(max_degree) on a curved geometry, else MappingQ1. */
      std::unique_ptr<Mapping<dim>> mapping;
      /** The face values of add_natural_boundary_terms(), made on first use
       * after each setup. */
      mutable std::unique_ptr<FEFaceValues<dim>> face_values_cache;
      /** FE_Q(p) for one field; an FESystem of one FE_Q per field. */
      std::unique_ptr<FiniteElement<dim>> fe;
      /** The highest degree of the fields' elements. */
      unsigned int                     max_degree = 2;
      std::unique_ptr<DoFHandler<dim>> dof_handler;
      AffineConstraints<double>        constraints;
      /** Hanging nodes and zero Dirichlet data: the constraints of a Newton
       * update. */
      AffineConstraints<double>      zero_constraints;
      Solvers::NonlinearSettings     nonlinear;
      TrilinosWrappers::SparseMatrix system_matrix;
      TrilinosWrappers::MPI::Vector  system_rhs;
      /** The solution with ghost entries, for evaluation and output. */
      TrilinosWrappers::MPI::Vector solution;
      SolverReport                  report;
      bool                          operator_is_spd = true;
    };


    /**
     * How close the problem's operator is to singular: a condition estimate
     * of the continuous problem, the same for every method that solves it.
     *
     * For a symmetric operator L u = −∇·(A∇u) + c u with Dirichlet data on the
     * whole boundary and c < 0 somewhere (Helmholtz: c = −k²), L is singular
     * when −c meets an eigenvalue of the principal part (a resonance), and
     * every method then returns some solution with no sign of trouble. This
     * function discretises L with Q2 elements on @p triangulation (zero
     * Dirichlet data), factorises it once (MUMPS) and runs inverse iteration
     * to the eigenvector x of L nearest to zero; it returns
     *
     *     ρ = |xᵀ L x| / xᵀ K x,
     *
     * with K the principal part (c dropped): the relative distance |λ + c|/λ
     * of the nearest eigenvalue λ, about 1/(error amplification). ρ = 0
     * where the factorisation finds L singular. Returns NaN where the
     * question does not arise (c ≥ 0 everywhere, a first-order term, other
     * than Dirichlet conditions). Collective.
     */
    template <int dim>
    double
    resonance_indicator(const Problems::Interface<dim>         &problem,
                        const parallel::TriangulationBase<dim> &triangulation);
  } // namespace Methods
} // namespace fbpinn
