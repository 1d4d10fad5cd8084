// Geometries (issue 15, item 3): the L-shape is the three cells of size 1/2
// cut into Subdivisions² cells with the upper right quadrant missing; a
// hyper-rectangle and a Gmsh mesh (parameter_files/meshes/
// square-with-hole.msh) carry the boundary ids of their faces and physical
// tags; fem converges at rate 3 with Q2 and elm reaches its bounds on the
// L-shape and on the Gmsh mesh (achieved numbers in the comments).

#include <deal.II/grid/tria.h>

#include <fbpinn/geometries/interface.h>
#include <fbpinn/plugins.h>

#include <cmath>
#include <set>

#include "test_config.h"
#include "tests.h"

namespace
{
  const std::string mesh_file = std::string(FBPINN_SOURCE_DIR) +
                                "/parameter_files/meshes/square-with-hole.msh";

  std::string
  geometry_prm(const std::string &method,
               const std::string &geometry,
               const std::string &geometry_entries,
               const unsigned int subdivisions,
               const unsigned int refinements,
               const unsigned int cycles,
               const std::string &settings)
  {
    std::ostringstream s;
    s << "set Dimension = 2\nset Method = " << method
      << "\nset Output directory = output-" << method << '-' << geometry
      << "\nset Number of refinement cycles = " << cycles
      << "\nset Write solution = false\n"
      << "subsection Problem\n  set Name = poisson\nend\n"
      << "subsection Geometry\n  set Name = " << geometry << "\n"
      << "  subsection " << geometry << "\n"
      << geometry_entries << "  end\nend\n"
      << "subsection Mesh\n  set Subdivisions = " << subdivisions
      << "\n  set Global refinements = " << refinements << "\nend\n"
      << settings;
    return s.str();
  }


  /** The coarse mesh of a registered geometry, with its entries set. */
  void
  coarse_mesh(const std::string        &name,
              dealii::Triangulation<2> &triangulation,
              const unsigned int        subdivisions,
              const std::string        &file = "")
  {
    const auto &registry =
      fbpinn::Plugins::Registry<fbpinn::Geometries::Interface>::instance();
    dealii::ParameterHandler prm;
    registry.get(name).declare_parameters(prm);
    if (!file.empty())
      prm.set("Mesh file", file);
    auto geometry = registry.create<2>(name);
    geometry->parse_parameters(prm, ".");
    geometry->create_coarse_mesh(triangulation, subdivisions);
    fbpinn_tests::check(name + ": n_coarse_cells() counts the cells",
                        geometry->n_coarse_cells(subdivisions) ==
                          triangulation.n_active_cells(),
                        std::to_string(triangulation.n_active_cells()));
  }


  void
  check_fem_and_elm(const std::string &geometry,
                    const std::string &entries,
                    const unsigned int subdivisions,
                    const unsigned int fem_refinements,
                    const unsigned int elm_refinements,
                    const double       elm_bound)
  {
    const auto fem = fbpinn_tests::run_prm(
      "fem.prm",
      geometry_prm("fem",
                   geometry,
                   entries,
                   subdivisions,
                   fem_refinements,
                   3,
                   "subsection FEM\n  set Polynomial degree = 2\nend\n"));
    const double rate = fbpinn_tests::last_l2_rate(fem);
    fbpinn_tests::check("fem on " + geometry + ": Q2 rate within 0.15 of 3",
                        std::abs(rate - 3.) <= 0.15,
                        fbpinn_tests::to_string(rate));
    const auto elm = fbpinn_tests::run_prm(
      "elm.prm",
      geometry_prm("elm",
                   geometry,
                   entries,
                   subdivisions,
                   elm_refinements,
                   1,
                   "subsection ELM\n  set Features per subdomain = 32\nend\n"
                   "subsection Linear solver\n  set Name = filtered-direct\n"
                   "end\n"));
    fbpinn_tests::check("elm on " + geometry + ": relative L2 <= " +
                          fbpinn_tests::to_string(elm_bound),
                        elm.back().errors.relative_l2 <= elm_bound,
                        fbpinn_tests::to_string(elm.back().errors.relative_l2));
  }
} // namespace


