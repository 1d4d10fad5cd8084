#pragma once

#include <deal.II/fe/mapping_q.h>
#include <deal.II/lac/trilinos_sparse_matrix.h>
#include <deal.II/lac/trilinos_vector.h>

#include <fbpinn/basis/finite_basis_space.h>
#include <fbpinn/methods/interface.h>
#include <fbpinn/solvers/least_squares.h>
#include <fbpinn/solvers/nonlinear.h>

namespace fbpinn
{
  namespace Methods
  {
    /**
     * ELM-FBPINN: the random-feature finite-basis method of Anderson, Dolean,
     * Moseley and Pestana (2024). The solution is
     * @f[ u(x) = C\Bigl[\sum_j \psi_j(x) \sum_k a_{jk}\,\phi_{jk}(x)\Bigr] @f]
     * on the FiniteBasisSpace of the shared mesh (one subdomain per active
     * cell), with C the optional hard-constraint ansatz C[v] = g + d v. Only
     * the coefficients a are unknown, so for a linear PDE the physics-informed
     * loss is the linear least-squares problem min ‖M a − h‖ with one row per
     * collocation point x_i (n_q^dim Gauss or uniform points per cell,
     * weighted by √(JxW)), one per boundary point and condition (weighted by
     * σ √(λ_b · face JxW)) and one per interior condition point (σ √λ_b),
     * where σ = Σ|D_de|/(h_d h_e) + Σ|g_d|/h_d + |c| is the size of the PDE
     * operator on the cell (h its half-widths), so that λ_b keeps its meaning
     * under refinement:
     * @f[ M_{i,jk} = \sqrt{w_i}\; \partial_J r(x_i) : J[\psi_j\phi_{jk}](x_i),
     *     \qquad h_i = -\sqrt{w_i}\; r(x_i, J[g]). @f]
     * M is a rectangular distributed Trilinos matrix (rows owned by the rank
     * that owns the point's cell, columns by the DoF owner) solved by the
     * least-squares solvers of Solvers::solve_least_squares().
     *
     * <b>Time slabs</b> (`Time slabs` = S > 1, time-dependent problems): block
     * time marching. The space-time mesh is cut into S slabs along t and the
     * space into S independent spaces, one per slab (the partition of unity
     * of a cell is formed from its own slab's subdomains,
     * FiniteBasisSpace::Settings::time_slabs). Slab 0 is solved with the
     * initial condition, and slab s > 0 with the rows u_s = u_{s−1} at its
     * start t_s instead (weighted like Dirichlet rows), u_{s−1} the solution
     * just found: S least-squares problems of about 1/S the size, one after
     * another, each a Gauss–Newton iteration from u_s = 0 for a nonlinear
     * problem.
     */
    template <int dim>
    class ELM : public Interface<dim>
    {
    public:
      static void
      declare_parameters(ParameterHandler &prm);

      void
      parse_parameters(ParameterHandler &prm) override;

      /** Where checkpoint.bin goes (time slabs with 'Checkpoint interval'). */
      void
      set_output_directory(const std::string &directory) override
      {
        output_directory = directory;
      }

      void
      solve(const Problems::Interface<dim>         &problem,
            const parallel::TriangulationBase<dim> &triangulation,
            Timings                                &timings) override;

      ResourceEstimate
      estimate_resources(
        const double                    n_cells,
        const Problems::Interface<dim> &problem) const override;

      types::global_dof_index
      n_dofs() const override;

      types::global_dof_index
      n_rows() const override;

      types::global_dof_index
      n_subdomains() const override;

      unsigned int
      n_levels() const override;

      types::global_dof_index
      n_nonzeros() const override;

      SolverReport
      solver_report() const override;

      unsigned int
      n_assembly_points_per_direction() const override;

      std::unique_ptr<SolutionEvaluator<dim>>
      create_evaluator(const Quadrature<dim> &quadrature) const override;

      void
      write_solution(const Problems::Interface<dim> &problem,
                     const std::string              &directory,
                     const std::string              &basename) const override;

      /** Q1 on straight cells, Collocation::curved_mapping_degree on curved
       * ones: the collocation points, the evaluator and the errors. */
      const Mapping<dim> &
      get_mapping() const override;

