#include <deal.II/base/utilities.h>
#include <deal.II/grid/grid_generator.h>

#include <fbpinn/geometries/interface.h>
#include <fbpinn/plugins.h>

#include <cmath>
#include <stdexcept>
#include <vector>

namespace fbpinn
{
  namespace Geometries
  {
    /**
     * The ball of radius `Radius` around `Center`: deal.II's hyper_ball
     * (5 cells in 2D, 7 in 3D), a spherical manifold on the boundary and a
     * transfinite interpolation inside, so that refinement follows the
     * circle; boundary id 0. fem uses a mapping of its elements' degree on
     * it, the collocation methods one of degree 3.
     */
    template <int dim>
    class HyperBall : public Interface<dim>
    {
    public:
      static void
      declare_parameters(ParameterHandler &prm)
      {
        prm.declare_entry("Center",
                          "0, 0, 0",
                          Patterns::List(Patterns::Double(), 1, 3),
                          "The centre; the first 'Dimension' values are used.");
        prm.declare_entry("Radius",
                          "1",
                          Patterns::Double(0.),
                          "The radius, > 0.");
      }

      void
      parse_parameters(ParameterHandler &prm, const std::string &) override
      {
        center = read_point<dim>(prm, "hyper-ball", "Center");
        radius = prm.get_double("Radius");
        if (!(radius > 0.) || !std::isfinite(radius))
          throw std::invalid_argument(
            "subsection Geometry, subsection hyper-ball, entry 'Radius' must "
            "be positive and finite (it is " +
            prm.get("Radius") + ")");
      }

      void
      create_coarse_mesh(Triangulation<dim> &triangulation,
                         const unsigned int  subdivisions) const override
      {
        if (subdivisions != 1)
          throw std::invalid_argument(
            "subsection Mesh, entry 'Subdivisions' = " +
            std::to_string(subdivisions) +
            ": the hyper-ball's coarse mesh is fixed (" +
            std::to_string(dim == 2 ? 5 : 7) +
            " cells); set it to 1 and refine with 'Global refinements'");
        GridGenerator::hyper_ball(triangulation, center, radius);
      }

      double
      n_coarse_cells(const unsigned int) const override
      {
        return dim == 2 ? 5. : 7.;
      }

    private:
      Point<dim> center;
      double     radius = 1.;
    };
  } // namespace Geometries
} // namespace fbpinn

FBPINN_REGISTER_GEOMETRY(
  fbpinn::Geometries::HyperBall,
  "hyper-ball",
  "The ball of radius 'Radius' around 'Center' (5 coarse cells in 2D, 7 in "
  "3D; Subdivisions = 1), curved boundary (spherical manifold), boundary id "
  "0. fem only so far (a mapping of the elements' degree).",
  2,
  3)
