#pragma once

#include <deal.II/base/parameter_handler.h>
#include <deal.II/base/point.h>
#include <deal.II/grid/tria.h>

#include <string>

namespace fbpinn
{
  /**
   * Geometries: plugins that build the coarse mesh of a domain and set its
   * boundary ids (`subsection Geometry`, `set Name = ...`, each geometry's
   * entries in a subsection of its name). Every method solves on the mesh the
   * geometry builds; a parameter file that does not set `Name` keeps the
   * problem's own domain (Problems::Interface::create_coarse_mesh).
   */
  namespace Geometries
  {
    using namespace dealii;

    /** The interface every geometry implements. */
    template <int dim>
    class Interface
    {
    public:
      virtual ~Interface() = default;

      /** Declare the geometry's entries; the caller has entered
       * `subsection Geometry / subsection <name>`. */
      static void
      declare_parameters(ParameterHandler &prm);

      /** Read them, from the same subsection. @p parameter_directory is the
       * directory of the parameter file (relative mesh files are found
       * there). */
      virtual void
      parse_parameters(ParameterHandler  &prm,
                       const std::string &parameter_directory);

      /**
       * Build the coarse mesh into the empty @p triangulation, with
       * @p subdivisions (`subsection Mesh`, `Subdivisions`) cells per unit
       * of the geometry's natural subdivision, and set the boundary ids.
       */
      virtual void
      create_coarse_mesh(Triangulation<dim> &triangulation,
                         const unsigned int  subdivisions) const = 0;

      /** The number of coarse cells create_coarse_mesh() makes (for the
       * resource estimate before the mesh exists). */
      virtual double
      n_coarse_cells(const unsigned int subdivisions) const = 0;
    };

    /**
     * The point of the list entry @p entry (one value per direction, at least
     * dim) of `subsection Geometry, subsection @p geometry`, which the caller
     * has entered; a one-line invalid_argument names the entry otherwise.
     */
    template <int dim>
    Point<dim>
    read_point(ParameterHandler  &prm,
               const std::string &geometry,
               const std::string &entry);

    /**
     * The L-shaped domain [0,1]² without the quadrant x, y > 1/2: 2S × 2S
     * cells of size 1/(2S) with the S × S of the upper right quadrant
     * removed (the `l-shape` geometry, and the domain of problems posed on
     * it). Boundary ids by side: 0 (x = 0), 1 (x = 1), 2 (y = 0), 3 (y = 1),
     * 4 (x = 1/2, y > 1/2), 5 (y = 1/2, x > 1/2).
     */
    void
    create_l_shape(Triangulation<2>  &triangulation,
                   const unsigned int subdivisions);
  } // namespace Geometries
} // namespace fbpinn

/** Register a geometry class template under @p name for the dimensions listed
 * after the description. */
#define FBPINN_REGISTER_GEOMETRY(classname, name, description, ...)          \
  namespace                                                                  \
  {                                                                          \
    const ::fbpinn::Plugins::                                                \
      Registration<::fbpinn::Geometries::Interface, classname, __VA_ARGS__>  \
        FBPINN_CONCAT(fbpinn_geometry_registration_, __LINE__)(name,         \
                                                               description); \
  }
