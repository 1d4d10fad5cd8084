// Problems with several fields (issue 15, item 1): fem solves the Stokes
// system with Taylor–Hood elements Q_{p+1}/Q_p at the optimal rates (velocity
// p + 2, pressure p + 1 in L2, the pressure compared up to its mean), on the
// unit square and on the L-shape; metrics.json gives each field's errors;
// elm solves it with K features per field per subdomain (fbpinn and pinn:
// networks.cc); a solver that does not treat systems says so in one line.

#include <deal.II/base/parameter_handler.h>

#include <fbpinn/plugins.h>
#include <fbpinn/problems/interface.h>

#include <cmath>
#include <fstream>

#include "stokes_prm.h"
#include "tests.h"

namespace
{
  using fbpinn_tests::stokes_prm;


  void
  taylor_hood_rates(const unsigned int degree,
                    const unsigned int cycles,
                    const std::string &geometry)
  {
    const std::string name = "stokes-q" + std::to_string(degree + 1) + "q" +
                             std::to_string(degree) + "-" + geometry;
    const auto runs = fbpinn_tests::run_prm(
      name + ".prm",
      stokes_prm("fem",
                 "output-" + name,
                 degree,
                 cycles,
                 geometry == "l-shape" ?
                   "subsection Geometry\n  set Name = l-shape\nend\n" :
                   ""));
    const auto &last = runs.back();
    fbpinn_tests::check(name + ": fields u_x, u_y, p in errors.fields",
                        last.field_errors.size() == 3 &&
                          last.field_errors[0].first == "u_x" &&
                          last.field_errors[1].first == "u_y" &&
                          last.field_errors[2].first == "p",
                        std::to_string(last.field_errors.size()));
    // Velocity of degree p + 1: rate p + 2; pressure of degree p: rate p + 1.
    // Achieved between the last two cycles (relative L2 of the velocity and
    // the pressure at the last): unit square p = 1, 4 cycles from 4² cells:
    // 3.00 and 2.30 (5.0e-5, 5.2e-4); p = 2, 3 cycles: 3.98 and 3.69
    // (9.1e-6, 1.0e-4); L-shape p = 1, 4 cycles from 48 cells: 3.00 and 2.08
    // (6.3e-6, 1.3e-4).
    for (unsigned int f = 0; f < 3; ++f)
      {
        const double rate     = fbpinn_tests::last_field_l2_rate(runs, f);
        const double expected = f < 2 ? degree + 2. : degree + 1.;
        fbpinn_tests::check(name + ": L2 rate of " +
                              last.field_errors[f].first +
                              " >= " + fbpinn_tests::to_string(expected - 0.1),
                            rate >= expected - 0.1,
                            fbpinn_tests::to_string(rate));
      }
    // The total is the root of the summed squares.
    double sum = 0;
    for (const auto &field : last.field_errors)
      sum += field.second.l2 * field.second.l2;
    fbpinn_tests::check(name + ": errors.l2 = sqrt(sum of the fields' l2^2)",
                        std::abs(std::sqrt(sum) - last.errors.l2) <=
                          1e-12 * last.errors.l2,
                        fbpinn_tests::to_string(last.errors.l2));
  }


} // namespace


int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  fbpinn_tests::initlog();

  taylor_hood_rates(1, 4, "square");
  taylor_hood_rates(2, 3, "square");
  taylor_hood_rates(1, 4, "l-shape");

  // A scalar problem reports its one field as 'u', with the total's norms.
  {
    const auto runs = fbpinn_tests::run_prm(
      "poisson.prm",
      "set Dimension = 2\nset Method = fem\nset Output directory = "
      "output-poisson\nset Write solution = false\n"
      "subsection Problem\n  set Name = poisson\nend\n");
    const auto &last = runs.back();
    fbpinn_tests::check("poisson: errors.fields.u = errors",
                        last.field_errors.size() == 1 &&
                          last.field_errors[0].first == "u" &&
                          last.field_errors[0].second.l2 == last.errors.l2 &&
                          last.field_errors[0].second.normalized_l1 ==
                            last.errors.normalized_l1,
                        std::to_string(last.field_errors.size()));
  }

  // elm: K features per field per subdomain, one block of 3K columns per
  // subdomain for filtered-direct. Achieved on 4² subdomains, 12² points:
  // K = 64: velocity 4.6e-7, pressure 1.1e-4 (all fields 2.8e-5); K = 32:
  // 7.4e-5 and 1.1e-2 (the pressure, compared up to its mean, is the
  // harder field).
  {
    const auto runs = fbpinn_tests::run_prm(
      "stokes-elm.prm",
      stokes_prm("elm",
                 "output-stokes-elm",
                 1,
                 1,
                 "subsection Mesh\n  set Subdivisions = 4\n"
                 "  set Global refinements = 0\nend\n"
                 "subsection ELM\n  set Features per subdomain = 64\n"
                 "  set Collocation points per direction = 12\nend\n"
                 "subsection Linear solver\n  set Name = filtered-direct\n"
                 "end\n"));
    const auto &last = runs.back();
    fbpinn_tests::check("elm stokes: velocity relative L2 <= 2e-6",
                        last.field_errors.at(0).second.relative_l2 <= 2e-6 &&
                          last.field_errors.at(1).second.relative_l2 <= 2e-6,
                        fbpinn_tests::to_string(
                          last.field_errors.at(0).second.relative_l2));
    fbpinn_tests::check("elm stokes: pressure relative L2 <= 4e-4",
                        last.field_errors.at(2).second.relative_l2 <= 4e-4,
                        fbpinn_tests::to_string(
                          last.field_errors.at(2).second.relative_l2));
    fbpinn_tests::check("elm stokes: 3 x 16 x 64 unknowns",
                        last.n_dofs == 3 * 16 * 64,
                        std::to_string(last.n_dofs));
  }

  fbpinn_tests::refused("cg-amg on stokes",
                        stokes_prm("fem", "output-refused", 1, 1) +
                          "subsection FEM\n  set Solver = cg-amg\nend\n",
                        "set Solver = direct");
}
