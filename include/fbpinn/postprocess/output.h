#pragma once

#include <deal.II/base/quadrature.h>
#include <deal.II/grid/tria.h>
#include <deal.II/numerics/data_out.h>

#include <fbpinn/postprocess/solution_evaluator.h>
#include <fbpinn/problems/interface.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace fbpinn
{
  /**
   * Sample u_h and u at the points of @p quadrature (which @p evaluator was
   * set up for) on every locally owned cell, gather them on rank 0 and write
   * `<filename>` as CSV with columns x[, y, z], u, u_exact, error, sorted by
   * the coordinates. Used for 1D runs, where a line plot says more than VTU.
   */
  template <int dim>
  void
  write_samples_csv(const dealii::Triangulation<dim> &triangulation,
                    const Problems::Interface<dim>   &problem,
                    const dealii::Quadrature<dim>    &quadrature,
                    SolutionEvaluator<dim>           &evaluator,
                    const std::string                &filename);

  /**
   * Gather the rows (t, x, u, u_exact) of every rank (@p rows, four numbers
   * each) on rank 0 and write `<filename>` as CSV with columns t, x, u,
   * u_exact, error, sorted by t and x: the solution of a time-dependent
   * problem in 1D at a few times, for line plots (`solution_slices.csv`).
   * Collective.
   */
  void
  write_slices_csv(const std::vector<double> &rows,
                   const std::string         &filename,
                   const MPI_Comm             comm);

  /**
   * The rows of write_slices_csv() for a space-time solution on the (x, t)
   * mesh @p triangulation (boxes, uniform along t): at each time of
   * @p times, 64 equally spaced samples per cell along x, from the
   * evaluators that @p create_evaluator makes for a quadrature.
   */
  std::vector<double>
  space_time_slices(const dealii::Triangulation<2>    &triangulation,
                    const Problems::Interface<2>      &problem,
                    const std::vector<double>         &times,
                    const std::function<std::unique_ptr<SolutionEvaluator<2>>(
                      const dealii::Quadrature<2> &)> &create_evaluator);

  /**
   * Write the patches of @p data_out as `<directory>/<basename>.pvtu` plus one
   * `<basename>.<rank>.vtu` per rank. Each file is written to a temporary name
   * and renamed, so an interrupted run never leaves a truncated file.
   */
  template <int dim>
  void
  write_pvtu(const dealii::DataOut<dim> &data_out,
             const std::string          &directory,
             const std::string          &basename,
             const MPI_Comm              comm);
} // namespace fbpinn
