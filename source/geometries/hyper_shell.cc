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
     * The shell between the spheres of radii `Inner radius` and `Outer
     * radius` around `Center`: deal.II's hyper_shell with `Subdivisions`
     * (subsection Mesh) coarse cells around, 1 meaning deal.II's own choice
     * (by the radii's ratio), a spherical manifold everywhere; boundary ids 0
     * (inner) and 1 (outer). Curved: fem only so far.
     */
    template <int dim>
    class HyperShell : public Interface<dim>
    {
    public:
      static void
      declare_parameters(ParameterHandler &prm)
      {
        prm.declare_entry("Center",
                          "0, 0, 0",
                          Patterns::List(Patterns::Double(), 1, 3),
                          "The centre; the first 'Dimension' values are used.");
        prm.declare_entry("Inner radius",
                          "0.5",
                          Patterns::Double(0.),
                          "The inner radius, > 0.");
        prm.declare_entry("Outer radius",
                          "1",
                          Patterns::Double(0.),
                          "The outer radius, > the inner one.");
      }

      void
      parse_parameters(ParameterHandler &prm, const std::string &) override
      {
        const std::string section = "subsection Geometry, subsection "
                                    "hyper-shell, entry ";
        center = read_point<dim>(prm, "hyper-shell", "Center");
        inner  = prm.get_double("Inner radius");
        outer  = prm.get_double("Outer radius");
        if (!(inner > 0.) || !(outer > inner) || !std::isfinite(outer))
          throw std::invalid_argument(
            section + "'Inner radius' = " + prm.get("Inner radius") +
            " and 'Outer radius' = " + prm.get("Outer radius") +
            ": give 0 < inner < outer");
      }

      void
      create_coarse_mesh(Triangulation<dim> &triangulation,
                         const unsigned int  subdivisions) const override
      {
        // Subdivisions = 1 (the default) means deal.II's own count.
        GridGenerator::hyper_shell(triangulation,
                                   center,
                                   inner,
                                   outer,
                                   subdivisions == 1 ? 0 : subdivisions,
                                   /*colorize=*/true);
      }

      double
      n_coarse_cells(const unsigned int subdivisions) const override
      {
        // deal.II chooses the count itself for 0: build the coarse mesh once
        // (a few cells) and count.
        Triangulation<dim> coarse;
        create_coarse_mesh(coarse, subdivisions);
        return coarse.n_active_cells();
      }

    private:
      Point<dim> center;
      double     inner = 0.5, outer = 1.;
    };
  } // namespace Geometries
} // namespace fbpinn

FBPINN_REGISTER_GEOMETRY(
  fbpinn::Geometries::HyperShell,
  "hyper-shell",
  "The shell between the spheres of 'Inner radius' and 'Outer radius' around "
  "'Center' (Subdivisions cells around; 1: deal.II's default), curved "
  "(spherical manifold), boundary ids 0 (inner) and 1 (outer). fem only so "
  "far.",
  2,
  3)
