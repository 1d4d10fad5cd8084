#pragma once

// The parameter file of a stokes run shared by the tests in this folder:
// 4² cells (2² refined once), fem Taylor–Hood of `Polynomial degree`
// @p degree with the direct solver, then @p extra (later entries win).

#include <sstream>
#include <string>

namespace fbpinn_tests
{
  inline std::string
  stokes_prm(const std::string &method,
             const std::string &output,
             const unsigned int degree,
             const unsigned int cycles,
             const std::string &extra = "")
  {
    std::ostringstream s;
    s << "set Dimension = 2\nset Method = " << method
      << "\nset Output directory = " << output
      << "\nset Number of refinement cycles = " << cycles
      << "\nset Write solution = false\n"
      << "subsection Problem\n  set Name = stokes\nend\n"
      << "subsection Mesh\n  set Subdivisions = 2\n"
      << "  set Global refinements = 1\nend\n"
      << "subsection FEM\n  set Polynomial degree = " << degree
      << "\n  set Solver = direct\nend\n"
      << extra;
    return s.str();
  }
} // namespace fbpinn_tests
