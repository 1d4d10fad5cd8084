#pragma once

#include <deal.II/base/parameter_handler.h>

#include <string>
#include <vector>

namespace fbpinn
{
  /** The top-level entries of a parameter file (those not owned by a plugin).
   */
  struct GlobalParameters
  {
    unsigned int dimension = 2;
    std::string  method;
    std::string  problem;
    /** `subsection Geometry`, `Name`; "problem-default": the problem's. */
    std::string              geometry = "problem-default";
    std::string              output_directory;
    unsigned int             n_refinement_cycles = 1;
    std::vector<std::string> additional_shared_libraries;
    unsigned int             subdivisions       = 1;
    unsigned int             global_refinements = 4;
    /** `subsection Mesh`, `Time subdivisions`: cells along t of a
     * space-time mesh. */
    unsigned int time_subdivisions = 8;
    /** `End time`: T of a time-dependent problem. */
    double end_time          = 1.;
    bool   allow_unconverged = false;
    bool   write_solution    = true;
    /** `Point values`: points where u_h and ∇u_h go to metrics.json. */
    std::string point_values;
    /** MiB over all ranks; 0: what the machines have available. */
    double memory_limit_mb = 0;
  };

  /**
   * Declare every entry: the global ones, `subsection Mesh`, the problem
   * selection with every registered problem's entries under
   * `subsection Problem / subsection <name>`, and every registered method's
   * entries. Plugins must be loaded before, so that their names exist.
   */
  void
  declare_parameters(dealii::ParameterHandler &prm);

  /**
   * Read the global entries. @p parameter_file gives the default output
   * directory `output/<file name without extension>`.
   */
  GlobalParameters
  parse_global_parameters(dealii::ParameterHandler &prm,
                          const std::string        &parameter_file);

  /**
   * Parse @p parameter_file (.prm, or .json by its extension) into @p prm:
   * a UTF-8 byte-order mark is skipped; a directory, an unreadable file or a
   * binary file is an error that says so.
   */
  void
  parse_parameter_file(dealii::ParameterHandler &prm,
                       const std::string        &parameter_file,
                       const bool                skip_undefined = false);

  /**
   * Read only `Additional shared libraries` from @p parameter_file (.prm or
   * .json), skipping every other entry: the libraries must be loaded before the
   * other entries can be declared.
   */
  std::vector<std::string>
  read_additional_shared_libraries(const std::string &parameter_file);

  /** dlopen() each library; a library that cannot be loaded is an error that
   * names the parameter file, the library and the loader's reason. */
  void
  load_shared_libraries(const std::vector<std::string> &libraries,
                        const std::string              &parameter_file);
} // namespace fbpinn
