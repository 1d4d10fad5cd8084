#pragma once

#include <deal.II/numerics/data_out.h>

#include <string>

namespace fbpinn
{
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
