// Speed reference for the fbpinn FEM on the multi-scale Laplace benchmark.
//
// A deliberately plain program in the style of deal.II tutorial step-40
// (parallel::distributed::Triangulation, FE_Q(p), AffineConstraints,
// Trilinos matrix built from a DynamicSparsityPattern distributed with
// SparsityTools::distribute_sparsity_pattern, CG + ML AMG). It shares no code
// with fbpinn.
//
//   -Δu = f on [0,1]^2, u = 0 on the boundary,
//   u = (1/n) Σ_{i=1..n} Π_d sin(ω_i x_d),  ω_i = 2^i π,  n = 4,
//   f = (1/n) Σ_{i=1..n} d ω_i² Π_d sin(ω_i x_d).
//
// Usage:   step40_reference p R        (FE_Q(p), R global refinements)
// Output:  one CSV line on rank 0:
//          p,R,n_dofs,relative_l2,setup,assembly,solve,total,iterations
// Timings are MPI-synchronised wall-clock seconds (dealii::Timer(comm, true)):
//   setup    = distribute_dofs, constraints, sparsity pattern, matrix and
//              vector reinit;
//   assembly = cell loop + compress;
//   solve    = AMG setup + CG (+ distributing constraints);
//   total    = setup + assembly + solve (mesh generation and error
//              evaluation are not timed).

#include <deal.II/base/function.h>
#include <deal.II/base/mpi.h>
#include <deal.II/base/quadrature_lib.h>
#include <deal.II/base/timer.h>

#include <deal.II/distributed/tria.h>

#include <deal.II/dofs/dof_handler.h>
#include <deal.II/dofs/dof_tools.h>

#include <deal.II/fe/fe_q.h>
#include <deal.II/fe/fe_values.h>

#include <deal.II/grid/grid_generator.h>

#include <deal.II/lac/affine_constraints.h>
#include <deal.II/lac/dynamic_sparsity_pattern.h>
#include <deal.II/lac/full_matrix.h>
#include <deal.II/lac/solver_control.h>
#include <deal.II/lac/sparsity_tools.h>
#include <deal.II/lac/trilinos_precondition.h>
#include <deal.II/lac/trilinos_solver.h>
#include <deal.II/lac/trilinos_sparse_matrix.h>
#include <deal.II/lac/trilinos_vector.h>
#include <deal.II/lac/vector.h>

#include <deal.II/numerics/vector_tools.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

using namespace dealii;

namespace
{
  constexpr unsigned int n_scales = 4;

  double
  omega(const unsigned int i)
  {
    return std::ldexp(numbers::PI, static_cast<int>(i)); // 2^i π
  }

  template <int dim>
  double
  right_hand_side(const Point<dim> &x)
  {
    double f = 0;
    for (unsigned int i = 1; i <= n_scales; ++i)
      {
        const double w    = omega(i);
        double       term = dim * w * w;
        for (unsigned int d = 0; d < dim; ++d)
          term *= std::sin(w * x[d]);
        f += term;
      }
    return f / n_scales;
  }

  template <int dim>
  class ExactSolution : public Function<dim>
  {
  public:
    double
    value(const Point<dim> &x, const unsigned int = 0) const override
    {
      double u = 0;
      for (unsigned int i = 1; i <= n_scales; ++i)
        {
          const double w    = omega(i);
          double       term = 1;
          for (unsigned int d = 0; d < dim; ++d)
            term *= std::sin(w * x[d]);
          u += term;
        }
      return u / n_scales;
    }
  };


  template <int dim>
  class LaplaceProblem
  {
  public:
    LaplaceProblem(const unsigned int degree, const unsigned int refinements);
    void
    run();

  private:
    void
    setup_system();
    void
    assemble_system();
    unsigned int
    solve();
    double
    relative_l2_error() const;

    MPI_Comm mpi_communicator;

    const unsigned int degree;
    const unsigned int refinements;

    parallel::distributed::Triangulation<dim> triangulation;
    FE_Q<dim>                                 fe;
    DoFHandler<dim>                           dof_handler;

    IndexSet locally_owned_dofs;
    IndexSet locally_relevant_dofs;

    AffineConstraints<double> constraints;

