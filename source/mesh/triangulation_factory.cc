#include <deal.II/distributed/shared_tria.h>
#include <deal.II/distributed/tria.h>

#include <fbpinn/mesh/triangulation_factory.h>

namespace fbpinn
{
  template <int dim>
  std::unique_ptr<dealii::parallel::TriangulationBase<dim>>
  create_triangulation(const MPI_Comm comm)
  {
    using namespace dealii;
    if constexpr (dim == 1)
      return std::make_unique<parallel::shared::Triangulation<dim>>(
        comm,
        Triangulation<dim>::none,
        /*allow_artificial_cells=*/false,
        parallel::shared::Triangulation<dim>::partition_zorder);
    else
      return std::make_unique<parallel::distributed::Triangulation<dim>>(comm);
  }


  template std::unique_ptr<dealii::parallel::TriangulationBase<1>>
  create_triangulation<1>(const MPI_Comm);
  template std::unique_ptr<dealii::parallel::TriangulationBase<2>>
  create_triangulation<2>(const MPI_Comm);
  template std::unique_ptr<dealii::parallel::TriangulationBase<3>>
  create_triangulation<3>(const MPI_Comm);
} // namespace fbpinn
