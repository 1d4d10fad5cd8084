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
     * The box [l_1, u_1] × … × [l_dim, u_dim] with `Subdivisions` cells per
     * direction; boundary ids 2d (the face x_d = l_d) and 2d + 1 (x_d = u_d),
     * as GridGenerator colourises them.
     */
    template <int dim>
    class HyperRectangle : public Interface<dim>
    {
    public:
      static void
      declare_parameters(ParameterHandler &prm)
      {
        prm.declare_entry("Lower corner",
                          "0, 0, 0",
                          Patterns::List(Patterns::Double(), 1, 3),
                          "The lower corner; the first 'Dimension' values "
                          "are used.");
        prm.declare_entry("Upper corner",
                          "1, 1, 1",
                          Patterns::List(Patterns::Double(), 1, 3),
                          "The upper corner, above the lower one in every "
                          "direction.");
      }

      void
      parse_parameters(ParameterHandler &prm, const std::string &) override
      {
        const auto read = [&](const std::string &entry) {
          return read_point<dim>(prm, "hyper-rectangle", entry);
        };
        lower = read("Lower corner");
        upper = read("Upper corner");
        for (int d = 0; d < dim; ++d)
          if (!(upper[d] > lower[d]) || !std::isfinite(upper[d] - lower[d]))
            throw std::invalid_argument(
              "subsection Geometry, subsection hyper-rectangle: 'Upper "
              "corner' must lie above 'Lower corner' in every direction "
              "(direction " +
              std::to_string(d) + ")");
      }

      void
      create_coarse_mesh(Triangulation<dim> &triangulation,
                         const unsigned int  subdivisions) const override
      {
        GridGenerator::subdivided_hyper_rectangle(
          triangulation,
          std::vector<unsigned int>(dim, subdivisions),
          lower,
          upper,
          /*colorize=*/true);
      }

      double
      n_coarse_cells(const unsigned int subdivisions) const override
      {
        return std::pow(double(subdivisions), dim);
      }

    private:
      Point<dim> lower, upper;
    };
  } // namespace Geometries
} // namespace fbpinn

FBPINN_REGISTER_GEOMETRY(
  fbpinn::Geometries::HyperRectangle,
  "hyper-rectangle",
  "The box between 'Lower corner' and 'Upper corner' with Subdivisions cells "
  "per direction; boundary ids 2d and 2d + 1 on the lower and upper faces "
  "in direction d.",
  1,
  2,
  3)