int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  fbpinn_tests::initlog();

  {
    dealii::Triangulation<2> l_shape;
    coarse_mesh("l-shape", l_shape, 3);
    double area            = 0;
    bool   outside_removed = true;
    for (const auto &cell : l_shape.active_cell_iterators())
      {
        area += cell->measure();
        outside_removed = outside_removed &&
                          !(cell->center()[0] > 0.5 && cell->center()[1] > 0.5);
      }
    fbpinn_tests::check("l-shape: 3·3² cells of size 1/6, area 3/4, none in "
                        "the quadrant x, y > 1/2",
                        l_shape.n_active_cells() == 27 &&
                          std::abs(area - 0.75) < 1e-14 && outside_removed &&
                          std::abs(l_shape.begin_active()->diameter() -
                                   std::sqrt(2.) / 6.) < 1e-14,
                        "");
  }
  {
    dealii::Triangulation<2> box;
    coarse_mesh("hyper-rectangle", box, 2);
    const auto ids = box.get_boundary_ids();
    fbpinn_tests::check("hyper-rectangle: boundary ids 0, 1, 2, 3",
                        std::set<dealii::types::boundary_id>(ids.begin(),
                                                             ids.end()) ==
                          std::set<dealii::types::boundary_id>{0, 1, 2, 3},
                        "");
  }
  {
    dealii::Triangulation<2> holed;
    coarse_mesh("gmsh", holed, 1, mesh_file);
    const auto ids = holed.get_boundary_ids();
    fbpinn_tests::check("gmsh: 8 cells, physical tags 1 and 2 as boundary ids",
                        holed.n_active_cells() == 8 &&
                          std::set<dealii::types::boundary_id>(ids.begin(),
                                                               ids.end()) ==
                            std::set<dealii::types::boundary_id>{1, 2},
                        "");
  }

  // Achieved: elm 5.3e-7 on the L-shape (2² · 4 · 3 cells), 8.5e-7 on the
  // Gmsh mesh refined once (32 cells), 4.7e-6 on [0,2] × [−1,1] (8² cells).
  check_fem_and_elm("l-shape", "", 2, 1, 1, 2e-6);
  check_fem_and_elm("gmsh",
                    "    set Mesh file = " + mesh_file + "\n",
                    1,
                    2,
                    1,
                    3e-6);
  check_fem_and_elm("hyper-rectangle",
                    "    set Lower corner = 0, -1\n"
                    "    set Upper corner = 2, 1\n",
                    2,
                    2,
                    2,
                    2e-5);

  // helmholtz-l-shape on its own L-shaped domain (no Geometry subsection),
  // with the ELM-FBPINN paper's configuration: published normalized L1
  // 1.3e-2; achieved 8.7e-3 (relative L2 1.2e-2).
  {
    const auto elm = fbpinn_tests::run_prm(
      "helmholtz.prm",
      "set Dimension = 2\nset Method = elm\nset Output directory = "
      "output-helmholtz\nset Write solution = false\n"
      "subsection Problem\n  set Name = helmholtz-l-shape\nend\n"
      "subsection Mesh\n  set Subdivisions = 8\n"
      "  set Global refinements = 0\nend\n"
      "subsection ELM\n  set Features per subdomain = 16\n"
      "  set Collocation points per direction = 5\n"
      "  set Overlap factor = 2.9\nend\n"
      "subsection Linear solver\n  set Name = filtered-direct\nend\n");
    const auto &m = elm.back();
    fbpinn_tests::check("elm on helmholtz-l-shape (192 subdomains): "
                        "normalized L1 <= 1.3e-2 (published)",
                        m.errors.normalized_l1 <= 1.3e-2 &&
                          m.n_subdomains == 192,
                        fbpinn_tests::to_string(m.errors.normalized_l1));
  }

  // A Gmsh mesh is used as it is.
  std::string message;
  try
    {
      fbpinn_tests::run_prm("bad.prm",
                            geometry_prm("fem",
                                         "gmsh",
                                         "    set Mesh file = " + mesh_file +
                                           "\n",
                                         2,
                                         0,
                                         1,
                                         ""));
    }
  catch (const std::exception &e)
    {
      message = e.what();
    }
  fbpinn_tests::check("gmsh with Subdivisions = 2 is a one-line error",
                      message.find("'Subdivisions' = 2") != std::string::npos &&
                        message.find('\n') == std::string::npos,
                      message);
}
