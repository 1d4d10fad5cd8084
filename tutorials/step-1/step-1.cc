/* step-1: finite elements and ELM-FBPINN on one mesh.
 *
 * The Poisson problem −Δu = f on the unit square with u = 0 on the boundary
 * and the exact solution u = sin(πx) sin(πy), solved twice on the same
 * p4est-distributed mesh:
 *
 *  - by finite elements, with deal.II's own classes as in step-40: FE_Q(p),
 *    an assembly loop over FEValues, a Trilinos matrix, CG with AMG;
 *  - by ELM-FBPINN, with fbpinn's FiniteBasisSpace: one subdomain per cell,
 *    K random tanh features in each, glued by a partition of unity. The
 *    coefficients solve the least-squares problem of the residual collocated
 *    at Gauss points, an assembly loop over FiniteBasisValues, which offers
 *    what FEValues offers (values, gradients, Hessians of the basis functions
 *    at points of a cell);
 *
 * and both errors are measured by one function, with the same quadrature.
 * See README.md in this folder for the introduction and the results.
 *
 * Run: mpirun -np 2 ./step-1
 */

#include <deal.II/base/conditional_ostream.h>
#include <deal.II/base/function.h>
#include <deal.II/base/mpi.h>
#include <deal.II/base/quadrature_lib.h>
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/dofs/dof_tools.h>
#include <deal.II/fe/fe_q.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/fe/mapping_q1.h>
#include <deal.II/grid/grid_generator.h>
#include <deal.II/lac/affine_constraints.h>
#include <deal.II/lac/dynamic_sparsity_pattern.h>
#include <deal.II/lac/solver_cg.h>
#include <deal.II/lac/sparsity_tools.h>
#include <deal.II/lac/trilinos_precondition.h>
#include <deal.II/lac/trilinos_sparse_matrix.h>
#include <deal.II/lac/trilinos_vector.h>
#include <deal.II/numerics/vector_tools.h>

#include <fbpinn/basis/finite_basis_values.h>
#include <fbpinn/mesh/triangulation_factory.h>
#include <fbpinn/solvers/least_squares.h>

#include <cmath>
#include <functional>
#include <iomanip>
#include <iostream>

namespace Step1
{
  using namespace dealii;
  constexpr int dim = 2;

  // The exact solution and the forcing f = −Δu = 2π² u.
  double
  exact_solution(const Point<dim> &p)
  {
    return std::sin(M_PI * p[0]) * std::sin(M_PI * p[1]);
  }

  double
  forcing(const Point<dim> &p)
  {
    return 2. * M_PI * M_PI * exact_solution(p);
  }


  /* @sect3{The error, the same for both methods}
   *
   * ‖u_h − u‖/‖u‖ in L2 by a Gauss rule of 8² points on every locally owned
   * cell. @p evaluate gives u_h at the points of one cell: each method
   * evaluates its own solution, the integration is shared. */
  double
  relative_l2_error(const Triangulation<dim>  &triangulation,
                    const std::function<void(
                      const typename Triangulation<dim>::active_cell_iterator &,
                      const std::vector<Point<dim>> &,
                      std::vector<double> &)> &evaluate)
  {
    const QGauss<dim>   quadrature(8);
    const FE_Q<dim>     geometry(1);
    FEValues<dim>       fe_values(geometry,
                            quadrature,
                            update_quadrature_points | update_JxW_values);
    std::vector<double> u_h(quadrature.size());
    double              error = 0., norm = 0.;
    for (const auto &cell : triangulation.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          fe_values.reinit(cell);
          evaluate(cell, fe_values.get_quadrature_points(), u_h);
          for (unsigned int q = 0; q < quadrature.size(); ++q)
            {
              const double u = exact_solution(fe_values.quadrature_point(q));
              error += fe_values.JxW(q) * (u_h[q] - u) * (u_h[q] - u);
              norm += fe_values.JxW(q) * u * u;
            }
        }
    const MPI_Comm comm = triangulation.get_communicator();
    return std::sqrt(Utilities::MPI::sum(error, comm) /
                     Utilities::MPI::sum(norm, comm));
  }