    TrilinosWrappers::SparseMatrix system_matrix;
    TrilinosWrappers::MPI::Vector  locally_relevant_solution;
    TrilinosWrappers::MPI::Vector  system_rhs;
  };


  template <int dim>
  LaplaceProblem<dim>::LaplaceProblem(const unsigned int degree,
                                      const unsigned int refinements)
    : mpi_communicator(MPI_COMM_WORLD)
    , degree(degree)
    , refinements(refinements)
    , triangulation(mpi_communicator,
                    typename Triangulation<dim>::MeshSmoothing(
                      Triangulation<dim>::smoothing_on_refinement |
                      Triangulation<dim>::smoothing_on_coarsening))
    , fe(degree)
    , dof_handler(triangulation)
  {}


  template <int dim>
  void
  LaplaceProblem<dim>::setup_system()
  {
    dof_handler.distribute_dofs(fe);

    locally_owned_dofs = dof_handler.locally_owned_dofs();
    DoFTools::extract_locally_relevant_dofs(dof_handler, locally_relevant_dofs);

    locally_relevant_solution.reinit(locally_owned_dofs,
                                     locally_relevant_dofs,
                                     mpi_communicator);
    system_rhs.reinit(locally_owned_dofs, mpi_communicator);

    constraints.clear();
    constraints.reinit(locally_relevant_dofs);
    DoFTools::make_hanging_node_constraints(dof_handler, constraints);
    VectorTools::interpolate_boundary_values(dof_handler,
                                             0,
                                             Functions::ZeroFunction<dim>(),
                                             constraints);
    constraints.close();

    DynamicSparsityPattern dsp(locally_relevant_dofs);
    DoFTools::make_sparsity_pattern(dof_handler, dsp, constraints, false);
    SparsityTools::distribute_sparsity_pattern(dsp,
                                               locally_owned_dofs,
                                               mpi_communicator,
                                               locally_relevant_dofs);

    system_matrix.reinit(locally_owned_dofs,
                         locally_owned_dofs,
                         dsp,
                         mpi_communicator);
  }


  template <int dim>
  void
  LaplaceProblem<dim>::assemble_system()
  {
    const QGauss<dim> quadrature_formula(fe.degree + 1);

    FEValues<dim> fe_values(fe,
                            quadrature_formula,
                            update_values | update_gradients |
                              update_quadrature_points | update_JxW_values);

    const unsigned int dofs_per_cell = fe.n_dofs_per_cell();
    const unsigned int n_q_points    = quadrature_formula.size();

    FullMatrix<double> cell_matrix(dofs_per_cell, dofs_per_cell);
    Vector<double>     cell_rhs(dofs_per_cell);

    std::vector<types::global_dof_index> local_dof_indices(dofs_per_cell);

    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          cell_matrix = 0.;
          cell_rhs    = 0.;

          fe_values.reinit(cell);

          for (unsigned int q_point = 0; q_point < n_q_points; ++q_point)
            {
              const double rhs_value =
                right_hand_side(fe_values.quadrature_point(q_point));

              for (unsigned int i = 0; i < dofs_per_cell; ++i)
                {
                  for (unsigned int j = 0; j < dofs_per_cell; ++j)
                    cell_matrix(i, j) += fe_values.shape_grad(i, q_point) *
                                         fe_values.shape_grad(j, q_point) *
                                         fe_values.JxW(q_point);

                  cell_rhs(i) += rhs_value *
                                 fe_values.shape_value(i, q_point) *
                                 fe_values.JxW(q_point);
                }
            }

          cell->get_dof_indices(local_dof_indices);
          constraints.distribute_local_to_global(cell_matrix,
                                                 cell_rhs,
                                                 local_dof_indices,
                                                 system_matrix,
                                                 system_rhs);
        }

