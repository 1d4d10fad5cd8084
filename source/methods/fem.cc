#include <deal.II/base/function.h>
#include <deal.II/base/quadrature_lib.h>
#include <deal.II/base/timer.h>
#include <deal.II/dofs/dof_tools.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/fe/mapping_q.h>
#include <deal.II/lac/dynamic_sparsity_pattern.h>
#include <deal.II/lac/solver_cg.h>
#include <deal.II/lac/solver_control.h>
#include <deal.II/lac/solver_gmres.h>
#include <deal.II/lac/sparsity_tools.h>
#include <deal.II/lac/trilinos_precondition.h>
#include <deal.II/lac/trilinos_solver.h>
#include <deal.II/numerics/data_out.h>
#include <deal.II/numerics/vector_tools.h>

#include <fbpinn/driver.h>
#include <fbpinn/methods/fem.h>
#include <fbpinn/plugins.h>
#include <fbpinn/postprocess/output.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace fbpinn
{
  namespace Methods
  {
    namespace
    {
      /** The problem's boundary data or exact solution as a deal.II Function
       * with one component per field. */
      template <int dim>
      class ProblemFunction : public Function<dim>
      {
      public:
        enum class Kind
        {
          dirichlet,
          exact
        };

        ProblemFunction(const Problems::Interface<dim> &problem,
                        const Kind                      kind)
          : Function<dim>(problem.n_fields())
          , problem(problem)
          , kind(kind)
        {}

        double
        value(const Point<dim>  &x,
              const unsigned int component = 0) const override
        {
          if (this->n_components == 1)
            return kind == Kind::dirichlet ? problem.dirichlet_value(x) :
                                             Problems::known_exact(problem, x);
          // A system's Dirichlet data are its exact solution.
          std::vector<double>         values;
          std::vector<Tensor<1, dim>> gradients;
          problem.exact_fields(x, values, gradients);
          return values[component];
        }

      private:
        const Problems::Interface<dim> &problem;
        const Kind                      kind;
      };


      /** Which fields have Dirichlet data on boundary id @p id (a
       * ComponentMask's entries). */
      template <int dim>
      std::vector<bool>
      dirichlet_fields(const Problems::Interface<dim> &problem,
                       const types::boundary_id        id)
      {
        const Problems::BoundaryConditions &bc = problem.boundary_conditions();
        std::vector<bool>                   mask(problem.n_fields());
        for (unsigned int f = 0; f < mask.size(); ++f)
          mask[f] = problem.field_has_boundary_data(f) &&
                    bc.kind(id, f) == Problems::BoundaryKind::dirichlet;
        return mask;
      }


      /** Whether any entry of @p mask is set. */
      bool
      any(const std::vector<bool> &mask)
      {
        return std::find(mask.begin(), mask.end(), true) != mask.end();
      }


      /** The coefficients of the weak form at one point (see FEM). */
      template <int dim>
      struct WeakFormCoefficients
      {
        Tensor<2, dim> diffusion;    // A = −sym(∂r/∂∇∇u)
        Tensor<1, dim> advection;    // ∂r/∂∇u + ∇·A
        double         reaction = 0; // ∂r/∂u

        bool
        is_symmetric_positive_definite() const
        {
          if (advection.norm() != 0. || reaction < 0.)
            return false;
          // Sylvester's criterion on the leading principal minors of A.
          for (int k = 1; k <= dim; ++k)
            {
              FullMatrix<double> minor(k, k);
              for (int i = 0; i < k; ++i)
                for (int j = 0; j < k; ++j)
                  minor(i, j) = diffusion[i][j];
              if (!(minor.determinant() > 0.))
                return false;
            }
          return true;
        }
      };


      /** The coefficients of the linear weak form at x: Newton's Jacobian of
       * the weak form at u = 0 (exact for a linear problem). */
      template <int dim>
      WeakFormCoefficients<dim>
      weak_form_coefficients(const Problems::Interface<dim> &problem,
                             const Point<dim>               &x)
      {
        const Problems::WeakFormPoint<dim> w =
          problem.weak_form(x, 0., Tensor<1, dim>());
        WeakFormCoefficients<dim> coefficients;
        coefficients.diffusion = w.d_flux_d_gradient;
        coefficients.advection = w.d_source_d_gradient;
        // −∇·(A∇u) in strong form has ∂r/∂∇u = −∇·A, which the divergence
        // cancels up to round-off; that is no advection.
        if (coefficients.advection.norm() <= 1e-12 * w.advection_scale)
          coefficients.advection = Tensor<1, dim>();
        coefficients.reaction = w.d_source_d_value;
        return coefficients;
      }


      /** u_h and ∇u_h of the FE solution at the points of one quadrature. */
      template <int dim>
      class FEMEvaluator : public SolutionEvaluator<dim>
      {
      public:
        FEMEvaluator(const Mapping<dim>                  &mapping,
                     const DoFHandler<dim>               &dof_handler,
                     const TrilinosWrappers::MPI::Vector &solution,
                     const Quadrature<dim>               &quadrature)
          : SolutionEvaluator<dim>(dof_handler.get_fe().n_components())
          , dof_handler(dof_handler)
          , solution(solution)
          , fe_values(mapping,
                      dof_handler.get_fe(),
                      quadrature,
                      update_values | update_gradients)
        {
          for (unsigned int f = 0; f < this->n_fields(); ++f)
            {
              this->field_values[f].resize(quadrature.size());
              this->field_gradients[f].resize(quadrature.size());
            }
        }

        void
        reinit(const typename Triangulation<dim>::active_cell_iterator &cell)
          override
        {
          const typename DoFHandler<dim>::active_cell_iterator dof_cell(
            &cell->get_triangulation(),
            cell->level(),
            cell->index(),
            &dof_handler);
          fe_values.reinit(dof_cell);
          if (this->n_fields() == 1)
            {
              fe_values.get_function_values(solution, this->field_values[0]);
              fe_values.get_function_gradients(solution,
                                               this->field_gradients[0]);
            }
          else
            for (unsigned int f = 0; f < this->n_fields(); ++f)
              {
                const FEValuesExtractors::Scalar field(f);
                fe_values[field].get_function_values(solution,
                                                     this->field_values[f]);
                fe_values[field]
                  .get_function_gradients(solution, this->field_gradients[f]);
              }
        }

      private:
        const DoFHandler<dim>               &dof_handler;
        const TrilinosWrappers::MPI::Vector &solution;
        FEValues<dim>                        fe_values;
      };
    } // namespace


    template <int dim>
    void
    FEM<dim>::declare_parameters(ParameterHandler &prm)
    {
      prm.enter_subsection("FEM");
      {
        prm.declare_entry("Polynomial degree",
                          "2",
                          Patterns::Integer(1, 6),
                          "The degree p of the continuous Lagrange element "
                          "FE_Q(p).");
        prm.declare_entry(
          "Solver",
          "cg-amg",
          Patterns::Selection("cg-amg|gmres-amg|direct"),
          "cg-amg: conjugate gradients preconditioned by Trilinos ML algebraic "
          "multigrid, for symmetric positive definite operators. gmres-amg: "
          "restarted GMRES with the same preconditioner, for non-symmetric "
          "operators that are not far from elliptic (advection, the Newton "
          "Jacobians of nonlinear diffusion). direct: the sparse direct solver "
          "MUMPS through Trilinos Amesos, for any operator, indefinite ones "
          "(Helmholtz) included.");
        prm.declare_entry("Solver tolerance",
                          "1e-12",
                          Patterns::Double(0.),
                          "cg-amg and gmres-amg stop when ‖b − Ax‖ ≤ "
                          "tolerance · ‖b‖.");
        prm.declare_entry("Max solver iterations",
                          "10000",
                          Patterns::Integer(1),
                          "The most CG or GMRES iterations before cg-amg or "
                          "gmres-amg gives up.");
      }
      prm.leave_subsection();

      // fem on a time-dependent problem: the method of lines
      // (MethodOfLines).
      prm.enter_subsection("Time stepping");
      {
        prm.declare_entry(
          "Scheme",
          "crank-nicolson",
          Patterns::Selection("implicit-euler|crank-nicolson|bdf2|arkode"),
          "Method = fem on a time-dependent problem: the method of lines "
          "with this implicit scheme, each step solved by Newton's method "
          "(one step for a linear problem). implicit-euler: first order, "
          "L-stable. crank-nicolson: second order (θ = 1/2), A-stable. bdf2: "
          "second order, L-stable, its first step implicit Euler. arkode: "
          "SUNDIALS' ARKode (through deal.II), a diagonally implicit "
          "Runge–Kutta method of 'Maximum order' with adaptive steps that "
          "keep the local error below 'Relative tolerance' and 'Absolute "
          "tolerance'; its Newton systems are solved by GMRES preconditioned "
          "with the factorised (or AMG) matrix of 'Solver'. One field.");
        prm.declare_entry("Time step",
                          "1e-3",
                          Patterns::Double(0.),
                          "Δt; the run takes N = ⌈End time / Δt⌉ steps of "
                          "End time / N. arkode: its first step, and the "
                          "interval at which the errors are measured (ARKode "
                          "interpolates there) for L2(0, T; L2).");
        prm.declare_entry("Relative tolerance",
                          "1e-6",
                          Patterns::Double(0.),
                          "arkode: the relative tolerance of the local error "
                          "of a step.");
        prm.declare_entry("Absolute tolerance",
                          "1e-8",
                          Patterns::Double(0.),
                          "arkode: the absolute tolerance of the local error "
                          "of a step (on each nodal value).");
        prm.declare_entry("Maximum order",
                          "4",
                          Patterns::Integer(2, 5),
                          "arkode: the order of the DIRK method (2 to 5).");
        prm.declare_entry("Output interval",
                          "0",
                          Patterns::Double(0.),
                          "The solution is written (solution-NNNN.pvtu and "
                          "the time series solution.pvd) at t = 0, at the "
                          "first step past every multiple of this interval, "
                          "and at t = End time; 0: at t = 0 and End time "
                          "only.");
        prm.declare_entry(
          "Checkpoint interval",
          "0",
          Patterns::Integer(0),
          "Fixed-step schemes: after every this many time steps (but the "
          "last), write the state (the solutions the scheme needs, the "
          "error integrals so far, the kept outputs) to <output "
          "directory>/checkpoint.bin (atomically); 0: never. Not for arkode, "
          "whose step history SUNDIALS keeps.");
        prm.declare_entry(
          "Resume from",
          "",
          Patterns::Anything(),
          "Fixed-step schemes: a directory with a checkpoint.bin of a run "
          "with the same problem, mesh, FEM entries, scheme, 'Time step' and "
          "number of MPI ranks; the run goes on from the step it holds (the "
          "result equals that of the run without a stop).");
      }
      prm.leave_subsection();
    }


    template <int dim>
    void
    FEM<dim>::parse_parameters(ParameterHandler &prm)
    {
      prm.enter_subsection("FEM");
      {
        degree           = prm.get_integer("Polynomial degree");
        solver_name      = prm.get("Solver");
        solver_tolerance = prm.get_double("Solver tolerance");
        max_iterations   = prm.get_integer("Max solver iterations");
      }
      prm.leave_subsection();
      nonlinear.parse_parameters(prm);
    }


    template <int dim>
    void
    FEM<dim>::setup_system(
      const Problems::Interface<dim>         &problem,
      const parallel::TriangulationBase<dim> &triangulation)
    {
      const MPI_Comm     comm     = triangulation.get_communicator();
      const unsigned int n_fields = problem.n_fields();
      // One field: FE_Q(p). A system: one FE_Q per field, of the degree the
      // problem asks for relative to p (Taylor–Hood: p + 1 and p).
      max_degree = degree;
      if (n_fields == 1)
        fe = std::make_unique<FE_Q<dim>>(degree);
      else
        {
          std::vector<const FiniteElement<dim> *> elements;
          std::vector<unsigned int>               multiplicities;
          std::vector<std::unique_ptr<FE_Q<dim>>> owned_elements;
          const std::vector<std::string>          names = problem.field_names();
          max_degree                                    = 0;
          for (unsigned int f = 0; f < n_fields; ++f)
            {
              const int field_degree =
                int(degree) + problem.field_degree_offset(f);
              if (field_degree < 1)
                throw std::invalid_argument(
                  "subsection FEM, entry 'Polynomial degree' = " +
                  std::to_string(degree) + " gives field '" + names[f] +
                  "' the degree " + std::to_string(field_degree) +
                  "; it must be at least 1: raise 'Polynomial degree'");
              owned_elements.push_back(
                std::make_unique<FE_Q<dim>>(field_degree));
              elements.push_back(owned_elements.back().get());
              multiplicities.push_back(1);
              max_degree = std::max(max_degree, unsigned(field_degree));
            }
          fe = std::make_unique<FESystem<dim>>(elements, multiplicities);
        }
      // A curved geometry (a manifold other than the flat one) needs a
      // mapping of the elements' degree for the optimal rates; a straight
      // one the cheaper Q1 mapping.
      const auto manifold_ids = triangulation.get_manifold_ids();
      const bool curved       = std::any_of(manifold_ids.begin(),
                                      manifold_ids.end(),
                                      [](const types::manifold_id id) {
                                        return id != numbers::flat_manifold_id;
                                      });
      mapping = std::make_unique<MappingQ<dim>>(curved ? max_degree : 1);
      face_values_cache.reset();

      dof_handler = std::make_unique<DoFHandler<dim>>(triangulation);
      dof_handler->distribute_dofs(*fe);

      const IndexSet &owned = dof_handler->locally_owned_dofs();
      IndexSet        relevant;
      DoFTools::extract_locally_relevant_dofs(*dof_handler, relevant);
      const std::vector<types::global_dof_index> pinned =
        make_constraints(problem);
      const auto dirichlet_mask = [&](const types::boundary_id id) {
        return dirichlet_fields(problem, id);
      };

      // Newton's updates keep the Dirichlet data: zero constraints, needed
      // for a nonlinear problem, for a system (solved as one Newton step)
      // and for time steps.
      zero_constraints.clear();
      if (!problem.is_linear() || n_fields > 1 || time_stepping)
        {
          zero_constraints.reinit(relevant);
          DoFTools::make_hanging_node_constraints(*dof_handler,
                                                  zero_constraints);
          for (const types::boundary_id id : triangulation.get_boundary_ids())
            if (any(dirichlet_mask(id)))
              DoFTools::make_zero_boundary_constraints(*dof_handler,
                                                       id,
                                                       zero_constraints,
                                                       ComponentMask(
                                                         dirichlet_mask(id)));
          for (const types::global_dof_index i : pinned)
            if (relevant.is_element(i) && !zero_constraints.is_constrained(i))
              zero_constraints.add_line(i);
        }
      zero_constraints.close();

      DynamicSparsityPattern sparsity(relevant);
      DoFTools::make_sparsity_pattern(*dof_handler,
                                      sparsity,
                                      constraints,
                                      /*keep_constrained_dofs=*/false);
      SparsityTools::distribute_sparsity_pattern(sparsity,
                                                 owned,
                                                 comm,
                                                 relevant);
      // The solvers kept for time steps refer to the old matrix.
      cached_direct.reset();
      cached_amg.reset();
      cached_mass_factor = std::numeric_limits<double>::quiet_NaN();
      system_matrix.reinit(owned, owned, sparsity, comm);
      system_rhs.reinit(owned, comm);
      solution.reinit(owned, relevant, comm);
    }


    template <int dim>
    std::vector<types::global_dof_index>
    FEM<dim>::make_constraints(const Problems::Interface<dim> &problem)
    {
      const auto        &triangulation = dof_handler->get_triangulation();
      const MPI_Comm     comm          = dof_handler->get_communicator();
      const unsigned int n_fields      = problem.n_fields();
      IndexSet           relevant;
      DoFTools::extract_locally_relevant_dofs(*dof_handler, relevant);

      constraints.clear();
      constraints.reinit(relevant);
      DoFTools::make_hanging_node_constraints(*dof_handler, constraints);
      const ProblemFunction<dim> dirichlet(
        problem,
        ProblemFunction<dim>::Kind::dirichlet);
      // Dirichlet data on each boundary id for the fields that are given
      // there (boundary descriptor); the other conditions are natural.
      const auto dirichlet_mask = [&](const types::boundary_id id) {
        return dirichlet_fields(problem, id);
      };
      for (const types::boundary_id id : triangulation.get_boundary_ids())
        if (any(dirichlet_mask(id)))
          VectorTools::interpolate_boundary_values(*mapping,
                                                   *dof_handler,
                                                   id,
                                                   dirichlet,
                                                   constraints,
                                                   ComponentMask(
                                                     dirichlet_mask(id)));
      // A field determined only up to a constant (a pressure, or u with
      // flux data alone) is fixed to zero at one DoF, the same on every rank;
      // errors are measured with the mean difference removed.
      std::vector<types::global_dof_index> pinned;
      for (unsigned int f = 0; f < n_fields; ++f)
        if (problem.solution_up_to_constant(f))
          {
            std::vector<bool> mask(n_fields, false);
            mask[f] = true;
            const IndexSet field_dofs =
              DoFTools::extract_dofs(*dof_handler, ComponentMask(mask));
            types::global_dof_index first =
              std::numeric_limits<types::global_dof_index>::max();
            for (const types::global_dof_index i : field_dofs)
              if (!constraints.is_constrained(i))
                {
                  first = i;
                  break;
                }
            first = Utilities::MPI::min(first, comm);
            pinned.push_back(first);
            if (relevant.is_element(first))
              constraints.add_line(first);
          }
      constraints.close();
      return pinned;
    }


    template <int dim>
    void
    FEM<dim>::assemble_system(const Problems::Interface<dim> &problem)
    {
      const QGauss<dim> quadrature(n_assembly_points_per_direction());
      FEValues<dim>     fe_values(*mapping,
                              *fe,
                              quadrature,
                              update_values | update_gradients |
                                update_quadrature_points | update_JxW_values);

      const unsigned int dofs_per_cell = fe->n_dofs_per_cell();
      const unsigned int n_q_points    = quadrature.size();
      FullMatrix<double> cell_matrix(dofs_per_cell, dofs_per_cell);
      Vector<double>     cell_rhs(dofs_per_cell);
      std::vector<types::global_dof_index> dof_indices(dofs_per_cell);
      std::vector<Tensor<1, dim>>          flux(dofs_per_cell);

      const bool                constant = !problem.has_variable_coefficients();
      WeakFormCoefficients<dim> coefficients =
        weak_form_coefficients(problem, Point<dim>());
      operator_is_spd = coefficients.is_symmetric_positive_definite();

      // With constant coefficients and no first-order term the cell matrix is
      // symmetric: only its lower triangle is computed. Lower-order terms are
      // skipped where they vanish.
      const bool symmetric   = constant && coefficients.advection.norm() == 0.;
      const bool lower_order = !constant ||
                               coefficients.advection.norm() != 0. ||
                               coefficients.reaction != 0.;
      std::vector<double> lower(dofs_per_cell);

      for (const auto &cell : dof_handler->active_cell_iterators())
        if (cell->is_locally_owned())
          {
            cell_matrix = 0;
            cell_rhs    = 0;
            fe_values.reinit(cell);
            for (unsigned int q = 0; q < n_q_points; ++q)
              {
                const Point<dim> &x = fe_values.quadrature_point(q);
                if (!constant)
                  {
                    coefficients = weak_form_coefficients(problem, x);
                    operator_is_spd =
                      operator_is_spd &&
                      coefficients.is_symmetric_positive_definite();
                  }
                // For a linear problem r(x, 0) = −f(x).
                const double f   = -problem.residual(x, Jet<dim>());
                const double JxW = fe_values.JxW(q);
                for (unsigned int j = 0; j < dofs_per_cell; ++j)
                  {
                    flux[j] =
                      coefficients.diffusion * fe_values.shape_grad(j, q) * JxW;
                    if (lower_order)
                      lower[j] =
                        (coefficients.advection * fe_values.shape_grad(j, q) +
                         coefficients.reaction * fe_values.shape_value(j, q)) *
                        JxW;
                  }
                for (unsigned int i = 0; i < dofs_per_cell; ++i)
                  {
                    const Tensor<1, dim> &grad_i = fe_values.shape_grad(i, q);
                    const double          phi_i  = fe_values.shape_value(i, q);
                    const unsigned int    j_end =
                      symmetric ? i + 1 : dofs_per_cell;
                    if (lower_order)
                      for (unsigned int j = 0; j < j_end; ++j)
                        cell_matrix(i, j) +=
                          grad_i * flux[j] + phi_i * lower[j];
                    else
                      for (unsigned int j = 0; j < j_end; ++j)
                        cell_matrix(i, j) += grad_i * flux[j];
                    cell_rhs(i) += phi_i * f * JxW;
                  }
              }
            if (symmetric)
              for (unsigned int i = 0; i < dofs_per_cell; ++i)
                for (unsigned int j = i + 1; j < dofs_per_cell; ++j)
                  cell_matrix(i, j) = cell_matrix(j, i);
            add_natural_boundary_terms(problem,
                                       cell,
                                       false,
                                       true,
                                       cell_matrix,
                                       cell_rhs);
            cell->get_dof_indices(dof_indices);
            constraints.distribute_local_to_global(cell_matrix,
                                                   cell_rhs,
                                                   dof_indices,
                                                   system_matrix,
                                                   system_rhs);
          }
      system_matrix.compress(VectorOperation::add);
      system_rhs.compress(VectorOperation::add);

      operator_is_spd =
        Utilities::MPI::min(operator_is_spd ? 1 : 0,
                            dof_handler->get_communicator()) == 1;
    }


    template <int dim>
    TrilinosWrappers::MPI::Vector
    FEM<dim>::solve_linear_system(const bool symmetric_positive_definite,
                                  const bool reuse)
    {
      const MPI_Comm                comm = dof_handler->get_communicator();
      TrilinosWrappers::MPI::Vector x(dof_handler->locally_owned_dofs(), comm);
      report      = SolverReport();
      report.name = solver_name;

      if (solver_name == "cg-amg" || solver_name == "gmres-amg")
        {
          if (solver_name == "cg-amg" && !symmetric_positive_definite)
            throw std::invalid_argument(
              "subsection FEM, entry 'Solver': cg-amg needs a symmetric "
              "positive definite operator, and this problem's is not (an "
              "advection term, a negative reaction term such as −k²u, or the "
              "Newton Jacobian of a nonlinear problem): use 'set Solver = "
              "direct' (any operator) or 'gmres-amg' (non-symmetric, near "
              "elliptic) in subsection FEM");

          // Built once for a matrix that time steps reuse.
          if (!reuse || !cached_amg)
            {
              TrilinosWrappers::PreconditionAMG::AdditionalData amg_data;
              amg_data.elliptic              = true;
              amg_data.higher_order_elements = (degree > 1);
              std::vector<std::vector<bool>> constant_modes;
              DoFTools::extract_constant_modes(*dof_handler,
                                               ComponentMask(),
                                               constant_modes);
              amg_data.constant_modes = constant_modes;
              cached_amg.reset();
              cached_amg =
                std::make_unique<TrilinosWrappers::PreconditionAMG>();
              cached_amg->initialize(system_matrix, amg_data);
            }
          const TrilinosWrappers::PreconditionAMG &amg = *cached_amg;

          SolverControl control(max_iterations,
                                solver_tolerance * system_rhs.l2_norm(),
                                /*log_history=*/false,
                                /*log_result=*/false);
          try
            {
              if (solver_name == "cg-amg")
                {
                  SolverCG<TrilinosWrappers::MPI::Vector> cg(control);
                  cg.connect_condition_number_slot(
                    [this](const double condition) {
                      report.condition_estimate = condition;
                    });
                  cg.solve(system_matrix, x, system_rhs, amg);
                }
              else
                {
                  SolverGMRES<TrilinosWrappers::MPI::Vector> gmres(
                    control,
                    SolverGMRES<TrilinosWrappers::MPI::Vector>::AdditionalData(
                      100));
                  gmres.solve(system_matrix, x, system_rhs, amg);
                }
              report.converged = true;
            }
          catch (const SolverControl::NoConvergence &)
            {
              report.converged = false;
            }
          report.iterations = control.last_step();
          if (!time_stepping)
            cached_amg.reset();
        }
      else
        {
          // Factorised once for a matrix that time steps reuse.
          try
            {
              if (!reuse || !cached_direct)
                {
                  // The old factorisation goes first: it refers to the
                  // matrix, which may have been set up anew since.
                  cached_direct.reset();
                  TrilinosWrappers::SolverDirect::AdditionalData direct_data(
                    false,
                    "Amesos_Mumps");
                  cached_direct =
                    std::make_unique<TrilinosWrappers::SolverDirect>(
                      direct_control,
                      direct_data);
                  cached_direct->initialize(system_matrix);
                }
              cached_direct->solve(x, system_rhs);
              // Only time steps reuse it; a steady solve frees it now.
              if (!time_stepping)
                cached_direct.reset();
            }
          catch (const std::exception &e)
            {
              throw std::runtime_error(
                "the direct solver (MUMPS through Amesos) failed: " +
                one_line_message(e) +
                "; the matrix is (numerically) singular: the problem may be "
                "at a resonance (see subsection Problem, e.g. 'Wave number') "
                "or its coefficients may be degenerate");
            }
          report.converged  = true;
          report.iterations = 1;
        }

      // The residual is recomputed rather than taken from the solver, so that
      // both solvers report the same quantity.
      TrilinosWrappers::MPI::Vector residual(x);
      system_matrix.vmult(residual, x);
      residual -= system_rhs;
      const double rhs_norm = system_rhs.l2_norm();
      report.residual = residual.l2_norm() / (rhs_norm > 0 ? rhs_norm : 1.);
      if (!std::isfinite(report.residual) || !std::isfinite(x.l2_norm()))
        report.converged = false;
      return x;
    }


    template <int dim>
    void
    FEM<dim>::solve(const Problems::Interface<dim>         &problem,
                    const parallel::TriangulationBase<dim> &triangulation,
                    Timings                                &timings)
    {
      if (problem.is_time_dependent())
        throw std::invalid_argument(
          "FEM solves a time-dependent problem by the method of lines "
          "(Methods::MethodOfLines, subsection Time stepping), not in "
          "space-time");
      if (!problem.conditions_by_boundary_id() ||
          !problem.interior_condition_points().empty())
        throw std::invalid_argument(
          "Method = fem treats boundary conditions by boundary id "
          "(Dirichlet, Neumann, Robin), and this problem has conditions of "
          "its own (initial or interior-point conditions); solve it with a "
          "collocation method such as elm");

      if (problem.n_fields() > 1 && solver_name != "direct")
        throw std::invalid_argument(
          "subsection FEM, entry 'Solver' = " + solver_name +
          ": the AMG preconditioners treat one scalar field, and this problem "
          "is a system of " +
          std::to_string(problem.n_fields()) +
          " fields (a saddle point for Stokes); use 'set Solver = direct' "
          "(block preconditioners are not implemented yet)");

      Timer timer(triangulation.get_communicator(), /*sync_lap_times=*/true);
      setup_system(problem, triangulation);
      timer.stop();
      timings.setup += timer.last_wall_time();

      if (problem.n_fields() > 1 && problem.is_linear())
        {
          solve_linear_fields(problem, timings);
          return;
        }
      if (!problem.is_linear())
        {
          solve_nonlinear(problem, timings);
          return;
        }

      timer.restart();
      assemble_system(problem);
      timer.stop();
      timings.assembly += timer.last_wall_time();

      // An overflowing coefficient (e.g. a Wave number of 1e300) would reach
      // MUMPS as inf and come back as a cryptic Trilinos error.
      if (!std::isfinite(system_matrix.frobenius_norm()) ||
          !std::isfinite(system_rhs.l2_norm()))
        throw std::invalid_argument(
          "the assembled FEM system has entries that are not finite (inf or "
          "NaN): a coefficient or the data of the problem overflows; check "
          "the entries of its subsection Problem (e.g. 'Wave number')");

      timer.restart();
      TrilinosWrappers::MPI::Vector x = solve_linear_system(operator_is_spd);
      constraints.distribute(x);
      solution = x;
      timer.stop();
      timings.solve += timer.last_wall_time();
    }


    template <int dim>
    void
    FEM<dim>::add_natural_boundary_terms(
      const Problems::Interface<dim>                       &problem,
      const typename DoFHandler<dim>::active_cell_iterator &cell,
      const bool                                            at_solution,
      const bool                                            with_jacobian,
      FullMatrix<double>                                   &cell_matrix,
      Vector<double>                                       &cell_rhs) const
    {
      const Problems::BoundaryConditions &bc = problem.boundary_conditions();
      if (bc.dirichlet_everywhere() || !cell->at_boundary())
        return;
      const unsigned int n             = problem.n_fields();
      const unsigned int dofs_per_cell = fe->n_dofs_per_cell();
      // Made once per setup: the face rule of the assembly's degree.
      if (!face_values_cache)
        face_values_cache = std::make_unique<FEFaceValues<dim>>(
          *mapping,
          *fe,
          QGauss<dim - 1>(n_assembly_points_per_direction()),
          update_values | update_quadrature_points | update_normal_vectors |
            update_JxW_values);
      FEFaceValues<dim>         &face_values     = *face_values_cache;
      const Quadrature<dim - 1> &face_quadrature = face_values.get_quadrature();
      std::vector<std::vector<double>> u(
        n,
        std::vector<double>(face_quadrature.size(), 0.));
      std::vector<double> g;
      for (const unsigned int face : cell->face_indices())
        {
          if (!cell->face(face)->at_boundary())
            continue;
          const types::boundary_id id = cell->face(face)->boundary_id();
          std::vector<double>      alpha(n, 0.);
          std::vector<bool>        natural(n, false);
          bool                     any = false;
          for (unsigned int f = 0; f < n; ++f)
            {
              const Problems::BoundaryKind kind = bc.kind(id, f);
              natural[f] = problem.field_has_boundary_data(f) &&
                           kind != Problems::BoundaryKind::dirichlet;
              if (kind == Problems::BoundaryKind::robin)
                alpha[f] = bc.robin_coefficient();
              any = any || natural[f];
            }
          if (!any)
            continue;
          face_values.reinit(cell, face);
          if (at_solution)
            for (unsigned int f = 0; f < n; ++f)
              face_values[FEValuesExtractors::Scalar(f)]
                .get_function_values(solution, u[f]);
          for (unsigned int q = 0; q < face_quadrature.size(); ++q)
            {
              problem.boundary_data_fields(id,
                                           face_values.quadrature_point(q),
                                           face_values.normal_vector(q),
                                           g);
              const double JxW = face_values.JxW(q);
              for (unsigned int i = 0; i < dofs_per_cell; ++i)
                {
                  const unsigned int e = fe->system_to_component_index(i).first;
                  if (!natural[e])
                    continue;
                  const double phi_i = face_values.shape_value(i, q);
                  cell_rhs(i) += (g[e] - alpha[e] * u[e][q]) * phi_i * JxW;
                  if (with_jacobian && alpha[e] != 0.)
                    for (unsigned int j = 0; j < dofs_per_cell; ++j)
                      if (fe->system_to_component_index(j).first == e)
                        cell_matrix(i, j) += alpha[e] * phi_i *
                                             face_values.shape_value(j, q) *
                                             JxW;
                }
            }
        }
    }


    template <int dim>
    void
    FEM<dim>::add_newton_cell(
      const FullMatrix<double>                   &cell_matrix,
      const Vector<double>                       &cell_rhs,
      const std::vector<types::global_dof_index> &dof_indices,
      const bool                                  with_jacobian)
    {
      if (with_jacobian)
        zero_constraints.distribute_local_to_global(cell_matrix,
                                                    cell_rhs,
                                                    dof_indices,
                                                    system_matrix,
                                                    system_rhs);
      else
        zero_constraints.distribute_local_to_global(cell_rhs,
                                                    dof_indices,
                                                    system_rhs);
    }


    template <int dim>
    double
    FEM<dim>::finish_newton_assembly(const bool         with_jacobian,
                                     double             gradient_dependence,
                                     double             coefficient_size,
                                     const unsigned int n_fields)
    {
      if (with_jacobian)
        system_matrix.compress(VectorOperation::add);
      system_rhs.compress(VectorOperation::add);
      // A time step's residual at the previous time (θ-scheme).
      if (time_terms != nullptr && time_terms->old_residual.size() > 0)
        system_rhs.add(1., time_terms->old_residual);

      const MPI_Comm comm = dof_handler->get_communicator();
      gradient_dependence = Utilities::MPI::max(gradient_dependence, comm);
      coefficient_size    = Utilities::MPI::max(coefficient_size, comm);
      if (gradient_dependence > 1e-12 * std::max(coefficient_size, 1.))
        throw std::invalid_argument(
          n_fields == 1 ?
            "Method = fem: this problem's second-order coefficient depends "
            "on ∇u (∂A/∂∇u up to " +
              std::to_string(gradient_dependence) +
              "), and fem derives its weak form only for A(x, u); solve it "
              "with elm, fbpinn or pinn" :
            "Method = fem: this problem's second-order coefficients depend on "
            "the gradients of its fields (up to " +
              std::to_string(gradient_dependence) +
              "), and fem derives its weak form only for A(x, u)");
      return system_rhs.l2_norm();
    }


    template <int dim>
    double
    FEM<dim>::assemble_newton_system(const Problems::Interface<dim> &problem,
                                     const bool with_jacobian)
    {
      if (problem.n_fields() > 1)
        return assemble_field_system(problem, with_jacobian);
      const QGauss<dim>  quadrature(n_assembly_points_per_direction());
      FEValues<dim>      fe_values(*mapping,
                              *fe,
                              quadrature,
                              update_values | update_gradients |
                                update_quadrature_points | update_JxW_values);
      const unsigned int dofs_per_cell = fe->n_dofs_per_cell();
      const unsigned int n_q_points    = quadrature.size();
      FullMatrix<double> cell_matrix(dofs_per_cell, dofs_per_cell);
      Vector<double>     cell_rhs(dofs_per_cell);
      std::vector<types::global_dof_index> dof_indices(dofs_per_cell);
      std::vector<double>                  values(n_q_points);
      std::vector<Tensor<1, dim>>          gradients(n_q_points);
      std::vector<Tensor<1, dim>>          flux(dofs_per_cell);
      std::vector<double>                  lower(dofs_per_cell);
      std::vector<double>                  history(n_q_points);
      std::vector<double>                  mass(1);
      // A linear operator without x: its weak form at (u, ∇u) is its
      // Jacobian applied to them plus its value at zero, derived once (the
      // time steps of a linear problem come here).
      const bool constant =
        problem.is_linear() && !problem.has_variable_coefficients();
      const Problems::WeakFormPoint<dim> w0 =
        constant ? problem.weak_form(Point<dim>(), 0., Tensor<1, dim>()) :
                   Problems::WeakFormPoint<dim>();

      if (with_jacobian)
        system_matrix = 0;
      system_rhs                 = 0;
      double gradient_dependence = 0, coefficient_size = 0;
      for (const auto &cell : dof_handler->active_cell_iterators())
        if (cell->is_locally_owned())
          {
            cell_matrix = 0;
            cell_rhs    = 0;
            fe_values.reinit(cell);
            fe_values.get_function_values(solution, values);
            fe_values.get_function_gradients(solution, gradients);
            if (time_terms != nullptr)
              fe_values.get_function_values(time_terms->history, history);
            for (unsigned int q = 0; q < n_q_points; ++q)
              {
                const Point<dim>            &x = fe_values.quadrature_point(q);
                Problems::WeakFormPoint<dim> w = w0;
                if (constant)
                  {
                    w.flux += w0.d_flux_d_gradient * gradients[q] +
                              w0.d_flux_d_value * values[q];
                    w.source += w0.d_source_d_gradient * gradients[q] +
                                w0.d_source_d_value * values[q];
                  }
                else
                  w = problem.weak_form(x, values[q], gradients[q]);
                w.source -= problem.forcing(x);
                // A time step: m (a u − w) joins the source, a m its
                // derivative.
                if (time_terms != nullptr)
                  {
                    time_terms->mass(x, mass);
                    w.source += mass[0] * (time_terms->mass_factor * values[q] -
                                           history[q]);
                    w.d_source_d_value += mass[0] * time_terms->mass_factor;
                  }
                gradient_dependence =
                  std::max(gradient_dependence, w.gradient_dependence);
                coefficient_size =
                  std::max(coefficient_size, w.d_flux_d_gradient.norm());
                const double JxW = fe_values.JxW(q);
                for (unsigned int j = 0; j < dofs_per_cell; ++j)
                  {
                    const Tensor<1, dim> &grad_j = fe_values.shape_grad(j, q);
                    const double          phi_j  = fe_values.shape_value(j, q);
                    flux[j] = (w.d_flux_d_gradient * grad_j +
                               w.d_flux_d_value * phi_j) *
                              JxW;
                    lower[j] = (w.d_source_d_gradient * grad_j +
                                w.d_source_d_value * phi_j) *
                               JxW;
                  }
                for (unsigned int i = 0; i < dofs_per_cell; ++i)
                  {
                    const Tensor<1, dim> &grad_i = fe_values.shape_grad(i, q);
                    const double          phi_i  = fe_values.shape_value(i, q);
                    if (with_jacobian)
                      for (unsigned int j = 0; j < dofs_per_cell; ++j)
                        cell_matrix(i, j) +=
                          grad_i * flux[j] + phi_i * lower[j];
                    cell_rhs(i) -= (w.flux * grad_i + w.source * phi_i) * JxW;
                  }
              }
            add_natural_boundary_terms(problem,
                                       cell,
                                       true,
                                       with_jacobian,
                                       cell_matrix,
                                       cell_rhs);
            cell->get_dof_indices(dof_indices);
            add_newton_cell(cell_matrix, cell_rhs, dof_indices, with_jacobian);
          }
      return finish_newton_assembly(with_jacobian,
                                    gradient_dependence,
                                    coefficient_size,
                                    problem.n_fields());
    }


    template <int dim>
    double
    FEM<dim>::assemble_field_system(const Problems::Interface<dim> &problem,
                                    const bool with_jacobian)
    {
      const unsigned int n = problem.n_fields();
      const QGauss<dim>  quadrature(n_assembly_points_per_direction());
      FEValues<dim>      fe_values(*mapping,
                              *fe,
                              quadrature,
                              update_values | update_gradients |
                                update_quadrature_points | update_JxW_values);
      const unsigned int dofs_per_cell = fe->n_dofs_per_cell();
      const unsigned int n_q_points    = quadrature.size();
      FullMatrix<double> cell_matrix(dofs_per_cell, dofs_per_cell);
      Vector<double>     cell_rhs(dofs_per_cell);
      std::vector<types::global_dof_index>     dof_indices(dofs_per_cell);
      std::vector<std::vector<double>>         values(n,
                                              std::vector<double>(n_q_points));
      std::vector<std::vector<Tensor<1, dim>>> gradients(
        n,
        std::vector<Tensor<1, dim>>(n_q_points));
      std::vector<double>              point_values(n), forcing(n), mass(n);
      std::vector<std::vector<double>> history(n,
                                               std::vector<double>(n_q_points));
      std::vector<Tensor<1, dim>>      point_gradients(n);
      std::vector<unsigned int>        component(dofs_per_cell);
      for (unsigned int i = 0; i < dofs_per_cell; ++i)
        component[i] = fe->system_to_component_index(i).first;
      Problems::FieldWeakForm<dim> w;
      // A linear operator without x has one Jacobian, and its weak form at
      // (u, ∇u) is that Jacobian applied to them plus its value at zero:
      // derived once instead of at every quadrature point.
      const bool constant =
        problem.is_linear() && !problem.has_variable_coefficients();
      Problems::FieldWeakForm<dim> w0;
      if (constant)
        problem.weak_form_fields(Point<dim>(),
                                 std::vector<double>(n, 0.),
                                 std::vector<Tensor<1, dim>>(n),
                                 w0);

      if (with_jacobian)
        system_matrix = 0;
      system_rhs                 = 0;
      double gradient_dependence = 0, coefficient_size = 0;
      for (const auto &cell : dof_handler->active_cell_iterators())
        if (cell->is_locally_owned())
          {
            cell_matrix = 0;
            cell_rhs    = 0;
            fe_values.reinit(cell);
            for (unsigned int f = 0; f < n; ++f)
              {
                const FEValuesExtractors::Scalar field(f);
                fe_values[field].get_function_values(solution, values[f]);
                fe_values[field].get_function_gradients(solution, gradients[f]);
                if (time_terms != nullptr)
                  fe_values[field].get_function_values(time_terms->history,
                                                       history[f]);
              }
            for (unsigned int q = 0; q < n_q_points; ++q)
              {
                const Point<dim> &x = fe_values.quadrature_point(q);
                for (unsigned int f = 0; f < n; ++f)
                  {
                    point_values[f]    = values[f][q];
                    point_gradients[f] = gradients[f][q];
                  }
                if (constant)
                  {
                    w = w0;
                    for (unsigned int e = 0; e < n; ++e)
                      for (unsigned int f = 0; f < n; ++f)
                        {
                          const unsigned int ef = e * n + f;
                          w.flux[e] +=
                            w0.d_flux_d_gradient[ef] * point_gradients[f] +
                            w0.d_flux_d_value[ef] * point_values[f];
                          w.source[e] +=
                            w0.d_source_d_gradient[ef] * point_gradients[f] +
                            w0.d_source_d_value[ef] * point_values[f];
                        }
                  }
                else
                  problem.weak_form_fields(x, point_values, point_gradients, w);
                problem.forcing_fields(x, forcing);
                // A time step: m_e (a u_e − w_e) joins equation e's source.
                if (time_terms != nullptr)
                  {
                    time_terms->mass(x, mass);
                    for (unsigned int e = 0; e < n; ++e)
                      {
                        w.source[e] +=
                          mass[e] * (time_terms->mass_factor * point_values[e] -
                                     history[e][q]);
                        w.d_source_d_value[e * n + e] +=
                          mass[e] * time_terms->mass_factor;
                      }
                  }
                gradient_dependence =
                  std::max(gradient_dependence, w.gradient_dependence);
                for (const Tensor<2, dim> &a : w.d_flux_d_gradient)
                  coefficient_size = std::max(coefficient_size, a.norm());
                const double JxW = fe_values.JxW(q);
                for (unsigned int i = 0; i < dofs_per_cell; ++i)
                  {
                    // FE_Q is primitive: shape function i lives in one
                    // component, the field whose equation it tests.
                    const unsigned int    e      = component[i];
                    const Tensor<1, dim> &grad_i = fe_values.shape_grad(i, q);
                    const double          phi_i  = fe_values.shape_value(i, q);
                    if (with_jacobian)
                      for (unsigned int j = 0; j < dofs_per_cell; ++j)
                        {
                          const unsigned int    ef = e * n + component[j];
                          const Tensor<1, dim> &grad_j =
                            fe_values.shape_grad(j, q);
                          const double phi_j = fe_values.shape_value(j, q);
                          cell_matrix(i, j) +=
                            (grad_i * (w.d_flux_d_gradient[ef] * grad_j +
                                       w.d_flux_d_value[ef] * phi_j) +
                             phi_i * (w.d_source_d_gradient[ef] * grad_j +
                                      w.d_source_d_value[ef] * phi_j)) *
                            JxW;
                        }
                    cell_rhs(i) -= (w.flux[e] * grad_i +
                                    (w.source[e] - forcing[e]) * phi_i) *
                                   JxW;
                  }
              }
            add_natural_boundary_terms(problem,
                                       cell,
                                       true,
                                       with_jacobian,
                                       cell_matrix,
                                       cell_rhs);
            cell->get_dof_indices(dof_indices);
            add_newton_cell(cell_matrix, cell_rhs, dof_indices, with_jacobian);
          }
      return finish_newton_assembly(with_jacobian,
                                    gradient_dependence,
                                    coefficient_size,
                                    problem.n_fields());
    }


    template <int dim>
    void
    FEM<dim>::solve_linear_fields(const Problems::Interface<dim> &problem,
                                  Timings                        &timings)
    {
      const MPI_Comm comm = dof_handler->get_communicator();
      Timer          timer(comm, /*sync_lap_times=*/true);
      // u_0 carries the Dirichlet data; the step δ solves J δ = −R(u_0) with
      // zero constraints, and u_0 + δ solves the linear problem.
      TrilinosWrappers::MPI::Vector u(dof_handler->locally_owned_dofs(), comm);
      constraints.distribute(u);
      solution = u;
      assemble_field_system(problem, /*with_jacobian=*/true);
      timer.stop();
      timings.assembly += timer.last_wall_time();
      if (!std::isfinite(system_matrix.frobenius_norm()) ||
          !std::isfinite(system_rhs.l2_norm()))
        throw std::invalid_argument(
          "the assembled FEM system has entries that are not finite (inf or "
          "NaN): a coefficient or the data of the problem overflows; check "
          "the entries of its subsection Problem");

      timer.restart();
      TrilinosWrappers::MPI::Vector step =
        solve_linear_system(/*symmetric_positive_definite=*/false);
      zero_constraints.distribute(step);
      u += step;
      solution = u;
      timer.stop();
      timings.solve += timer.last_wall_time();
    }


    template <int dim>
    void
    FEM<dim>::solve_nonlinear(const Problems::Interface<dim> &problem,
                              Timings                        &timings)
    {
      const MPI_Comm comm = dof_handler->get_communicator();
      Timer          timer(comm, /*sync_lap_times=*/true);

      // u_0: the Dirichlet data on the boundary (and hanging nodes), zero
      // inside; every update then keeps them (zero constraints).
      TrilinosWrappers::MPI::Vector u(dof_handler->locally_owned_dofs(), comm);
      constraints.distribute(u);
      SolverReport                   last_linear;
      const Solvers::NonlinearReport newton =
        newton_iteration(problem, u, last_linear, timings);
      report =
        nonlinear_solver_report(last_linear, "newton", solver_name, newton);
    }


    template <int dim>
    Solvers::NonlinearReport
    FEM<dim>::newton_iteration(const Problems::Interface<dim> &problem,
                               TrilinosWrappers::MPI::Vector  &u,
                               SolverReport                   &last_linear,
                               Timings                        &timings)
    {
      const MPI_Comm comm = dof_handler->get_communicator();
      Timer          timer(comm, /*sync_lap_times=*/true);
      solution = u;

      Solvers::NonlinearReport newton;
      timer.restart();
      double norm = assemble_newton_system(problem, false);
      timer.stop();
      timings.assembly += timer.last_wall_time();
      newton.start(norm);

      while (newton.proceed(norm, nonlinear))
        {
          // Time steps of a linear problem whose operator does not vary:
          // the matrix a M + J of the previous step (and its factorisation
          // or AMG hierarchy) again, where a is the same; system_rhs holds
          // −R at u already.
          const bool reuse = time_terms != nullptr && jacobian_reusable &&
                             cached_mass_factor == time_terms->mass_factor;
          timer.restart();
          if (!reuse)
            {
              assemble_newton_system(problem, true);
              cached_mass_factor = time_terms != nullptr && jacobian_reusable ?
                                     time_terms->mass_factor :
                                     std::numeric_limits<double>::quiet_NaN();
            }
          timer.stop();
          timings.assembly += timer.last_wall_time();

          timer.restart();
          // Newton's Jacobian is not symmetric in general (∂Φ/∂u).
          TrilinosWrappers::MPI::Vector step =
            solve_linear_system(newton_jacobian_spd, reuse);
          timer.stop();
          timings.solve += timer.last_wall_time();
          last_linear = report;
          if (!report.converged)
            {
              newton.failure = "the linear solver '" + solver_name +
                               "' did not converge on a Newton step";
              break;
            }
          zero_constraints.distribute(step);

          // Backtracking: halve the step until ‖R‖ decreases enough
          // (Armijo's condition on ‖R‖ with c = 1e-4).
          double       alpha    = 1.;
          bool         accepted = false;
          unsigned int halvings = 0;
          timer.restart();
          for (; halvings <= nonlinear.max_line_search_steps; ++halvings)
            {
              TrilinosWrappers::MPI::Vector trial(u);
              trial.add(alpha, step);
              solution                = trial;
              const double trial_norm = assemble_newton_system(problem, false);
              if (trial_norm <= (1. - 1e-4 * alpha) * norm)
                {
                  u        = trial;
                  norm     = trial_norm;
                  accepted = true;
                  break;
                }
              alpha *= 0.5;
            }
          timer.stop();
          timings.assembly += timer.last_wall_time();
          ++newton.iterations;
          if (!accepted)
            {
              solution       = u;
              newton.failure = "the line search found no decrease of the "
                               "residual in 'Max line search steps' = " +
                               std::to_string(nonlinear.max_line_search_steps) +
                               " halvings (the iteration stalled)";
              break;
            }
          newton.residuals.push_back(norm);
        }
      solution         = u;
      newton.converged = newton.failure.empty();
      return newton;
    }


    template <int dim>
    void
    FEM<dim>::setup_time_stepping(
      const Problems::Interface<dim>         &problem,
      const parallel::TriangulationBase<dim> &triangulation)
    {
      time_stepping = true;
      setup_system(problem, triangulation);
      // a M + J is symmetric positive definite where J is (a M is): cg-amg
      // may solve the steps of a linear scalar problem without advection.
      bool spd = problem.n_fields() == 1 && problem.is_linear();
      if (spd)
        for (const auto &cell : triangulation.active_cell_iterators())
          if (cell->is_locally_owned() &&
              !weak_form_coefficients(problem, cell->center())
                 .is_symmetric_positive_definite())
            {
              spd = false;
              break;
            }
      newton_jacobian_spd =
        Utilities::MPI::min(spd ? 1 : 0, triangulation.get_communicator()) == 1;
      // A linear operator without x (or t): the same Jacobian every step.
      jacobian_reusable =
        problem.is_linear() && !problem.has_variable_coefficients();
      cached_mass_factor = std::numeric_limits<double>::quiet_NaN();
    }


    template <int dim>
    void
    FEM<dim>::interpolate_initial_values(
      const Problems::Interface<dim> &problem)
    {
      make_constraints(problem);
      TrilinosWrappers::MPI::Vector u(dof_handler->locally_owned_dofs(),
                                      dof_handler->get_communicator());
      VectorTools::interpolate(
        *mapping,
        *dof_handler,
        ProblemFunction<dim>(problem, ProblemFunction<dim>::Kind::dirichlet),
        u);
      constraints.distribute(u);
      solution = u;
    }


    template <int dim>
    void
    FEM<dim>::set_boundary_values(const Problems::Interface<dim> &problem)
    {
      make_constraints(problem);
      TrilinosWrappers::MPI::Vector u(dof_handler->locally_owned_dofs(),
                                      dof_handler->get_communicator());
      u = solution;
      constraints.distribute(u);
      solution = u;
    }


    template <int dim>
    TrilinosWrappers::MPI::Vector
    FEM<dim>::weak_residual(const Problems::Interface<dim> &problem)
    {
      time_terms = nullptr;
      assemble_newton_system(problem, /*with_jacobian=*/false);
      return system_rhs;
    }


    template <int dim>
    Solvers::NonlinearReport
    FEM<dim>::solve_time_step(const Problems::Interface<dim> &problem,
                              const TimeStepTerms            &terms,
                              SolverReport                   &last_linear,
                              Timings                        &timings)
    {
      TrilinosWrappers::MPI::Vector u(dof_handler->locally_owned_dofs(),
                                      dof_handler->get_communicator());
      u          = solution;
      time_terms = &terms;
      Solvers::NonlinearReport newton;
      try
        {
          newton = newton_iteration(problem, u, last_linear, timings);
        }
      catch (...)
        {
          time_terms = nullptr;
          throw;
        }
      time_terms = nullptr;
      return newton;
    }


    template <int dim>
    void
    FEM<dim>::assemble_mass_matrices(
      const TimeStepTerms            &terms,
      TrilinosWrappers::SparseMatrix &full,
      TrilinosWrappers::SparseMatrix &condensed) const
    {
      AssertThrow(fe->n_components() == 1, ExcNotImplemented());
      const MPI_Comm  comm  = dof_handler->get_communicator();
      const IndexSet &owned = dof_handler->locally_owned_dofs();
      IndexSet        relevant;
      DoFTools::extract_locally_relevant_dofs(*dof_handler, relevant);
      // Every coupling, the constrained rows and columns included.
      DynamicSparsityPattern sparsity(relevant);
      DoFTools::make_sparsity_pattern(*dof_handler, sparsity);
      SparsityTools::distribute_sparsity_pattern(sparsity,
                                                 owned,
                                                 comm,
                                                 relevant);
      full.reinit(owned, owned, sparsity, comm);
      condensed.reinit(owned, owned, sparsity, comm);

      const QGauss<dim>  quadrature(n_assembly_points_per_direction());
      FEValues<dim>      fe_values(*mapping,
                              *fe,
                              quadrature,
                              update_values | update_quadrature_points |
                                update_JxW_values);
      const unsigned int dofs_per_cell = fe->n_dofs_per_cell();
      FullMatrix<double> cell_matrix(dofs_per_cell, dofs_per_cell);
      std::vector<types::global_dof_index> dof_indices(dofs_per_cell);
      std::vector<double>                  mass(1);
      for (const auto &cell : dof_handler->active_cell_iterators())
        if (cell->is_locally_owned())
          {
            cell_matrix = 0;
            fe_values.reinit(cell);
            for (unsigned int q = 0; q < quadrature.size(); ++q)
              {
                terms.mass(fe_values.quadrature_point(q), mass);
                const double factor = mass[0] * fe_values.JxW(q);
                for (unsigned int i = 0; i < dofs_per_cell; ++i)
                  for (unsigned int j = 0; j < dofs_per_cell; ++j)
                    cell_matrix(i, j) += factor * fe_values.shape_value(i, q) *
                                         fe_values.shape_value(j, q);
              }
            cell->get_dof_indices(dof_indices);
            full.add(dof_indices, cell_matrix);
            zero_constraints.distribute_local_to_global(cell_matrix,
                                                        dof_indices,
                                                        condensed);
          }
      full.compress(VectorOperation::add);
      condensed.compress(VectorOperation::add);
    }


    template <int dim>
    void
    FEM<dim>::assemble_step_matrix(const Problems::Interface<dim> &problem,
                                   const TimeStepTerms            &terms)
    {
      time_terms = &terms;
      try
        {
          assemble_newton_system(problem, /*with_jacobian=*/true);
        }
      catch (...)
        {
          time_terms = nullptr;
          throw;
        }
      time_terms         = nullptr;
      step_matrix_fresh  = true;
      cached_mass_factor = std::numeric_limits<double>::quiet_NaN();
    }


    template <int dim>
    TrilinosWrappers::MPI::Vector
    FEM<dim>::solve_step_matrix(const TrilinosWrappers::MPI::Vector &b,
                                SolverReport &last_linear)
    {
      system_rhs = b;
      zero_constraints.set_zero(system_rhs);
      TrilinosWrappers::MPI::Vector x =
        solve_linear_system(newton_jacobian_spd, !step_matrix_fresh);
      step_matrix_fresh = false;
      zero_constraints.set_zero(x);
      last_linear = report;
      return x;
    }


    template <int dim>
    ResourceEstimate
    FEM<dim>::estimate_resources(const double                    n_cells,
                                 const Problems::Interface<dim> &problem) const
    {
      std::vector<int> offsets(problem.n_fields());
      for (unsigned int f = 0; f < offsets.size(); ++f)
        offsets[f] = problem.field_degree_offset(f);
      return estimate_resources(n_cells, offsets);
    }


    template <int dim>
    ResourceEstimate
    FEM<dim>::estimate_resources(const double            n_cells,
                                 const std::vector<int> &degree_offsets) const
    {
      // Q_p has p^dim DoFs per cell on a large mesh; a row couples the
      // (2p + 1)^dim DoFs of the cells around its support, of every field
      // (field f of degree p_f = degree + field_degree_offset(f)). A CSR
      // entry is a double and an int; the triangulation needs a few hundred
      // bytes a cell.
      double dofs_per_cell = 0, coupled = 0;
      for (const int offset : degree_offsets)
        {
          const double p = std::max(1, int(degree) + offset);
          dofs_per_cell += std::pow(p, dim);
          coupled += std::pow(2. * p + 1, dim);
        }
      ResourceEstimate estimate;
      estimate.n_dofs     = n_cells * dofs_per_cell;
      estimate.n_rows     = estimate.n_dofs;
      estimate.n_nonzeros = estimate.n_dofs * coupled;
      estimate.bytes   = 12. * estimate.n_nonzeros + 6 * 8. * estimate.n_dofs;
      estimate.entries = "subsection FEM, entry 'Polynomial degree'";
      return estimate;
    }


    template <int dim>
    types::global_dof_index
    FEM<dim>::n_dofs() const
    {
      return dof_handler ? dof_handler->n_dofs() : 0;
    }


    template <int dim>
    types::global_dof_index
    FEM<dim>::n_rows() const
    {
      return n_dofs();
    }


    template <int dim>
    types::global_dof_index
    FEM<dim>::n_nonzeros() const
    {
      return system_matrix.n_nonzero_elements();
    }


    template <int dim>
    SolverReport
    FEM<dim>::solver_report() const
    {
      return report;
    }


    template <int dim>
    unsigned int
    FEM<dim>::n_assembly_points_per_direction() const
    {
      return max_degree + 1;
    }


    template <int dim>
    std::unique_ptr<SolutionEvaluator<dim>>
    FEM<dim>::create_evaluator(const Quadrature<dim> &quadrature) const
    {
      return std::make_unique<FEMEvaluator<dim>>(*mapping,
                                                 *dof_handler,
                                                 solution,
                                                 quadrature);
    }


    template <int dim>
    void
    FEM<dim>::write_solution(const Problems::Interface<dim> &problem,
                             const std::string              &directory,
                             const std::string              &basename) const
    {
      const MPI_Comm comm  = dof_handler->get_communicator();
      const IndexSet owned = dof_handler->locally_owned_dofs();
      IndexSet       relevant;
      DoFTools::extract_locally_relevant_dofs(*dof_handler, relevant);

      TrilinosWrappers::MPI::Vector exact(owned, comm), error(owned, comm);
      VectorTools::interpolate(
        *dof_handler,
        ProblemFunction<dim>(problem, ProblemFunction<dim>::Kind::exact),
        exact);
      error = solution;
      error -= exact;
      TrilinosWrappers::MPI::Vector exact_ghosted(owned, relevant, comm),
        error_ghosted(owned, relevant, comm);
      exact_ghosted = exact;
      error_ghosted = error;

      const auto   &triangulation = dof_handler->get_triangulation();
      Vector<float> rank(triangulation.n_active_cells());
      rank = Utilities::MPI::this_mpi_process(comm);

      DataOut<dim> data_out;
      data_out.attach_dof_handler(*dof_handler);
      if (problem.n_fields() == 1)
        {
          data_out.add_data_vector(solution, "u");
          data_out.add_data_vector(exact_ghosted, "u_exact");
          data_out.add_data_vector(error_ghosted, "error");
        }
      else
        {
          const std::vector<std::string> names = problem.field_names();
          std::vector<std::string>       exact_names, error_names;
          for (const std::string &name : names)
            {
              exact_names.push_back(name + "_exact");
              error_names.push_back("error_" + name);
            }
          data_out.add_data_vector(solution, names);
          data_out.add_data_vector(exact_ghosted, exact_names);
          data_out.add_data_vector(error_ghosted, error_names);
        }
      data_out.add_data_vector(rank, "rank");
      data_out.build_patches(*mapping,
                             max_degree,
                             DataOut<dim>::curved_inner_cells);
      write_pvtu(data_out, directory, basename, comm);
    }


    template <int dim>
    double
    resonance_indicator(const Problems::Interface<dim>         &problem,
                        const parallel::TriangulationBase<dim> &triangulation)
    {
      const double not_applicable = std::numeric_limits<double>::quiet_NaN();
      if (problem.n_fields() != 1 || !problem.is_linear() ||
          problem.is_time_dependent() || !problem.conditions_by_boundary_id() ||
          !problem.interior_condition_points().empty())
        return not_applicable;
      // Natural conditions: the zero Dirichlet data below go on the Dirichlet
      // ids only; a Robin term would be part of L, which is not assembled
      // here.
      const Problems::BoundaryConditions &bc = problem.boundary_conditions();
      for (const types::boundary_id id : triangulation.get_boundary_ids())
        if (bc.kind(id, 0) == Problems::BoundaryKind::robin)
          return not_applicable;
      const MPI_Comm comm = triangulation.get_communicator();

      const FE_Q<dim> fe(2);
      DoFHandler<dim> dof_handler(triangulation);
      dof_handler.distribute_dofs(fe);
      const IndexSet &owned = dof_handler.locally_owned_dofs();
      IndexSet        relevant;
      DoFTools::extract_locally_relevant_dofs(dof_handler, relevant);
      AffineConstraints<double> constraints(relevant);
      DoFTools::make_hanging_node_constraints(dof_handler, constraints);
      for (const types::boundary_id id : triangulation.get_boundary_ids())
        if (bc.kind(id, 0) == Problems::BoundaryKind::dirichlet)
          DoFTools::make_zero_boundary_constraints(dof_handler,
                                                   id,
                                                   constraints);
      constraints.close();

      DynamicSparsityPattern sparsity(relevant);
      DoFTools::make_sparsity_pattern(dof_handler,
                                      sparsity,
                                      constraints,
                                      false);
      SparsityTools::distribute_sparsity_pattern(sparsity,
                                                 owned,
                                                 comm,
                                                 relevant);
      TrilinosWrappers::SparseMatrix full, principal;
      full.reinit(owned, owned, sparsity, comm);
      principal.reinit(owned, owned, sparsity, comm);

      const QGauss<dim>  quadrature(3);
      FEValues<dim>      fe_values(fe,
                              quadrature,
                              update_values | update_gradients |
                                update_quadrature_points | update_JxW_values);
      const unsigned int n = fe.n_dofs_per_cell();
      FullMatrix<double> cell_full(n, n), cell_principal(n, n);
      std::vector<types::global_dof_index> dof_indices(n);
      const WeakFormCoefficients<dim>      constant_coefficients =
        weak_form_coefficients(problem, Point<dim>());
      bool negative_reaction = false;
      bool symmetric         = true;
      for (const auto &cell : dof_handler.active_cell_iterators())
        if (cell->is_locally_owned())
          {
            cell_full      = 0;
            cell_principal = 0;
            fe_values.reinit(cell);
            for (unsigned int q = 0; q < quadrature.size(); ++q)
              {
                const WeakFormCoefficients<dim> c =
                  problem.has_variable_coefficients() ?
                    weak_form_coefficients(problem,
                                           fe_values.quadrature_point(q)) :
                    constant_coefficients;
                negative_reaction = negative_reaction || c.reaction < 0.;
                symmetric         = symmetric && c.advection.norm() == 0.;
                for (unsigned int i = 0; i < n; ++i)
                  for (unsigned int j = 0; j < n; ++j)
                    {
                      const double k =
                        fe_values.shape_grad(i, q) *
                        (c.diffusion * fe_values.shape_grad(j, q)) *
                        fe_values.JxW(q);
                      cell_principal(i, j) += k;
                      cell_full(i, j) +=
                        k + c.reaction * fe_values.shape_value(i, q) *
                              fe_values.shape_value(j, q) * fe_values.JxW(q);
                    }
              }
            cell->get_dof_indices(dof_indices);
            constraints.distribute_local_to_global(cell_full,
                                                   dof_indices,
                                                   full);
            constraints.distribute_local_to_global(cell_principal,
                                                   dof_indices,
                                                   principal);
          }
      full.compress(VectorOperation::add);
      principal.compress(VectorOperation::add);
      if (Utilities::MPI::logical_or(!symmetric, comm) ||
          !Utilities::MPI::logical_or(negative_reaction, comm))
        return not_applicable;

      SolverControl                  control(1, 0., false, false);
      TrilinosWrappers::SolverDirect direct(
        control,
        TrilinosWrappers::SolverDirect::AdditionalData(false, "Amesos_Mumps"));
      TrilinosWrappers::MPI::Vector x(owned, comm), y(owned, comm);
      // A start vector with a component along every eigenvector: a hash of
      // the global index, so that it does not depend on the partition.
      for (const auto i : owned)
        x(i) = std::sin(12.9898 * double(i) + 78.233) + 0.5;
      try
        {
          direct.initialize(full);
          // Each step divides the other components by at least the ratio of
          // the two eigenvalues nearest to zero.
          for (unsigned int step = 0; step < 8; ++step)
            {
              constraints.set_zero(x);
              x /= x.l2_norm();
              direct.solve(y, x);
              x = y;
            }
        }
      catch (const std::exception &)
        {
          // MUMPS found the matrix (numerically) singular.
          return 0.;
        }
      constraints.set_zero(x);
      if (!std::isfinite(x.l2_norm()))
        return 0.;
      x /= x.l2_norm();
      full.vmult(y, x);
      const double xLx = x * y;
      principal.vmult(y, x);
      const double xKx = x * y;
      return std::abs(xLx) / xKx;
    }


    template class FEM<1>;
    template class FEM<2>;
    template class FEM<3>;
    template double
    resonance_indicator(const Problems::Interface<1> &,
                        const parallel::TriangulationBase<1> &);
    template double
    resonance_indicator(const Problems::Interface<2> &,
                        const parallel::TriangulationBase<2> &);
    template double
    resonance_indicator(const Problems::Interface<3> &,
                        const parallel::TriangulationBase<3> &);
  } // namespace Methods
} // namespace fbpinn

FBPINN_REGISTER_METHOD(
  fbpinn::Methods::FEM,
  "fem",
  "The finite element baseline: continuous FE_Q(p), p = 1 ... 6, on the "
  "shared mesh, Galerkin weak form derived from the problem's residual, "
  "Dirichlet data through constraints, CG + ML AMG or MUMPS (subsection FEM).")
