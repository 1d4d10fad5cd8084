#include <deal.II/grid/grid_in.h>

#include <fbpinn/geometries/interface.h>
#include <fbpinn/plugins.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace fbpinn
{
  namespace Geometries
  {
    /**
     * A mesh read from a Gmsh file (`Mesh file`, .msh, read by deal.II's
     * GridIn): quadrilaterals in 2D, hexahedra in 3D, straight-sided; the
     * physical tags of the boundary lines (faces) become boundary ids.
     * `Subdivisions` must be 1 (refine with 'Global refinements').
     */
    template <int dim>
    class Gmsh : public Interface<dim>
    {
    public:
      static void
      declare_parameters(ParameterHandler &prm)
      {
        prm.declare_entry("Mesh file",
                          "",
                          Patterns::Anything(),
                          "The Gmsh mesh (.msh); a relative path is taken "
                          "from the directory of the parameter file.");
      }

      void
      parse_parameters(ParameterHandler  &prm,
                       const std::string &parameter_directory) override
      {
        file = prm.get("Mesh file");
        if (file.empty())
          throw std::invalid_argument(
            "subsection Geometry, subsection gmsh: entry 'Mesh file' is "
            "empty; give the path of a .msh file");
        if (std::filesystem::path(file).is_relative())
          file = (std::filesystem::path(parameter_directory) / file).string();
        if (!std::ifstream(file))
          throw std::invalid_argument(
            "subsection Geometry, subsection gmsh: entry 'Mesh file' = '" +
            prm.get("Mesh file") + "': cannot open '" + file + "'");
      }

      void
      create_coarse_mesh(Triangulation<dim> &triangulation,
                         const unsigned int  subdivisions) const override
      {
        if (subdivisions != 1)
          throw std::invalid_argument(
            "subsection Mesh, entry 'Subdivisions' = " +
            std::to_string(subdivisions) +
            ": a Gmsh mesh is used as it is; set it to 1 and refine with "
            "'Global refinements'");
        GridIn<dim>   grid_in(triangulation);
        std::ifstream input(file);
        try
          {
            grid_in.read_msh(input);
          }
        catch (const std::exception &e)
          {
            throw std::invalid_argument(
              "subsection Geometry, subsection gmsh: '" + file +
              "' is not a mesh deal.II can read (quadrilaterals in 2D, "
              "hexahedra in 3D): " +
              std::string(e.what()).substr(0, 200));
          }
      }

      double
      n_coarse_cells(const unsigned int) const override
      {
        // Read once for the count; the meshes this reads are small.
        Triangulation<dim> coarse;
        create_coarse_mesh(coarse, 1);
        return coarse.n_active_cells();
      }

    private:
      std::string file;
    };
  } // namespace Geometries
} // namespace fbpinn

FBPINN_REGISTER_GEOMETRY(
  fbpinn::Geometries::Gmsh,
  "gmsh",
  "A straight-sided Gmsh mesh ('Mesh file', quadrilaterals or hexahedra); "
  "physical tags of boundary lines become boundary ids.",
  2,
  3)
