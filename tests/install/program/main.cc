// A program outside the source tree that uses the installed library: the
// finite-basis space on a p4est mesh (Σψ = 1 at every cell's vertices and
// centre) and a whole run of a parameter file through fbpinn::run().
//
// Usage: fbpinn-install-program FILE.prm

#include <deal.II/base/mpi.h>
#include <deal.II/grid/grid_generator.h>

#include <fbpinn/basis/finite_basis_values.h>
#include <fbpinn/driver.h>
#include <fbpinn/mesh/triangulation_factory.h>
#include <fbpinn/version.h>

#include <algorithm>
#include <cmath>
#include <iostream>

int
main(int argc, char **argv)
{
  using namespace dealii;
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  if (argc != 2)
    {
      std::cerr << "Usage: fbpinn-install-program FILE.prm\n";
      return 1;
    }
  try
    {
      constexpr int dim  = 2;
      auto triangulation = fbpinn::create_triangulation<dim>(MPI_COMM_WORLD);
      GridGenerator::subdivided_hyper_cube(*triangulation, 4, 0., 1.);
      triangulation->refine_global(1);

      fbpinn::FiniteBasisSpace<dim>::Settings settings;
      settings.n_features = 8;
      fbpinn::FiniteBasisSpace<dim> space;
      space.reinit(*triangulation, settings);
      fbpinn::FiniteBasisValues<dim> values(space);

      double worst = 0.;
      for (const auto &cell : triangulation->active_cell_iterators())
        if (cell->is_locally_owned())
          {
            std::vector<Point<dim>> points{cell->center()};
            for (const unsigned int v : cell->vertex_indices())
              points.push_back(cell->vertex(v));
            values.reinit(cell, points, std::vector<double>(points.size(), 1.));
            for (unsigned int q = 0; q < points.size(); ++q)
              worst = std::max(worst,
                               std::abs(values.partition_of_unity_sum(q) - 1.));
          }
      worst = Utilities::MPI::max(worst, MPI_COMM_WORLD);

      const auto cycles = fbpinn::run(argv[1], MPI_COMM_WORLD, std::cout);
      if (Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
        std::cout << "fbpinn " << fbpinn::version << ": " << space.n_dofs()
                  << " basis functions, max |sum psi - 1| = " << worst
                  << "; relative L2 = " << cycles.back().errors.relative_l2
                  << std::endl;
    }
  catch (const std::exception &e)
    {
      std::cerr << "fbpinn-install-program: " << e.what() << std::endl;
      return 1;
    }
  return 0;
}
