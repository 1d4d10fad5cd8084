#include <deal.II/base/utilities.h>

#include <fbpinn/methods/interface.h>
#include <fbpinn/parameters.h>
#include <fbpinn/plugins.h>
#include <fbpinn/problems/interface.h>

#include <dlfcn.h>
#include <filesystem>
#include <set>
#include <stdexcept>

namespace fbpinn
{
  using namespace dealii;

  namespace
  {
    void
    declare_shared_libraries_entry(ParameterHandler &prm)
    {
      prm.declare_entry(
        "Additional shared libraries",
        "",
        Patterns::List(Patterns::FileName()),
        "A comma-separated list of shared libraries (user plugins: problems, "
        "methods) to load before the rest of the file is read, so that the "
        "names they register can be used in it. A name without '/' is looked "
        "up by the dynamic loader (LD_LIBRARY_PATH); use ./libfoo.so for a "
        "library in the working directory.");
    }
  } // namespace


  void
  declare_parameters(ParameterHandler &prm)
  {
    prm.declare_entry("Dimension",
                      "2",
                      Patterns::Integer(1, 3),
                      "The space dimension: 1, 2 or 3.");
    const auto &methods = Plugins::Registry<Methods::Interface>::instance();
    prm.declare_entry("Method",
                      "fem",
                      Patterns::Selection(methods.selection_pattern()),
                      methods.documentation("discretisation method"));
    prm.declare_entry("Output directory",
                      "",
                      Patterns::FileName(Patterns::FileName::output),
                      "Where parameters.prm, metrics.json, solution.pvtu and "
                      "convergence.csv are written. Created if missing; an "
                      "existing directory is reused and nothing but these "
                      "files is touched. Empty: output/<name of the parameter "
                      "file without extension>.");
    prm.declare_entry("Number of refinement cycles",
                      "1",
                      Patterns::Integer(1, 20),
                      "1: one solve. n > 1: a refinement sweep of n solves, "
                      "each on the previous mesh refined once globally; writes "
                      "convergence.csv and prints observed convergence rates.");
    declare_shared_libraries_entry(prm);
    prm.declare_entry("Allow unconverged",
                      "false",
                      Patterns::Bool(),
                      "If false, a solve that does not converge (or gives a "
                      "non-finite solution) stops the run with a non-zero exit "
                      "code after metrics.json has recorded it. If true, the "
                      "run reports it and goes on.");
    prm.declare_entry("Write solution",
                      "true",
                      Patterns::Bool(),
                      "Write solution.pvtu (u, u_exact, error) after the last "
                      "cycle. Benchmarks switch it off.");

    prm.enter_subsection("Mesh");
    {
      prm.declare_entry("Subdivisions",
                        "1",
                        Patterns::Integer(1),
                        "Cells per direction of the coarse mesh, before "
                        "Global refinements.");
      prm.declare_entry("Global refinements",
                        "4",
                        Patterns::Integer(0, 30),
                        "How often the coarse mesh is refined globally; each "
                        "refinement halves the cell size.");
    }
    prm.leave_subsection();

    const auto &problems = Plugins::Registry<Problems::Interface>::instance();
    prm.enter_subsection("Problem");
    {
      prm.declare_entry("Name",
                        "multiscale-laplace",
                        Patterns::Selection(problems.selection_pattern()),
                        problems.documentation("problem to solve"));
      for (const std::string &name : problems.names())
        {
          prm.enter_subsection(name);
          problems.get(name).declare_parameters(prm);
          prm.leave_subsection();
        }
    }
    prm.leave_subsection();

    // Methods declare their own subsections; several dimensions of one method
    // share them, so each is declared once.
    for (const std::string &name : methods.names())
      methods.get(name).declare_parameters(prm);
  }


  GlobalParameters
  parse_global_parameters(ParameterHandler  &prm,
                          const std::string &parameter_file)
  {
    GlobalParameters p;
    p.dimension           = prm.get_integer("Dimension");
    p.method              = prm.get("Method");
    p.output_directory    = prm.get("Output directory");
    p.n_refinement_cycles = prm.get_integer("Number of refinement cycles");
    p.additional_shared_libraries =
      Utilities::split_string_list(prm.get("Additional shared libraries"));
    p.allow_unconverged = prm.get_bool("Allow unconverged");
    p.write_solution    = prm.get_bool("Write solution");
    prm.enter_subsection("Mesh");
    p.subdivisions       = prm.get_integer("Subdivisions");
    p.global_refinements = prm.get_integer("Global refinements");
    prm.leave_subsection();
    prm.enter_subsection("Problem");
    p.problem = prm.get("Name");
    prm.leave_subsection();

    if (p.output_directory.empty())
      p.output_directory =
        "output/" + std::filesystem::path(parameter_file).stem().string();
    return p;
  }


  std::vector<std::string>
  read_additional_shared_libraries(const std::string &parameter_file)
  {
    ParameterHandler prm;
    declare_shared_libraries_entry(prm);
    prm.parse_input(parameter_file, "", /*skip_undefined=*/true);
    return Utilities::split_string_list(prm.get("Additional shared libraries"));
  }


  void
  load_shared_libraries(const std::vector<std::string> &libraries,
                        const std::string              &parameter_file)
  {
    // A library is loaded once per process even if several runs name it.
    static std::set<std::string> loaded;
    for (const std::string &library : libraries)
      {
        if (loaded.count(library) > 0)
          continue;
        if (dlopen(library.c_str(), RTLD_LAZY | RTLD_GLOBAL) == nullptr)
          throw std::runtime_error(
            parameter_file +
            ": entry 'Additional shared libraries': cannot load '" + library +
            "': " + dlerror());
        loaded.insert(library);
      }
  }
} // namespace fbpinn
