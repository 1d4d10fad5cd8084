#include <deal.II/grid/grid_generator.h>

#include <fbpinn/geometries/interface.h>
#include <fbpinn/plugins.h>

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
    }


    /**
     * The L-shaped domain of the ELM-FBPINN paper: [0,1]² without the quadrant
     * x, y > 1/2. The coarse mesh is the three cells of size 1/2, each cut
     * into Subdivisions² cells, so that refinement r gives cells of size
     * 2^−(r+1)/Subdivisions. Boundary id 0 everywhere.
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
  "size 1/2, each cut into Subdivisions² cells; boundary id 0.",
  2)
