#pragma once

#include <deal.II/base/parameter_handler.h>
#include <deal.II/base/quadrature.h>
#include <deal.II/distributed/tria_base.h>
#include <deal.II/fe/mapping.h>

#include <fbpinn/postprocess/error_evaluation.h>
#include <fbpinn/postprocess/metrics.h>
#include <fbpinn/postprocess/point_values.h>
#include <fbpinn/postprocess/solution_evaluator.h>
#include <fbpinn/problems/interface.h>

#include <memory>
#include <string>

namespace fbpinn
{
  /**
   * Discretisation methods: FEM and, later, the finite-basis family. A method
   * gets a problem and the shared mesh, solves, and then hands out a
   * SolutionEvaluator so that errors and outputs are measured identically for
   * every method.
   */
  namespace Methods
  {
    using namespace dealii;

    /**
     * The size of a run, estimated from the number of cells before the mesh
     * or any matrix exists, so that a run that cannot fit in memory stops at
     * once instead of growing until the system kills it.
     */
    struct ResourceEstimate
    {
      double n_dofs     = 0;
      double n_rows     = 0;
      double n_nonzeros = 0;
      /** A lower estimate of the bytes needed: only the arrays the method
       * cannot do without (matrix entries, parameters), no solver fill-in. */
      double bytes = 0;
      /** The entries of the method that drive the size, for the message
       * that asks to lower them. */
      std::string entries;
    };


    /** The interface every method implements. */
    template <int dim>
    class Interface
    {
    public:
      virtual ~Interface() = default;

      /** Declare the method's parameters. Unlike problems, a method declares
       * its own top-level subsection(s) (e.g. `subsection FEM`). */
      static void
      declare_parameters(ParameterHandler &prm);

      /** Read the parameters declared above. */
      virtual void
      parse_parameters(ParameterHandler &prm);

      /** Where the run's outputs go; methods that write files of their own
       * during the solve (training history, checkpoints) keep it. */
      virtual void
      set_output_directory(const std::string & /*directory*/)
      {}

      /**
       * Set up, assemble and solve @p problem on the current state of
       * @p triangulation, adding the time of each phase to @p timings. May be
       * called again after the mesh was refined.
       */
      virtual void
      solve(const Problems::Interface<dim>         &problem,
            const parallel::TriangulationBase<dim> &triangulation,
            Timings                                &timings) = 0;

      /**
       * What solving @p problem (its fields and their degrees) on a mesh of
       * @p n_cells active cells will need (see ResourceEstimate); the
       * default knows nothing and estimates nothing.
       */
      virtual ResourceEstimate
      estimate_resources(const double /*n_cells*/,
                         const Problems::Interface<dim> & /*problem*/) const
      {
        return {};
      }

      /** The number of unknowns. */
      virtual types::global_dof_index
      n_dofs() const = 0;

      /** The number of subdomains on all levels (FEM: 0, it has none). */
      virtual types::global_dof_index
      n_subdomains() const
      {
        return 0;
      }

      /** The number of levels of the decomposition. */
      virtual unsigned int
      n_levels() const
      {
        return 1;
      }

      /** The number of rows of the system (equations, collocation points). */
      virtual types::global_dof_index
      n_rows() const = 0;

      /** The number of stored nonzeros of the system matrix. */
      virtual types::global_dof_index
      n_nonzeros() const = 0;

      /** The solver's report of the last solve. */
      virtual SolverReport
      solver_report() const = 0;

      /** The number of points per direction of the assembly (or collocation)
       * rule; the error rule is chosen to differ from it. */
      virtual unsigned int
      n_assembly_points_per_direction() const = 0;

      /** The mapping of the cells that the method's evaluator uses (its
       * points and the error integrals must agree). Default: Q1. */
      virtual const Mapping<dim> &
      get_mapping() const;

      /** An evaluator of the discrete solution at the points of
       * @p quadrature. */
      virtual std::unique_ptr<SolutionEvaluator<dim>>
      create_evaluator(const Quadrature<dim> &quadrature) const = 0;

      /** u_h and ∇u_h of every field at @p points of @p triangulation, the
       * mesh of the last solve (collective; the same on every rank).
       * Default: evaluate_at_points() with create_evaluator(). */
      virtual std::vector<PointSample<dim>>
      point_samples(const Triangulation<dim>      &triangulation,
                    const std::vector<Point<dim>> &points) const;

      /**
       * Write the solution, the exact solution and the error as
       * `<directory>/<basename>.pvtu` with one `.vtu` per rank.
       */
      virtual void
      write_solution(const Problems::Interface<dim> &problem,
                     const std::string              &directory,
                     const std::string              &basename) const = 0;

      /** The errors the method measured itself while it solved (fem's method
       * of lines: at every time level, see MethodOfLines), or null (the
       * default): the driver measures them over the mesh with
       * create_evaluator(). */
      virtual const FieldErrors *
      measured_errors() const
      {
        return nullptr;
      }

      /** The time steps of the last solve (metrics.json `time_steps`); 0 for
       * a method without time steps. */
      virtual unsigned int
      n_time_steps() const
      {
        return 0;
      }
    };

    /**
     * Throw a one-line std::invalid_argument if hard constraints are asked
     * for (@p hard_constraints, the entry @p entry) and the problem offers no
     * ansatz, or the run's boundary conditions are not Dirichlet data on the
     * whole boundary (an ansatz u = g + d v imposes exactly those).
     */
    template <int dim>
    void
    check_hard_constraints(const Problems::Interface<dim> &problem,
                           const bool                      hard_constraints,
                           const std::string              &entry);

    /**
     * Throw a one-line std::invalid_argument for what the space-time methods
     * refuse: a system of order 2 in time (its u_t conditions are not in the
     * field model; `Method = ` @p method), and with @p time_slabs > 1
     * (`subsection ` @p subsection `, entry 'Time slabs'`) a steady problem,
     * a system, or conditions at points of the problem's own.
     */
    template <int dim>
    void
    check_time_dependence(const Problems::Interface<dim> &problem,
                          const std::string              &method,
                          const std::string              &subsection,
                          const unsigned int              time_slabs);
  } // namespace Methods
} // namespace fbpinn
