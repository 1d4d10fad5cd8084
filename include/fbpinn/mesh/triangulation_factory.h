#pragma once

#include <deal.II/distributed/tria_base.h>

#include <memory>

namespace fbpinn
{
  /**
   * The parallel triangulation every method shares. In 2D and 3D a
   * parallel::distributed::Triangulation (p4est). p4est has no 1D, so in 1D a
   * parallel::shared::Triangulation, partitioned along the line (z-order),
   * which offers the same interface (locally owned cells, ghosts, CellId).
   */
  template <int dim>
  std::unique_ptr<dealii::parallel::TriangulationBase<dim>>
  create_triangulation(const MPI_Comm comm);
} // namespace fbpinn
