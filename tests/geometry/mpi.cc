// 1 rank = 2 ranks on a Gmsh mesh (parameter_files/meshes/square-with-hole.msh,
// physical tags as boundary ids) and on the L-shape: fem and elm give the
// same relative L2 error on all ranks as alone.

#include <cmath>

#include "test_config.h"
#include "tests.h"

namespace
{
  void
  check(const std::string &method,
        const std::string &geometry,
        const std::string &settings)
  {
    const auto [parallel, serial] =
      fbpinn_tests::run_parallel_and_serial([&](const std::string &output) {
        return "set Dimension = 2\nset Method = " + method +
               "\nset Output directory = " + output +
               "\nset Write solution = false\n"
               "subsection Problem\n  set Name = poisson\nend\n"
               "subsection Geometry\n  set Name = " +
               geometry +
               "\n  subsection gmsh\n    set Mesh file = " FBPINN_SOURCE_DIR
               "/parameter_files/meshes/square-with-hole.msh\n  end\nend\n"
               "subsection Mesh\n  set Subdivisions = 1\n"
               "  set Global refinements = 2\nend\n" +
               settings;
      });
    const double difference =
      fbpinn_tests::relative_difference(parallel.errors.relative_l2,
                                        serial.errors.relative_l2);
    fbpinn_tests::check(method + " on " + geometry +
                          ": 2 ranks = 1 rank (relative L2 to 1e-8)",
                        difference <= 1e-8 && parallel.solver.converged,
                        fbpinn_tests::to_string(difference));
  }
} // namespace


int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  fbpinn_tests::initlog();
  for (const std::string geometry : {"gmsh", "l-shape"})
    {
      check("fem", geometry, "");
      check("elm",
            geometry,
            "subsection ELM\n  set Features per subdomain = 16\nend\n"
            "subsection Linear solver\n  set Name = qr\nend\n");
    }
}
