#pragma once

#include <fbpinn/methods/fem.h>
#include <fbpinn/postprocess/error_evaluation.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace fbpinn
{
  namespace Methods
  {
    /**
     * `Method = fem` on a time-dependent problem: the method of lines, as in
     * deal.II step-26. The space-time problem of dimension @p dim (see
     * Problems::Interface::is_time_dependent()) is sliced at each time into a
     * steady spatial problem of dimension dim − 1 with
     * @f[ m(x, t)\,\partial_t u + N(x, t, u, \nabla u, \nabla\nabla u) = f, @f]
     * whose mass coefficient m = ∂r/∂u_t and spatial operator N both come
     * from the one residual (u_t = 0 gives N); FEM<dim − 1> discretises it
     * in space on the box of the space-time mesh with `Subdivisions` cells
     * per direction refined as often as that mesh, and an implicit scheme
     * steps it in time (`subsection Time stepping`):
     * - implicit-euler: M(u − uⁿ)/Δt + R(u, tⁿ⁺¹) = 0 (first order);
     * - crank-nicolson: M(u − uⁿ)/Δt + ½R(u, tⁿ⁺¹) + ½R(uⁿ, tⁿ) = 0;
     * - bdf2: M(3u − 4uⁿ + uⁿ⁻¹)/(2Δt) + R(u, tⁿ⁺¹) = 0, its first step
     *   implicit Euler (both second order);
     * each step solved by Newton's method with the Dirichlet data of tⁿ⁺¹
     * (one step for a linear problem), R the weak residual of FEM. The
     * initial values are the Dirichlet data at t = 0 interpolated.
     *
     * Errors are measured at every time level tⁿ against the exact solution
     * and integrated in time by the trapezoidal rule: errors.l2 is
     * ‖e‖_{L2(0,T; L2)}, relative_l2 that over ‖u‖_{L2(0,T; L2)}, h1_seminorm
     * ‖∇e‖_{L2(0,T; L2)} (spatial gradient), normalized_l1 is not measured
     * (NaN), final_time the relative L2 error at T.
     */
    template <int dim>
    class MethodOfLines : public Interface<dim>
    {
    public:
      void
      parse_parameters(ParameterHandler &prm) override;

      /** Refine the spatial mesh @p n times (the driver's Global
       * refinements and cycles; the space-time mesh it passes to solve()
       * stays coarse and gives only the box). Default: as often as that
       * mesh is refined. */
      void
      set_refinements(const unsigned int n)
      {
        refinements = n;
      }

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
      n_subdomains() const override
      {
        return 0;
      }

      types::global_dof_index
      n_rows() const override;

      types::global_dof_index
      n_nonzeros() const override;

      SolverReport
      solver_report() const override
      {
        return report;
      }

      unsigned int
      n_assembly_points_per_direction() const override;

      /** At the kept times (snapshots) only: FEM's evaluator on the spatial
       * mesh at x of (x, t); the t component of each gradient is NaN. */
      std::vector<PointSample<dim>>
      point_samples(const Triangulation<dim>      &triangulation,
                    const std::vector<Point<dim>> &points) const override;

      /** Throws: the errors are measured while stepping (measured_errors()). */
      std::unique_ptr<SolutionEvaluator<dim>>
      create_evaluator(const Quadrature<dim> &quadrature) const override;

      /** The solution at the output times as a time series:
       * `<basename>-NNNN.pvtu` and `<basename>.pvd` for ParaView. */
      void
      write_solution(const Problems::Interface<dim> &problem,
                     const std::string              &directory,
                     const std::string              &basename) const override;

      const FieldErrors *
      measured_errors() const override
      {
        return &errors;
      }

      unsigned int
      n_time_steps() const override
      {
        return steps;
      }

    private:
      /** `Scheme`: implicit-euler | crank-nicolson | bdf2. */
      std::string scheme    = "crank-nicolson";
      double      time_step = 1e-3;
      /** arkode: the tolerances of the local error and the DIRK order. */
      double       relative_tolerance = 1e-6;
      double       absolute_tolerance = 1e-8;
      unsigned int maximum_order      = 4;
      /** Solutions are kept for output every this much time (0: only at
       * t = 0 and t = T). */
      double output_interval = 0;
      /** Fixed-step schemes: write checkpoint.bin every this many steps
       * (0: never), and the directory of one to resume from. */
      unsigned int checkpoint_interval = 0;
      std::string  resume_from;
      unsigned int subdivisions = 1;
      /** set_refinements(); -1: those of the space-time mesh. */
      int         refinements = -1;
      std::string output_directory;

      mutable FEM<dim - 1>                                  fem;
      std::unique_ptr<parallel::TriangulationBase<dim - 1>> spatial_mesh;
      const Problems::Interface<dim>                       *problem = nullptr;
      /** (t, u_h(t)) at the output times. */
      std::vector<std::pair<double, TrilinosWrappers::MPI::Vector>> snapshots;
      FieldErrors                                                   errors;
      SolverReport                                                  report;
      unsigned int                                                  steps = 0;
    };
  } // namespace Methods
} // namespace fbpinn