    private:
      /** The mapping of the run's cells (see get_mapping()). */
      std::unique_ptr<MappingQ<dim>> mapping =
        std::make_unique<MappingQ<dim>>(1);

      /**
       * The weighted collocation rows: the residual r and condition b
       * linearised at u = @p current (ghosted coefficients; null: u = 0, the
       * linear case), right-hand side −r, −b. With @p damping (owned entries
       * √μ D_j), one more row √μ D_j δ_j = 0 per owned column: the
       * Levenberg–Marquardt damping. With @p residual_only the matrix is left
       * alone and only rhs is computed.
       */
      void
      assemble_system(const Problems::Interface<dim>         &problem,
                      const parallel::TriangulationBase<dim> &triangulation,
                      const TrilinosWrappers::MPI::Vector    *current = nullptr,
                      const TrilinosWrappers::MPI::Vector    *damping = nullptr,
                      const bool residual_only                        = false);

      /** The rows of a problem with several fields (K features per field per
       * subdomain, columns n j + f), as assemble_system for one field:
       * linearised at @p current (Gauss–Newton) or at zero (a linear
       * problem), with Levenberg–Marquardt rows for @p damping. */
      void
      assemble_field_system(
        const Problems::Interface<dim>         &problem,
        const parallel::TriangulationBase<dim> &triangulation,
        const TrilinosWrappers::MPI::Vector    *current       = nullptr,
        const TrilinosWrappers::MPI::Vector    *damping       = nullptr,
        const bool                              residual_only = false);

      /** The start of both assemblies: with @p n_local_rows point rows on
       * this rank (raised by the damping rows if @p damped), this rank's
       * contiguous range of rows, its @p first_row and n_global_rows.
       * Collective. */
      IndexSet
      start_rows(const MPI_Comm           comm,
                 const bool               damped,
                 types::global_dof_index &n_local_rows,
                 types::global_dof_index &first_row);

      /** The end of both assemblies: the damping rows from @p row on (if
       * @p damping), a check that this rank's rows end at @p end, and the
       * compression of the matrix (unless @p residual_only) and of rhs. */
      void
      finish_rows(types::global_dof_index              row,
                  const types::global_dof_index        end,
                  const TrilinosWrappers::MPI::Vector *damping,
                  const bool                           residual_only);

      /** Equilibrate the columns, solve the least-squares problem into
       * @p step (owned), undo the scaling; returns the column norms ‖M_j‖. */
      TrilinosWrappers::MPI::Vector
      least_squares_step(const MPI_Comm                 comm,
                         TrilinosWrappers::MPI::Vector &step);

      /** The least-squares solve of a linear problem for the selected
       * unknowns (all without slabs): assemble, check the sampling, solve;
       * returns them (owned). */
      TrilinosWrappers::MPI::Vector
      solve_linear(const Problems::Interface<dim>         &problem,
                   const parallel::TriangulationBase<dim> &triangulation,
                   Timings                                &timings);

      /** Gauss–Newton with Levenberg–Marquardt damping for a nonlinear
       * problem (subsection Nonlinear solver), for the unknowns of the
       * selected slab (all without slabs), from the ghosted `coefficients`
       * (zero on those unknowns). */
      void
      solve_gauss_newton(const Problems::Interface<dim>         &problem,
                         const parallel::TriangulationBase<dim> &triangulation,
                         Timings                                &timings);

      /** Block time marching: the slabs one after another. */
      void
      solve_time_slabs(const Problems::Interface<dim>         &problem,
                       const parallel::TriangulationBase<dim> &triangulation,
                       Timings                                &timings);

      /** Make slab @p s the one assembled and solved: its cells give the
       * rows, and the columns of its subdomains, numbered 0 ... n_s − 1 in
       * rank order, are the unknowns. Collective. */
      void
      select_slab(const unsigned int s, const MPI_Comm comm);

      /** Whether the rows of the locally owned @p cell are assembled: all
       * cells without slabs, else those of the selected slab. */
      bool
      in_selection(
        const typename Triangulation<dim>::active_cell_iterator &cell) const;

