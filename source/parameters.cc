#include <deal.II/base/utilities.h>

#include <fbpinn/geometries/interface.h>
#include <fbpinn/methods/interface.h>
#include <fbpinn/parameters.h>
#include <fbpinn/plugins.h>
#include <fbpinn/postprocess/reference_solution.h>
#include <fbpinn/problems/interface.h>
#include <fbpinn/solvers/nonlinear.h>

#include <boost/property_tree/json_parser.hpp>
#include <boost/property_tree/ptree.hpp>
#include <dlfcn.h>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
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
    const std::vector<std::string> clashes =
      Plugins::take_registration_errors();
    if (!clashes.empty())
      throw std::logic_error(clashes.front());
    prm.declare_entry("Dimension",
                      "2",
                      Patterns::Integer(1, 3),
                      "The space dimension: 1, 2 or 3 (of the spatial "
                      "domain: a time-dependent problem, solved in "
                      "space-time, has one dimension more).");
    prm.declare_entry("End time",
                      "1",
                      Patterns::Double(0.),
                      "T: a time-dependent problem is solved on [0, T] "
                      "(ignored by steady problems).");
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
                      "files is touched. A run writes into its own "
                      "run-<id>.partial directory there and moves the files "
                      "into place only when it has succeeded (metrics.json, "
                      "which lists them, last), replacing the previous run's "
                      "set; a failed run leaves that set as it was. Empty: "
                      "output/<name of the parameter file without "
                      "extension>.");
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
    prm.declare_entry("Memory limit",
                      "0",
                      Patterns::Double(0.),
                      "The memory, in MiB summed over all ranks, that a run "
                      "may use. Before the mesh is built, the run estimates "
                      "from the cell count what the method needs at least "
                      "(matrix entries, network parameters) and stops with "
                      "an error if that exceeds this limit. 0: the memory "
                      "available on the machines of the run (MemAvailable, "
                      "summed over the nodes).");
    prm.declare_entry("Write solution",
                      "true",
                      Patterns::Bool(),
                      "Write solution.pvtu (u, u_exact, error) after the last "
                      "cycle. Benchmarks switch it off.");
    prm.declare_entry("Point values",
                      "",
                      Patterns::Anything(),
                      "Points 'x, y; x, y; ...' in the coordinates of the "
                      "mesh (t last for a time-dependent problem) where "
                      "every field of u_h and its gradient (in space for a "
                      "time-dependent problem) are evaluated after the last "
                      "cycle, beside the exact solution, into metrics.json "
                      "(point_values). fem on a time-dependent problem: t "
                      "must be a time it keeps (0, End time, the output "
                      "times of 'Output interval').");

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
      prm.declare_entry("Time subdivisions",
                        "8",
                        Patterns::Integer(1),
                        "Cells along t of the coarse space-time mesh of a "
                        "time-dependent problem, before Global refinements "
                        "(the spatial directions have Subdivisions).");
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

    const auto &geometries =
      Plugins::Registry<Geometries::Interface>::instance();
    prm.enter_subsection("Geometry");
    {
      prm.declare_entry(
        "Name",
        "problem-default",
        Patterns::Selection("problem-default|" +
                            geometries.selection_pattern()),
        "problem-default: the problem's own domain (the unit cube "
        "[0,1]^dim for most problems, [−2π, 2π] for cos-ode). " +
          geometries.documentation("domain (coarse mesh and boundary ids)"));
      for (const std::string &name : geometries.names())
        {
          prm.enter_subsection(name);
          geometries.get(name).declare_parameters(prm);
          prm.leave_subsection();
        }
    }
    prm.leave_subsection();

    Problems::BoundaryConditions::declare_parameters(prm);
    ReferenceSettings::declare_parameters(prm);
    Solvers::NonlinearSettings::declare_parameters(prm);

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
    p.point_values      = prm.get("Point values");
    p.memory_limit_mb   = prm.get_double("Memory limit");
    prm.enter_subsection("Mesh");
    p.subdivisions       = prm.get_integer("Subdivisions");
    p.global_refinements = prm.get_integer("Global refinements");
    p.time_subdivisions  = prm.get_integer("Time subdivisions");
    prm.leave_subsection();
    p.end_time = prm.get_double("End time");
    prm.enter_subsection("Problem");
    p.problem = prm.get("Name");
    prm.leave_subsection();
    prm.enter_subsection("Geometry");
    p.geometry = prm.get("Name");
    prm.leave_subsection();

    if (p.output_directory.empty())
      p.output_directory =
        "output/" + std::filesystem::path(parameter_file).stem().string();
    return p;
  }


  namespace
  {
    /**
     * Set the entries of one JSON object, and recursively its subsections,
     * naming the entry path in every error. ParameterHandler's own JSON
     * reader reports neither the path nor arrays, duplicate keys, or a
     * subsection given as a value.
     */
    void
    set_json_entries(ParameterHandler                  &prm,
                     const boost::property_tree::ptree &node,
                     std::vector<std::string>          &path,
                     const bool                         skip_undefined)
    {
      std::set<std::string> seen;
      for (const auto &[key, child] : node)
        {
          std::string where;
          for (const std::string &p : path)
            where += p + " / ";
          where += key;
          if (key.empty())
            throw std::runtime_error(
              "an array in " + (path.empty() ? "the top level" : where) +
              ": give each entry as \"name\": \"value\" and each "
              "subsection as an object; a list is one string, e.g. "
              "\"32,32\"");
          if (!seen.insert(key).second)
            throw std::runtime_error("'" + where +
                                     "' is given twice; keep one of them");
          path.push_back(key);
          // Relative to the subsection entered last.
          const bool is_subsection = prm.subsection_path_exists({key});
          if (!child.empty())
            {
              if (child.front().first.empty())
                throw std::runtime_error(
                  "'" + where +
                  "' is an array; give a list as one string, e.g. \"32,32\"");
              if (is_subsection)
                {
                  prm.enter_subsection(key);
                  set_json_entries(prm, child, path, skip_undefined);
                  prm.leave_subsection();
                }
              else if (!skip_undefined)
                throw std::runtime_error(
                  "'" + where +
                  "' is not a subsection (an entry takes a string, not an "
                  "object; fbpinn --print-parameters=json lists every "
                  "entry)");
            }
          else if (is_subsection)
            throw std::runtime_error("'" + where +
                                     "' is a subsection; give it as an "
                                     "object { ... }, not as the value '" +
                                     child.data() + "'");
          else
            try
              {
                prm.set(key, child.data());
              }
            catch (const ParameterHandler::ExcEntryUndeclared &)
              {
                if (!skip_undefined)
                  throw std::runtime_error(
                    "there is no entry '" + where +
                    "' (fbpinn --print-parameters=json lists every entry)");
              }
            catch (const ExceptionBase &e)
              {
                std::ostringstream text;
                e.print_info(text);
                throw std::runtime_error("entry '" + where +
                                         "': " + text.str());
              }
          path.pop_back();
        }
    }
  } // namespace


  void
  parse_parameter_file(ParameterHandler  &prm,
                       const std::string &parameter_file,
                       const bool         skip_undefined)
  {
    const std::filesystem::path path(parameter_file);
    std::error_code             error;
    if (std::filesystem::is_directory(path, error))
      throw std::runtime_error(
        "'" + parameter_file +
        "' is a directory; give a parameter file (.prm or .json) in it");
    std::ifstream in(parameter_file, std::ios::binary);
    if (!in)
      throw std::runtime_error("cannot open the parameter file '" +
                               parameter_file +
                               "': check the path (run 'fbpinn --help' for "
                               "usage)");
    std::ostringstream buffer;
    buffer << in.rdbuf();
    std::string text = buffer.str();
    if (text.find('\0') != std::string::npos)
      throw std::runtime_error(parameter_file +
                               ": this is not a text file (it contains NUL "
                               "bytes); give a .prm or .json parameter file");
    // Editors on Windows start UTF-8 files with a byte-order mark, which
    // ParameterHandler would read as part of the first entry's name.
    const std::string bom = "\xEF\xBB\xBF";
    if (text.compare(0, bom.size(), bom) == 0)
      text.erase(0, bom.size());

    std::istringstream stream(text);
    if (path.extension() == ".json")
      {
        boost::property_tree::ptree tree;
        try
          {
            boost::property_tree::read_json(stream, tree);
          }
        catch (const boost::property_tree::json_parser_error &e)
          {
            throw std::runtime_error("line " + std::to_string(e.line()) +
                                     ": not valid JSON: " + e.message());
          }
        std::vector<std::string> subsections;
        set_json_entries(prm, tree, subsections, skip_undefined);
      }
    else
      prm.parse_input(stream, parameter_file, "", skip_undefined);
  }


  std::vector<std::string>
  read_additional_shared_libraries(const std::string &parameter_file)
  {
    ParameterHandler prm;
    declare_shared_libraries_entry(prm);
    parse_parameter_file(prm, parameter_file, /*skip_undefined=*/true);
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
        const std::vector<std::string> clashes =
          Plugins::take_registration_errors();
        if (!clashes.empty())
          throw std::runtime_error(
            parameter_file +
            ": entry 'Additional shared libraries': " + clashes.front());
      }
  }
} // namespace fbpinn
