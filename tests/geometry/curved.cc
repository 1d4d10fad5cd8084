// Curved geometries (issue 15, item 3): the hyper-ball's boundary follows its
// spherical manifold, and fem uses a mapping of its elements' degree there.
// The test problem on the unit disk has the exact solution
// u = (1 − r²) exp(x/2 + 3y/10) (f derived from it) and the true data u = 0
// on the circle (not u* at the discrete boundary points), so a polygonal
// (Q1) boundary costs O(h²) and only the curved mapping keeps Q2's rate 3.
// elm and fbpinn collocate on the mapped cells and faces.

#include <fbpinn/plugins.h>
#include <fbpinn/problems/interface.h>

#include "tests.h"

namespace fbpinn_tests
{
  using namespace fbpinn;
  using namespace dealii;

  template <int dim>
  class DiskSource : public Problems::PdeProblem<dim, DiskSource<dim>>
  {
  public:
    static void
    declare_parameters(ParameterHandler &)
    {}

    bool
    is_linear() const override
    {
      return true;
    }

    template <typename Number>
    Number
    pde_operator(const Jet<dim, Number> &u) const
    {
      return -laplacian(u);
    }

    template <typename Number>
    Number
    solution(const std::array<Number, dim> &x) const
    {
      using std::exp;
      Number r2 = 0.;
      for (int d = 0; d < dim; ++d)
        r2 += x[d] * x[d];
      return (1. - r2) * exp(0.5 * x[0] + 0.3 * x[1]);
    }

    double
    dirichlet_value(const Point<dim> &) const override
    {
      return 0.;
    }
  };
} // namespace fbpinn_tests

FBPINN_REGISTER_PROBLEM_DIMS(
  fbpinn_tests::DiskSource,
  "test-disk-source",
  "−Δu = f on the unit disk, u = 0 on the circle (test).",
  2)

namespace
{
  std::string
  prm(const std::string &method,
      const unsigned int degree,
      const unsigned int cycles = 4)
  {
    return "set Dimension = 2\nset Method = " + method +
           "\nset Output directory = output-" + method +
           "\nset Number of refinement cycles = " + std::to_string(cycles) +
           "\n"
           "set Write solution = false\n"
           "subsection Problem\n  set Name = test-disk-source\nend\n"
           "subsection Geometry\n  set Name = hyper-ball\nend\n"
           "subsection Mesh\n  set Global refinements = 1\nend\n"
           "subsection FEM\n  set Polynomial degree = " +
           std::to_string(degree) + "\nend\n";
  }
} // namespace


int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  fbpinn_tests::initlog();

  // Achieved between the last two of 4 cycles (20 to 1280 cells): Q1 1.99;
  // Q2 2.83, still rising (2.56, 2.68, 2.83) towards 3; with a Q1 mapping
  // instead Q2 falls to 2.01 with errors 300 times larger.
  for (const unsigned int degree : {1u, 2u})
    {
      const auto   runs = fbpinn_tests::run_prm("fem.prm", prm("fem", degree));
      const double rate = fbpinn_tests::last_l2_rate(runs);
      const double expected = degree == 1 ? 1.9 : 2.7;
      fbpinn_tests::check("fem Q" + std::to_string(degree) +
                            " on the disk: L2 rate >= " +
                            fbpinn_tests::to_string(expected),
                          rate >= expected,
                          fbpinn_tests::to_string(rate));
    }

  // The hyper-shell (curved inside and out) with Neumann data on the inner
  // circle: poisson Q2 at rate 3 (achieved 2.97 from 10 to 160 cells).
  {
    const auto runs = fbpinn_tests::run_prm(
      "shell.prm",
      "set Dimension = 2\nset Method = fem\nset Output directory = "
      "output-shell\nset Number of refinement cycles = 3\n"
      "set Write solution = false\n"
      "subsection Problem\n  set Name = poisson\nend\n"
      "subsection Geometry\n  set Name = hyper-shell\nend\n"
      "subsection Boundary conditions\n  set Neumann boundary ids = 0\nend\n"
      "subsection Mesh\n  set Global refinements = 0\nend\n"
      "subsection FEM\n  set Polynomial degree = 2\nend\n");
    const double rate = fbpinn_tests::last_l2_rate(runs);
    fbpinn_tests::check("fem Q2 on the shell, Neumann inside: L2 rate >= 2.9",
                        rate >= 2.9,
                        fbpinn_tests::to_string(rate));
  }

  // elm and fbpinn place their points with a mapping of degree
  // Collocation::curved_mapping_degree on curved cells, and the subdomain
  // boxes hold the mapped cells. Achieved: elm (K = 32, 8² points) 2.1e-6
  // on 320 cells; fbpinn (8 units, 2000 Adam steps
  // at 1e-2) 3.0e-3 on 80 cells (5.6e-2 after 1000).
  {
    const auto runs = fbpinn_tests::run_prm(
      "elm.prm",
      prm("elm", 1, 3) + "subsection ELM\n  set Features per subdomain = 32\n"
                         "  set Collocation points per direction = 8\nend\n");
    fbpinn_tests::check("elm on the disk: relative L2 <= 1e-5 on 320 cells",
                        runs.back().errors.relative_l2 <= 1e-5,
                        fbpinn_tests::to_string(
                          runs.back().errors.relative_l2));
  }
  {
    const auto runs = fbpinn_tests::run_prm(
      "fbpinn.prm",
      prm("fbpinn", 1, 1) +
        "subsection FBPINN\n  set Collocation points per direction = 6\n"
        "end\nsubsection Network\n  set Hidden layers = 8\nend\n"
        "subsection Training\n  set Steps = 2000\n  set Learning rate = "
        "1e-2\n  set Progress interval = 0\nend\n");
    fbpinn_tests::check("fbpinn on the disk: relative L2 <= 1e-2 on 80 cells",
                        runs.back().errors.relative_l2 <= 1e-2,
                        fbpinn_tests::to_string(
                          runs.back().errors.relative_l2));
  }
}