  /* @sect3{Finite elements}
   *
   * step-40 in brief: Q_p elements, zero Dirichlet data through constraints,
   * the Galerkin matrix ∫∇φ_i·∇φ_j, CG preconditioned by Trilinos ML. */
  double
  solve_fem(const parallel::TriangulationBase<dim> &triangulation,
            const unsigned int                      degree,
            types::global_dof_index                &n_dofs)
  {
    const MPI_Comm  comm = triangulation.get_communicator();
    const FE_Q<dim> fe(degree);
    DoFHandler<dim> dof_handler(triangulation);
    dof_handler.distribute_dofs(fe);
    n_dofs               = dof_handler.n_dofs();
    const IndexSet owned = dof_handler.locally_owned_dofs();
    IndexSet       relevant;
    DoFTools::extract_locally_relevant_dofs(dof_handler, relevant);

    AffineConstraints<double> constraints(relevant);
    VectorTools::interpolate_boundary_values(dof_handler,
                                             0,
                                             Functions::ZeroFunction<dim>(),
                                             constraints);
    constraints.close();

    DynamicSparsityPattern sparsity(relevant);
    DoFTools::make_sparsity_pattern(dof_handler, sparsity, constraints, false);
    SparsityTools::distribute_sparsity_pattern(sparsity, owned, comm, relevant);
    TrilinosWrappers::SparseMatrix matrix;
    matrix.reinit(owned, owned, sparsity, comm);
    TrilinosWrappers::MPI::Vector rhs(owned, comm), solution(owned, comm);

    const QGauss<dim>                    quadrature(degree + 1);
    FEValues<dim>                        fe_values(fe,
                            quadrature,
                            update_values | update_gradients |
                              update_quadrature_points | update_JxW_values);
    const unsigned int                   n = fe.n_dofs_per_cell();
    FullMatrix<double>                   cell_matrix(n, n);
    Vector<double>                       cell_rhs(n);
    std::vector<types::global_dof_index> indices(n);
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          fe_values.reinit(cell);
          cell_matrix = 0.;
          cell_rhs    = 0.;
          for (const unsigned int q : fe_values.quadrature_point_indices())
            for (unsigned int i = 0; i < n; ++i)
              {
                for (unsigned int j = 0; j < n; ++j)
                  cell_matrix(i, j) += fe_values.shape_grad(i, q) *
                                       fe_values.shape_grad(j, q) *
                                       fe_values.JxW(q);
                cell_rhs(i) += fe_values.shape_value(i, q) *
                               forcing(fe_values.quadrature_point(q)) *
                               fe_values.JxW(q);
              }
          cell->get_dof_indices(indices);
          constraints.distribute_local_to_global(cell_matrix,
                                                 cell_rhs,
                                                 indices,
                                                 matrix,
                                                 rhs);
        }
    matrix.compress(VectorOperation::add);
    rhs.compress(VectorOperation::add);

    TrilinosWrappers::PreconditionAMG amg;
    amg.initialize(matrix);
    SolverControl control(1000, 1e-12 * rhs.l2_norm());
    SolverCG<TrilinosWrappers::MPI::Vector>(control).solve(matrix,
                                                           solution,
                                                           rhs,
                                                           amg);
    constraints.distribute(solution);
    TrilinosWrappers::MPI::Vector ghosted(owned, relevant, comm);
    ghosted = solution;