      /** The unknown of a locally relevant column: the column itself without
       * slabs, else its number within the selected slab. */
      types::global_dof_index
      unknown(const types::global_dof_index column) const;

      /** @p columns (owned) += @p step (owned unknowns). */
      void
      add_step(TrilinosWrappers::MPI::Vector       &columns,
               const TrilinosWrappers::MPI::Vector &step) const;

      /** The Euclidean norm of the selected unknowns' entries of @p columns
       * (owned). Collective. */
      double
      selected_norm(const TrilinosWrappers::MPI::Vector &columns,
                    const MPI_Comm                       comm) const;

      /** The number of rows u_s = u_{s−1} at the start of the selected slab
       * on the locally owned @p cell (0 unless the cell's lower face is
       * there), with @p n_face_points points on a face. */
      unsigned int
      n_slab_start_rows(
        const typename Triangulation<dim>::active_cell_iterator &cell,
        const unsigned int n_face_points) const;

      typename FiniteBasisSpace<dim>::Settings space_settings;
      unsigned int                             n_points_per_direction = 8;
      std::string                              collocation_rule       = "gauss";
      double                                   boundary_weight        = 1.;
      bool                                     hard_constraints       = false;
      Solvers::LeastSquaresSettings            solver_settings;
      Solvers::NonlinearSettings               nonlinear;
      /** S (subsection ELM, 'Time slabs'). */
      unsigned int time_slabs = 1;
      /** The slab being solved, or invalid: all of them at once. */
      unsigned int selected_slab = numbers::invalid_unsigned_int;
      /** The unknowns this rank owns: owned_columns without slabs, the
       * selected slab's numbers otherwise. */
      IndexSet owned_unknowns;
      /** With slabs: the unknown of each locally relevant column (by its
       * position in relevant_columns; invalid outside the slab), and the
       * column of each owned unknown. */
      std::vector<types::global_dof_index> unknown_of_column;
      std::vector<types::global_dof_index> column_of_owned_unknown;
      /** 'Checkpoint interval' (slabs; 0: never) and 'Resume from'. */
      unsigned int checkpoint_interval = 0;
      std::string  resume_from;
      std::string  output_directory;

      /** A signature of the subdomain layout, the DoF numbering and the
       * features (the same on all ranks). Collective. */
      std::uint64_t
      layout_signature(const MPI_Comm comm) const;

      /** Write <output directory>/checkpoint.bin: the coefficients of the
       * first @p slabs_done slabs (@p solution, owned). Collective. */
      void
      write_slab_checkpoint(const unsigned int                   slabs_done,
                            const TrilinosWrappers::MPI::Vector &solution,
                            const MPI_Comm                       comm) const;

      /** Read <Resume from>/checkpoint.bin into @p solution (owned) after
       * checking it against this run; returns the slabs it holds. */
      unsigned int
      read_slab_checkpoint(TrilinosWrappers::MPI::Vector &solution,
                           const MPI_Comm                 comm) const;

      /** Rows and nonzeros summed over the slabs' last assemblies. */
      types::global_dof_index slab_rows = 0, slab_nonzeros = 0;

      const Problems::Interface<dim>                 *problem_in_use = nullptr;
      FiniteBasisSpace<dim>                           space;
      std::unique_ptr<TrilinosWrappers::SparseMatrix> matrix;
      TrilinosWrappers::MPI::Vector                   rhs;
      TrilinosWrappers::MPI::Vector                   coefficients;
      types::global_dof_index                         n_global_rows = 0;
      /** The collocation rows of the last assembly (without the damping
       * rows of Levenberg–Marquardt). */
      types::global_dof_index n_point_rows = 0;
      /** The columns of this rank and those its cells touch: the space's
       * DoFs j become n j + f for the n fields. */
      IndexSet     owned_columns;
      IndexSet     relevant_columns;
      SolverReport report;
      /** The under-sampling warning of check_sampling() (metrics.json's
       * solver warning unless the solver has one). */
      std::string sampling_warning;

      /** Warn (stderr and the solver report) when the assembled system has
       * fewer than 1.5 rows per unknown. */
      void
      check_sampling(const MPI_Comm comm);
    };
  } // namespace Methods
} // namespace fbpinn
