// Exact solutions are optional (issue 15, item 5): a problem without one
// (poisson-constant-source: −Δu = 1, u = 0) gives its forcing and data
// itself; errors are measured against a finer fem run (`subsection
// Reference solution`, `Type = fem`) or not at all (`auto` without an exact
// solution, or `none`: NaN, metrics.json null, the summary says so). A fem
// reference reproduces the errors against the exact solution where there is
// one.

#include <cmath>

#include "tests.h"

namespace
{
  std::string
  prm(const std::string &method,
      const std::string &problem,
      const std::string &output,
      const unsigned int cycles,
      const std::string &type,
      const std::string &extra = "")
  {
    return "set Dimension = 2\nset Method = " + method +
           "\nset Output directory = " + output +
           "\nset Number of refinement cycles = " + std::to_string(cycles) +
           "\nset Write solution = false\n"
           "subsection Problem\n  set Name = " +
           problem +
           "\nend\n"
           "subsection Mesh\n  set Subdivisions = 4\n"
           "  set Global refinements = 0\nend\n"
           "subsection FEM\n  set Polynomial degree = 1\nend\n"
           "subsection Reference solution\n  set Type = " +
           type + "\nend\n" + extra;
  }


} // namespace


int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  fbpinn_tests::initlog();

  // poisson, Q1 on 4² and 8² cells: the fem reference (Q3, 2 refinements
  // beyond the last cycle) gives the errors against the exact solution to
  // 1e-3 (achieved: 8.746e-2 and 2.203e-2 both ways, to 4 digits).
  {
    const auto exact =
      fbpinn_tests::run_prm("exact.prm",
                            prm("fem", "poisson", "output-exact", 2, "exact"));
    const auto fem =
      fbpinn_tests::run_prm("fem.prm",
                            prm("fem", "poisson", "output-fem", 2, "fem"));
    double worst = 0;
    for (unsigned int c = 0; c < 2; ++c)
      worst = std::max(
        {worst,
         fbpinn_tests::relative_difference(fem[c].errors.relative_l2,
                                           exact[c].errors.relative_l2),
         fbpinn_tests::relative_difference(fem[c].errors.h1_seminorm,
                                           exact[c].errors.h1_seminorm)});
    fbpinn_tests::check(
      "poisson: errors against the fem reference = against u* (to 1e-3)",
      worst <= 1e-3 && fem.back().error_reference == "fem" &&
        exact.back().error_reference == "exact",
      fbpinn_tests::to_string(worst));
  }

  // poisson-constant-source: Q1 converges at rate 2 against the reference
  // (achieved 1.99 between 8² and 16² cells).
  {
    const auto runs = fbpinn_tests::run_prm(
      "source.prm",
      prm("fem", "poisson-constant-source", "output-source", 3, "fem"));
    const double rate = fbpinn_tests::last_l2_rate(runs);
    fbpinn_tests::check("poisson-constant-source: fem Q1 L2 rate >= 1.9 "
                        "against the fem reference",
                        rate >= 1.9,
                        fbpinn_tests::to_string(rate));
  }

  // elm on 4² subdomains (filtered-direct, the default) against the fem
  // reference; achieved: 1.5e-4 (the corners' r² log r singularities of
  // −Δu = 1 limit it).
  {
    const auto runs = fbpinn_tests::run_prm(
      "elm.prm",
      prm("elm", "poisson-constant-source", "output-elm", 1, "fem"));
    fbpinn_tests::check("poisson-constant-source: elm relative L2 <= 1e-3 "
                        "against the fem reference",
                        runs.back().errors.relative_l2 <= 1e-3,
                        fbpinn_tests::to_string(
                          runs.back().errors.relative_l2));
  }

  // Without an exact solution and a reference, no errors: NaN, and the run
  // still succeeds (and fails when u_h is not finite, which needs no error).
  for (const std::string type : {"auto", "none"})
    {
      const auto runs = fbpinn_tests::run_prm(
        "none.prm",
        prm("fem", "poisson-constant-source", "output-none", 1, type));
      fbpinn_tests::check("poisson-constant-source, Type = " + type +
                            ": no errors (NaN), reference 'none'",
                          std::isnan(runs.back().errors.relative_l2) &&
                            std::isnan(runs.back().errors.l2) &&
                            runs.back().error_reference == "none" &&
                            runs.back().solver.converged,
                          runs.back().error_reference);
    }
  {
    const auto runs =
      fbpinn_tests::run_prm("poisson-none.prm",
                            prm("fem", "poisson", "output-none", 1, "none"));
    fbpinn_tests::check("poisson, Type = none: no errors though u* exists",
                        std::isnan(runs.back().errors.relative_l2) &&
                          runs.back().error_reference == "none",
                        runs.back().error_reference);
  }

  fbpinn_tests::refused(
    "Type = exact without an exact solution",
    prm("fem", "poisson-constant-source", "output-refused", 1, "exact"),
    "has no exact solution; use 'fem'");
  // A system: stokes by elm (K = 32 per field on 4² subdomains) against a
  // fem reference (Taylor–Hood Q3/Q2, 2 refinements beyond) gives every
  // field's error against u* to 5% (the reference's own error is far
  // below elm's; achieved: velocity within 1%, pressure 0.1%).
  {
    const std::string elm =
      "subsection FEM\n  set Solver = direct\n  set Polynomial degree = 2\n"
      "end\nsubsection ELM\n  set Features per subdomain = 32\n"
      "  set Collocation points per direction = 8\nend\n";
    const auto exact =
      fbpinn_tests::run_prm(
        "stokes-exact.prm",
        prm("elm", "stokes", "output-stokes-exact", 1, "exact", elm))
        .back();
    const auto fem = fbpinn_tests::run_prm(
                       "stokes-fem.prm",
                       prm("elm", "stokes", "output-stokes-fem", 1, "fem", elm))
                       .back();
    double worst = 0;
    for (unsigned int f = 0; f < 3; ++f)
      worst = std::max(worst,
                       fbpinn_tests::relative_difference(
                         fem.field_errors.at(f).second.relative_l2,
                         exact.field_errors.at(f).second.relative_l2));
    fbpinn_tests::check(
      "stokes: elm's errors of every field against the fem reference = "
      "against u* (to 5%)",
      fem.error_reference == "fem" && fem.field_errors.size() == 3 &&
        worst <= 0.05,
      fbpinn_tests::to_string(worst));
  }
  fbpinn_tests::refused(
    "a fem reference for a time-dependent problem",
    "set Dimension = 1\nset Method = elm\nset Output directory = "
    "output-refused\nsubsection Problem\n  set Name = heat\nend\n"
    "subsection Mesh\n  set Subdivisions = 2\n  set Time subdivisions = 2\n"
    "  set Global refinements = 0\nend\n"
    "subsection Reference solution\n  set Type = fem\nend\n",
    "for a time-dependent problem is not implemented");
}
