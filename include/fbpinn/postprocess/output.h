#pragma once

#include <deal.II/base/quadrature.h>
#include <deal.II/grid/tria.h>
#include <deal.II/numerics/data_out.h>

#include <fbpinn/postprocess/solution_evaluator.h>
#include <fbpinn/problems/interface.h>

#include <string>

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