    system_matrix.compress(VectorOperation::add);
    system_rhs.compress(VectorOperation::add);
  }


  template <int dim>
  unsigned int
  LaplaceProblem<dim>::solve()
  {
    TrilinosWrappers::MPI::Vector completely_distributed_solution(
      locally_owned_dofs, mpi_communicator);

    SolverControl solver_control(dof_handler.n_dofs(),
                                 1e-12 * system_rhs.l2_norm());
    TrilinosWrappers::SolverCG solver(solver_control);

    TrilinosWrappers::PreconditionAMG                 preconditioner;
    TrilinosWrappers::PreconditionAMG::AdditionalData data;
    data.elliptic              = true;
    data.higher_order_elements = (degree > 1);
    preconditioner.initialize(system_matrix, data);

    solver.solve(system_matrix,
                 completely_distributed_solution,
                 system_rhs,
                 preconditioner);

    constraints.distribute(completely_distributed_solution);
    locally_relevant_solution = completely_distributed_solution;

    return solver_control.last_step();
  }


  template <int dim>
  double
  LaplaceProblem<dim>::relative_l2_error() const
  {
    const QGauss<dim>        quadrature(fe.degree + 3);
    const ExactSolution<dim> exact;

    Vector<float> cellwise(triangulation.n_active_cells());
    VectorTools::integrate_difference(dof_handler,
                                      locally_relevant_solution,
                                      exact,
                                      cellwise,
                                      quadrature,
                                      VectorTools::L2_norm);
    const double error =
      VectorTools::compute_global_error(triangulation,
                                        cellwise,
                                        VectorTools::L2_norm);

    // ‖u‖ exactly: the products Π_d sin(ω_i x_d) are L2-orthogonal on
    // [0,1]^d for distinct ω_i = 2^i π and each has norm² (1/2)^d, so
    // ‖u‖² = n (1/2)^d / n² (= 1/16 for n = 4, d = 2).
    const double norm = std::sqrt(std::pow(0.5, dim) / n_scales);
    return error / norm;
  }


  template <int dim>
  void
  LaplaceProblem<dim>::run()
  {
    GridGenerator::hyper_cube(triangulation, 0., 1.);
    triangulation.refine_global(refinements);

    Timer timer(mpi_communicator, /*sync_lap_times=*/true);

    timer.restart();
    setup_system();
    timer.stop();
    const double t_setup = timer.last_wall_time();

    timer.restart();
    assemble_system();
    timer.stop();
    const double t_assembly = timer.last_wall_time();

    timer.restart();
    const unsigned int iterations = solve();
    timer.stop();
    const double t_solve = timer.last_wall_time();

    const double rel_l2 = relative_l2_error();

    // Max over ranks (Timer(comm, true) already synchronises, this makes the
    // printed value independent of which rank's clock is used).
    const double setup    = Utilities::MPI::max(t_setup, mpi_communicator);
    const double assembly = Utilities::MPI::max(t_assembly, mpi_communicator);
    const double solve_t  = Utilities::MPI::max(t_solve, mpi_communicator);

    if (Utilities::MPI::this_mpi_process(mpi_communicator) == 0)
      std::printf("%u,%u,%llu,%.10e,%.6f,%.6f,%.6f,%.6f,%u\n",
                  degree,
                  refinements,
                  static_cast<unsigned long long>(dof_handler.n_dofs()),
                  rel_l2,
                  setup,
                  assembly,
                  solve_t,
                  setup + assembly + solve_t,
                  iterations);
  }
} // namespace


int
main(int argc, char *argv[])
{
  try
    {
      Utilities::MPI::MPI_InitFinalize mpi_initialization(argc, argv, 1);

      if (argc != 3)
        {
          if (Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
            std::cerr << "usage: " << argv[0] << " p R\n"
                      << "  p: polynomial degree of FE_Q (>= 1)\n"
                      << "  R: number of global refinements of [0,1]^2\n";
          return 2;
        }
      const int degree      = std::atoi(argv[1]);
      const int refinements = std::atoi(argv[2]);
      if (degree < 1 || refinements < 0)
        {
          if (Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
            std::cerr << "step40_reference: need p >= 1 and R >= 0\n";
          return 2;
        }

      LaplaceProblem<2> problem(degree, refinements);
      problem.run();
    }
  catch (std::exception &exc)
    {
      std::cerr << "step40_reference: exception: " << exc.what() << std::endl;
      return 1;
    }
  catch (...)
    {
      std::cerr << "step40_reference: unknown exception" << std::endl;
      return 1;
    }
  return 0;
}