    // u_h at the error points: FEValues at the points of the cell in its
    // reference coordinates (straight cells: the inverse of the bilinear map).
    MappingQ1<dim> mapping;
    return relative_l2_error(
      triangulation,
      [&](const typename Triangulation<dim>::active_cell_iterator &tria_cell,
          const std::vector<Point<dim>>                           &points,
          std::vector<double>                                     &u_h) {
        std::vector<Point<dim>> unit(points.size());
        for (unsigned int q = 0; q < points.size(); ++q)
          unit[q] = mapping.transform_real_to_unit_cell(tria_cell, points[q]);
        FEValues<dim> at_points(mapping,
                                fe,
                                Quadrature<dim>(unit),
                                update_values);
        // The same cell seen through the DoFHandler (deal.II 9.4 has no
        // as_dof_handler_iterator() yet).
        at_points.reinit(
          typename DoFHandler<dim>::active_cell_iterator(&triangulation,
                                                         tria_cell->level(),
                                                         tria_cell->index(),
                                                         &dof_handler));
        at_points.get_function_values(ghosted, u_h);
      });
  }


  /* @sect3{ELM-FBPINN}
   *
   * u_h = Σ_j ψ_j Σ_k a_jk φ_jk: subdomain j is cell j's box scaled by the
   * overlap factor 2 about its centre, ψ_j its cosine-squared window
   * normalised to a partition of unity, φ_jk = tanh(w_jk·y + b_jk) K random
   * features in the subdomain's coordinates y ∈ [−1, 1]² (φ_j0 = 1).
   *
   * The rows of the least-squares problem min ‖M a − h‖: at each of the
   * (points)² Gauss points of a cell −Δu_h = f, and at the Gauss points of
   * each boundary face u_h = 0. −Δ of a basis function takes 1/h² from the
   * scaled coordinates, so the boundary rows get the weight 1/h² too, so that
   * both kinds of row weigh alike. */
  double
  solve_elm(const parallel::TriangulationBase<dim> &triangulation,
            const unsigned int                      n_features,
            const unsigned int                      n_points,
            types::global_dof_index                &n_dofs)
  {
    const MPI_Comm comm = triangulation.get_communicator();
    fbpinn::FiniteBasisSpace<dim>::Settings settings;
    settings.n_features = n_features;
    fbpinn::FiniteBasisSpace<dim> space;
    space.reinit(triangulation, settings);
    n_dofs = space.n_dofs();

    const QGauss<dim>     cell_points(n_points);
    const QGauss<dim - 1> face_points(n_points);
    const FE_Q<dim>       geometry(1);
    FEValues<dim> fe_values(geometry, cell_points, update_quadrature_points);
    FEFaceValues<dim> fe_face_values(geometry,
                                     face_points,
                                     update_quadrature_points);

    // This rank's rows are the points of its cells: count them, then number
    // them after those of the ranks before.
    types::global_dof_index n_local_rows = 0;
    for (const auto &cell : triangulation.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          n_local_rows += cell_points.size();
          for (const auto &face : cell->face_iterators())
            if (face->at_boundary())
              n_local_rows += face_points.size();
        }
    types::global_dof_index first_row = 0;
    MPI_Exscan(&n_local_rows,
               &first_row,
               1,
               Utilities::MPI::mpi_type_id_for_type<types::global_dof_index>,
               MPI_SUM,
               comm);
    if (Utilities::MPI::this_mpi_process(comm) == 0)
      first_row = 0;
    const types::global_dof_index n_rows =
      Utilities::MPI::sum(n_local_rows, comm);
    IndexSet rows(n_rows);
    rows.add_range(first_row, first_row + n_local_rows);

    // One pass for the sparsity pattern and one for the values would be the
    // deal.II way for a large matrix; here the entries of each row are
    // collected once and handed to the matrix row by row.
    std::vector<std::vector<types::global_dof_index>> columns(n_local_rows);
    std::vector<std::vector<double>>                  values(n_local_rows);
    TrilinosWrappers::MPI::Vector                     h(rows, comm);
    fbpinn::FiniteBasisValues<dim>                    basis(space);
    types::global_dof_index                           row = 0;
    for (const auto &cell : triangulation.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          const double width  = cell->extent_in_direction(0);
          const double weight = 1. / (width * width);
          fe_values.reinit(cell);
          const std::vector<Point<dim>> &points =
            fe_values.get_quadrature_points();
          basis.reinit(cell, points, std::vector<double>(points.size(), 1.));
          for (unsigned int q = 0; q < points.size(); ++q, ++row)
            {
              for (unsigned int i = 0; i < basis.dofs_per_cell(); ++i)
                {
                  columns[row].push_back(basis.get_dof_indices()[i]);
                  values[row].push_back(-trace(basis.shape_hessian(i, q)));
                }
              h(first_row + row) = forcing(points[q]);
            }
          for (const unsigned int f : cell->face_indices())
            if (cell->face(f)->at_boundary())
              {
                fe_face_values.reinit(cell, f);
                const std::vector<Point<dim>> &face =
                  fe_face_values.get_quadrature_points();
                basis.reinit(cell, face, std::vector<double>(face.size(), 1.));
                for (unsigned int q = 0; q < face.size(); ++q, ++row)
                  {
                    for (unsigned int i = 0; i < basis.dofs_per_cell(); ++i)
                      {
                        columns[row].push_back(basis.get_dof_indices()[i]);
                        values[row].push_back(weight * basis.shape_value(i, q));
                      }
                    h(first_row + row) = 0.;
                  }
              }
        }
    h.compress(VectorOperation::insert);

    DynamicSparsityPattern pattern(n_rows, n_dofs, rows);
    for (types::global_dof_index r = 0; r < n_local_rows; ++r)
      pattern.add_entries(first_row + r, columns[r].begin(), columns[r].end());
    TrilinosWrappers::SparseMatrix M;
    M.reinit(rows, space.locally_owned_dofs(), pattern, comm);
    for (types::global_dof_index r = 0; r < n_local_rows; ++r)
      M.set(first_row + r, columns[r], values[r]);
    M.compress(VectorOperation::insert);

    // SuiteSparseQR with rank detection: the features of neighbouring
    // subdomains are nearly dependent, and QR keeps the columns it needs.
    fbpinn::Solvers::LeastSquaresSettings solver;
    solver.name = "qr";
    TrilinosWrappers::MPI::Vector a(space.locally_owned_dofs(), comm);
    const auto report = fbpinn::Solvers::solve_least_squares(M, h, a, solver);
    AssertThrow(report.converged,
                ExcMessage("the least-squares solve did not converge"));
    TrilinosWrappers::MPI::Vector ghosted(space.locally_owned_dofs(),
                                          space.locally_relevant_dofs(),
                                          comm);
    ghosted = a;

    // u_h at the error points: FiniteBasisValues at those points.
    return relative_l2_error(
      triangulation,
      [&](const typename Triangulation<dim>::active_cell_iterator &cell,
          const std::vector<Point<dim>>                           &points,
          std::vector<double>                                     &u_h) {
        basis.reinit(cell, points, std::vector<double>(points.size(), 1.));
        for (unsigned int q = 0; q < points.size(); ++q)
          {
            u_h[q] = 0.;
            for (unsigned int i = 0; i < basis.dofs_per_cell(); ++i)
              u_h[q] +=
                ghosted(basis.get_dof_indices()[i]) * basis.shape_value(i, q);
          }
      });
  }
} // namespace Step1


