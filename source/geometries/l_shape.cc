#include <deal.II/grid/grid_generator.h>

#include <fbpinn/geometries/interface.h>
#include <fbpinn/plugins.h>

#include <cmath>

namespace fbpinn
{
  namespace Geometries
  {
    void
    create_l_shape(Triangulation<2>  &triangulation,
                   const unsigned int subdivisions)
    {
      const int s = subdivisions;
      GridGenerator::subdivided_hyper_L(triangulation,
                                        {2u * subdivisions, 2u * subdivisions},
                                        Point<2>(0., 0.),
                                        Point<2>(1., 1.),
                                        {-s, -s});
      // Boundary ids by side: 0 (x = 0), 1 (x = 1), 2 (y = 0), 3 (y = 1), and
      // on the re-entrant sides 4 (x = 1/2, y > 1/2) and 5 (y = 1/2,
      // x > 1/2).
      for (const auto &cell : triangulation.active_cell_iterators())
        for (const unsigned int f : cell->face_indices())
          if (cell->face(f)->at_boundary())
            {
              const Point<2>     c   = cell->face(f)->center();
              const double       tol = 1e-10;
              types::boundary_id id;
              if (std::abs(c[0]) < tol)
                id = 0;
              else if (std::abs(c[0] - 1.) < tol)
                id = 1;
              else if (std::abs(c[1]) < tol)
                id = 2;
              else if (std::abs(c[1] - 1.) < tol)
                id = 3;
              else if (std::abs(c[0] - 0.5) < tol)
                id = 4;
              else
                id = 5;
              cell->face(f)->set_boundary_id(id);
            }
    }


    /**
     * The L-shaped domain of the ELM-FBPINN paper: [0,1]² without the quadrant
     * x, y > 1/2. The coarse mesh is the three cells of size 1/2, each cut
     * into Subdivisions² cells, so that refinement r gives cells of size
     * 2^−(r+1)/Subdivisions. Boundary ids by side: 0 (x = 0), 1 (x = 1),
     * 2 (y = 0), 3 (y = 1), 4 (x = 1/2, y > 1/2), 5 (y = 1/2, x > 1/2).
     */
    template <int dim>
    class LShape : public Interface<dim>
    {
      static_assert(dim == 2, "the L-shape is a 2D domain");

    public:
      static void
      declare_parameters(ParameterHandler &)
      {}

      void
      create_coarse_mesh(Triangulation<dim> &triangulation,
                         const unsigned int  subdivisions) const override
      {
        create_l_shape(triangulation, subdivisions);
      }

      double
      n_coarse_cells(const unsigned int subdivisions) const override
      {
        return 3. * subdivisions * subdivisions;
      }
    };
  } // namespace Geometries
} // namespace fbpinn

FBPINN_REGISTER_GEOMETRY(
  fbpinn::Geometries::LShape,
  "l-shape",
  "The L-shaped domain [0,1]² without the quadrant x, y > 1/2: three cells of "
  "size 1/2, each cut into Subdivisions² cells; boundary ids 0 (x = 0), 1 "
  "(x = 1), 2 (y = 0), 3 (y = 1), 4 (x = 1/2, y > 1/2), 5 (y = 1/2, x > 1/2).",
  2)
