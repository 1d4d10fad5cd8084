#pragma once

#include <deal.II/dofs/dof_handler.h>
#include <deal.II/fe/fe_q.h>
#include <deal.II/fe/fe_system.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/lac/affine_constraints.h>
#include <deal.II/lac/solver_control.h>
#include <deal.II/lac/trilinos_precondition.h>
#include <deal.II/lac/trilinos_solver.h>
#include <deal.II/lac/trilinos_sparse_matrix.h>
#include <deal.II/lac/trilinos_vector.h>

#include <fbpinn/methods/interface.h>
#include <fbpinn/solvers/nonlinear.h>

#include <functional>
#include <limits>
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
      estimate_resources(
        const double                    n_cells,
        const Problems::Interface<dim> &problem) const override;

      /** The estimate for fields of degrees `Polynomial degree` +
       * @p degree_offsets[f] (what the method of lines asks for its spatial
       * problem). */
      ResourceEstimate
      estimate_resources(const double            n_cells,
                         const std::vector<int> &degree_offsets) const;

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

      /**
       * @name Time steps
       * The building blocks of the method of lines (MethodOfLines): the
       * spatial problem at one time is given as a steady @p problem whose
       * data belong to that time, and a step of an implicit scheme solves
       * @f[ \sum_e \int m_e\,(a\,u_e - w_e)\,v_e + R(u)(v) + eta R_{old}(v)
       *     = 0 @f]
       * by Newton's method, with R the weak residual of the spatial problem,
       * m_e the mass coefficient of equation e, a and w (a function of the
       * previous steps) from the scheme, and β R_old the residual at the
       * previous time (θ-scheme).
       */
      /** @{ */
      /** The terms of one step. */
      struct TimeStepTerms
      {
        /** a. */
        double mass_factor = 0;
        /** w, with ghost entries. */
        TrilinosWrappers::MPI::Vector history;
        /** −β R_old (as weak_residual() returns it); empty: none. */
        TrilinosWrappers::MPI::Vector old_residual;
        /** m_e(x) of every equation at a point. */
        std::function<void(const Point<dim> &, std::vector<double> &)> mass;
      };

      /** Set up the DoFs and matrices for time steps of @p problem. */
      void
      setup_time_stepping(
        const Problems::Interface<dim>         &problem,
        const parallel::TriangulationBase<dim> &triangulation);

      /** The solution := the Dirichlet data of @p problem interpolated at
       * every DoF (the initial values, for the problem at t = 0). */
      void
      interpolate_initial_values(const Problems::Interface<dim> &problem);

      /** The Dirichlet data of @p problem (at its time) into the
       * constraints and into the constrained entries of the solution. */
      void
      set_boundary_values(const Problems::Interface<dim> &problem);

      /** −R(u) of @p problem at the current solution, with the zero
       * constraints of an update (for TimeStepTerms::old_residual). */
      TrilinosWrappers::MPI::Vector
      weak_residual(const Problems::Interface<dim> &problem);

      /** Solve one step from the current solution (after
       * set_boundary_values()); @p last_linear receives the report of the
       * last linear solve. */
      Solvers::NonlinearReport
      solve_time_step(const Problems::Interface<dim> &problem,
                      const TimeStepTerms            &terms,
                      SolverReport                   &last_linear,
                      Timings                        &timings);

      /** Replace the solution (with ghost entries, same layout). */
      void
      set_solution(const TrilinosWrappers::MPI::Vector &u)
      {
        solution = u;
      }

      /** `Solver` of subsection FEM. */
      const std::string &
      linear_solver_name() const
      {
        return solver_name;
      }

      /** The constraints of the last set_boundary_values() (Dirichlet data
       * and hanging nodes). */
      const AffineConstraints<double> &
      get_constraints() const
      {
        return constraints;
      }

      /**
       * The mass matrix ∫ m φ_i φ_j (one field, m from @p terms.mass): into
       * @p full without constraints, into @p condensed with the zero
       * constraints of an update (constrained rows and columns zero but for
       * a positive diagonal). For integrators that take their own steps
       * (ARKode).
       */
      void
      assemble_mass_matrices(const TimeStepTerms            &terms,
                             TrilinosWrappers::SparseMatrix &full,
                             TrilinosWrappers::SparseMatrix &condensed) const;

      /** Newton's matrix a M + ∂R/∂u of @p problem at the current solution
       * (a = @p terms.mass_factor), with the zero constraints; factorised
       * (or its AMG built) at the next solve_step_matrix(). */
      void
      assemble_step_matrix(const Problems::Interface<dim> &problem,
                           const TimeStepTerms            &terms);

      /** x with (a M + ∂R/∂u) x = b, x = 0 on constrained DoFs (b's entries
       * there are ignored); @p last_linear receives the solver's report. */
      TrilinosWrappers::MPI::Vector
      solve_step_matrix(const TrilinosWrappers::MPI::Vector &b,
                        SolverReport                        &last_linear);

      /** y = (a M + ∂R/∂u) x with the matrix of assemble_step_matrix(). */
      void
      step_matrix_vmult(TrilinosWrappers::MPI::Vector       &y,
                        const TrilinosWrappers::MPI::Vector &x) const
      {
        system_matrix.vmult(y, x);
      }
      /** @} */

    private:
      void
      setup_system(const Problems::Interface<dim>         &problem,
                   const parallel::TriangulationBase<dim> &triangulation);

      void
      assemble_system(const Problems::Interface<dim> &problem);

      /** The constraints: hanging nodes, the Dirichlet data of @p problem,
       * and one DoF fixed for each field determined up to a constant (whose
       * indices it returns). */
      std::vector<types::global_dof_index>
      make_constraints(const Problems::Interface<dim> &problem);

      /** Newton's method from @p u (which satisfies the constraints), with
       * a backtracking line search; leaves the result in @p u and in
       * `solution`. */
      Solvers::NonlinearReport
      newton_iteration(const Problems::Interface<dim> &problem,
                       TrilinosWrappers::MPI::Vector  &u,
                       SolverReport                   &last_linear,
                       Timings                        &timings);

      /** Solve system_matrix x = system_rhs; returns x without constraints
       * applied. @p reuse: the matrix is that of the last call, whose AMG
       * hierarchy or factorisation is used again. */
      TrilinosWrappers::MPI::Vector
      solve_linear_system(const bool symmetric_positive_definite,
                          const bool reuse = false);

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
      /** Set up for time steps (zero constraints always). */
      bool time_stepping = false;
      /** The terms of the time step being solved; null otherwise. */
      const TimeStepTerms *time_terms = nullptr;
      /** Whether Newton's Jacobian is symmetric positive definite (a
       * linear scalar problem without advection or negative reaction, in
       * time steps), so that cg-amg may solve it. */
      bool newton_jacobian_spd = false;
      /** Whether time steps may reuse the Jacobian (a linear operator that
       * does not vary), and the a of the matrix assembled last (NaN: none
       * to reuse). */
      bool jacobian_reusable = false;
      /** A step matrix assembled and not yet factorised. */
      bool   step_matrix_fresh  = false;
      double cached_mass_factor = std::numeric_limits<double>::quiet_NaN();
      /** The AMG hierarchy and the factorisation of the last solve. */
      std::unique_ptr<TrilinosWrappers::PreconditionAMG> cached_amg;
      std::unique_ptr<TrilinosWrappers::SolverDirect>    cached_direct;
      SolverControl direct_control{1, 0., false, false};
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