/* @sect3{The main function}
 *
 * One mesh of 8 × 8 cells; FEM with Q1 and Q2, ELM-FBPINN with K = 8 and
 * K = 32 features per subdomain, each printed with its unknowns and its
 * error. */
int
main(int argc, char **argv)
{
  using namespace dealii;
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  const MPI_Comm                   comm = MPI_COMM_WORLD;
  ConditionalOStream               pcout(std::cout,
                           Utilities::MPI::this_mpi_process(comm) == 0);
  try
    {
      auto triangulation = fbpinn::create_triangulation<Step1::dim>(comm);
      GridGenerator::subdivided_hyper_cube(*triangulation, 8, 0., 1.);

      pcout << "method        unknowns  relative L2\n";
      for (const unsigned int degree : {1u, 2u})
        {
          types::global_dof_index n_dofs = 0;
          const double error = Step1::solve_fem(*triangulation, degree, n_dofs);
          pcout << "fem Q" << degree << "       " << std::setw(9) << n_dofs
                << "  " << std::scientific << std::setprecision(2) << error
                << std::defaultfloat << "\n";
        }
      for (const unsigned int K : {8u, 32u})
        {
          types::global_dof_index n_dofs = 0;
          const double error = Step1::solve_elm(*triangulation, K, 8, n_dofs);
          pcout << "elm K = " << std::setw(2) << K << "   " << std::setw(9)
                << n_dofs << "  " << std::scientific << std::setprecision(2)
                << error << std::defaultfloat << "\n";
        }
    }
  catch (const std::exception &e)
    {
      std::cerr << "step-1: " << e.what() << std::endl;
      return 1;
    }
  return 0;
}
