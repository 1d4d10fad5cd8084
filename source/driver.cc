#include <deal.II/base/conditional_ostream.h>
#include <deal.II/base/convergence_table.h>
#include <deal.II/base/exceptions.h>
#include <deal.II/base/quadrature_lib.h>
#include <deal.II/base/timer.h>

#include <fbpinn/driver.h>
#include <fbpinn/geometries/interface.h>
#include <fbpinn/mesh/triangulation_factory.h>
#include <fbpinn/methods/fem.h>
#include <fbpinn/methods/interface.h>
#include <fbpinn/methods/method_of_lines.h>
#include <fbpinn/parallel/collective.h>
#include <fbpinn/plugins.h>
#include <fbpinn/postprocess/output.h>
#include <fbpinn/postprocess/point_values.h>
#include <fbpinn/postprocess/reference_solution.h>
#include <fbpinn/postprocess/run_directory.h>
#include <fbpinn/problems/interface.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iomanip>
#include <limits>
#include <set>
#include <sstream>

namespace fbpinn
{
  using namespace dealii;

  namespace
  {
    /**
     * Messages echo the values they reject; a value of megabytes would make
     * a line nobody can read. In a message of more than 1,000 characters,
     * shorten every quoted or bracketed value (deal.II puts values in <...>,
     * we put them in '...') and every word beyond 120 characters to its start
     * and end, and
     * then the whole message to 1,000 characters.
     */
    std::string
    shorten_long_values(const std::string &message)
    {
      constexpr std::size_t longest_value = 120, longest_message = 1000;
      const auto            shorten = [](const std::string &text,
                              const std::size_t  head,
                              const std::size_t  tail) {
        return text.substr(0, head) + "[... " +
               std::to_string(text.size() - head - tail) +
               " characters left out ...]" + text.substr(text.size() - tail);
      };

      // Messages of ordinary length stay as they are (an apostrophe in the
      // prose could be taken for a quote).
      if (message.size() <= longest_message)
        return message;
      std::string result;
      std::size_t i = 0;
      while (i < message.size())
        {
          const char  open  = message[i];
          const char  close = open == '<' ? '>' : '\'';
          std::size_t end   = std::string::npos;
          if (open == '<' || open == '\'')
            end = message.find(close, i + 1);
          if (end != std::string::npos && end - i - 1 > longest_value)
            {
              result += open;
              result += shorten(message.substr(i + 1, end - i - 1), 60, 40);
              result += close;
              i = end + 1;
              continue;
            }
          // A long word (an unquoted value) is shortened the same way.
          const std::size_t word = message.find(' ', i);
          const std::size_t word_end =
            word == std::string::npos ? message.size() : word;
          if (word_end - i > longest_value)
            {
              result += shorten(message.substr(i, word_end - i), 60, 40);
              i = word_end;
            }
          else
            result += message[i++];
        }
      if (result.size() > longest_message)
        result = shorten(result, 600, 300);
      return result;
    }
  } // namespace


  std::string
  one_line_message(const std::exception &exception)
  {
    std::ostringstream text;
    if (const auto *deal_ii = dynamic_cast<const ExceptionBase *>(&exception))
      deal_ii->print_info(text);
    else
      text << exception.what();

    // Collapse all white space (deal.II spreads its messages over lines).
    std::string result;
    bool        space = false;
    for (const char c : text.str())
      if (std::isspace(static_cast<unsigned char>(c)))
        space = !result.empty();
      else
        {
          if (space)
            result += ' ';
          result += c;
          space = false;
        }
    return shorten_long_values(result);
  }


  GlobalParameters
  read_parameter_file(const std::string &parameter_file, ParameterHandler &prm)
  {
    if (std::filesystem::is_directory(parameter_file))
      throw InputError("'" + parameter_file +
                       "' is a directory; give a parameter file (.prm or "
                       ".json) in it");
    if (!std::ifstream(parameter_file))
      throw InputError("cannot open the parameter file '" + parameter_file +
                       "': check the path (run 'fbpinn --help' for usage)");
    const std::string extension =
      std::filesystem::path(parameter_file).extension().string();
    if (extension != ".prm" && extension != ".json")
      throw InputError(parameter_file +
                       ": unknown format; a parameter file ends in .prm or "
                       ".json");

    try
      {
        load_shared_libraries(read_additional_shared_libraries(parameter_file),
                              parameter_file);
        declare_parameters(prm);
        parse_parameter_file(prm, parameter_file);
      }
    catch (const std::exception &e)
      {
        std::string message = one_line_message(e);
        if (message.find(parameter_file) == std::string::npos)
          message = parameter_file + ": " + message;
        if (message.find("No entry with name") != std::string::npos)
          message += " (fbpinn --print-parameters lists every entry)";
        throw InputError(message);
      }
    return parse_global_parameters(prm, parameter_file);
  }


  namespace
  {
    /** The geometry of `subsection Geometry`, or null for the problem's own
     * domain ('problem-default'); errors name the file. */
    template <int dim>
    std::unique_ptr<Geometries::Interface<dim>>
    create_geometry(ParameterHandler       &prm,
                    const GlobalParameters &parameters,
                    const std::string      &parameter_file)
    {
      if (parameters.geometry == "problem-default")
        return nullptr;
      try
        {
          auto geometry =
            Plugins::Registry<Geometries::Interface>::instance().create<dim>(
              parameters.geometry);
          prm.enter_subsection("Geometry");
          prm.enter_subsection(parameters.geometry);
          geometry->parse_parameters(
            prm,
            std::filesystem::path(parameter_file).parent_path().string());
          prm.leave_subsection();
          prm.leave_subsection();
          return geometry;
        }
      catch (const std::exception &e)
        {
          throw InputError(parameter_file + ": subsection Geometry, Name = " +
                           parameters.geometry + ": " + one_line_message(e));
        }
    }


    /** The dimension of the mesh of a run: space-time for a time-dependent
     * problem. */
    unsigned int
    mesh_dimension(const RunMetrics &m)
    {
      return m.dimension + (m.time_dependent ? 1 : 0);
    }


    /** A few points of the unit cube where the problem's operator is
     * tested (declared linearity, invariance under adding a constant). */
    template <int dim>
    std::vector<Point<dim>>
    sample_points()
    {
      std::vector<Point<dim>> points;
      for (unsigned int i = 0; i < 8; ++i)
        {
          Point<dim> x;
          for (int d = 0; d < dim; ++d)
            x[d] = 0.1 + 0.8 * std::fmod(0.618034 * (i + 1) * (d + 1.7), 1.);
          points.push_back(x);
        }
      return points;
    }


    /**
     * Read `subsection Boundary conditions`, check it against the boundary
     * ids of the coarse mesh @p triangulation and give it to @p problem.
     * A problem with conditions of its own accepts only the default
     * (Dirichlet everywhere, which it does not use). Errors name the file.
     */
    template <int dim>
    void
    set_up_boundary_conditions(ParameterHandler         &prm,
                               Problems::Interface<dim> &problem,
                               const Triangulation<dim> &triangulation,
                               const std::string        &parameter_file)
    {
      try
        {
          Problems::BoundaryConditions bc;
          bc.parse_parameters(prm, problem.field_names());
          if (!problem.conditions_by_boundary_id())
            {
              if (!bc.dirichlet_everywhere())
                throw std::invalid_argument(
                  "this problem imposes conditions of its own (initial or "
                  "interior-point conditions), not by boundary id; remove "
                  "the Neumann and Robin ids and 'Dirichlet components'");
              return;
            }
          // A space-time domain: the initial conditions on t = 0, nothing on
          // t = T; the subsection names the spatial ids.
          if (problem.is_time_dependent())
            bc.set_time_faces(Problems::Interface<dim>::initial_boundary_id,
                              Problems::Interface<dim>::initial_boundary_id +
                                1);
          const std::vector<types::boundary_id> ids =
            triangulation.get_boundary_ids();
          bc.check_boundary_ids(
            std::set<types::boundary_id>(ids.begin(), ids.end()));
          Problems::apply_boundary_conditions(problem,
                                              bc,
                                              sample_points<dim>());
        }
      catch (const std::exception &e)
        {
          throw InputError(parameter_file + ": " + one_line_message(e));
        }
    }


    /** Create a plugin and let it read its parameters; errors name the file. */
    template <int dim>
    std::unique_ptr<Problems::Interface<dim>>
    create_problem(ParameterHandler       &prm,
                   const GlobalParameters &parameters,
                   const std::string      &parameter_file)
    {
      try
        {
          auto problem =
            Plugins::Registry<Problems::Interface>::instance().create<dim>(
              parameters.problem);
          prm.enter_subsection("Problem");
          prm.enter_subsection(parameters.problem);
          problem->parse_parameters(prm);
          prm.leave_subsection();
          prm.leave_subsection();
          // A declared linearity is checked against the operator at a few
          // points of the unit cube, so that a nonlinear problem is never
          // solved as a linear one.
          Problems::verify_declared_linearity(*problem,
                                              parameters.problem,
                                              sample_points<dim>());
          // So is a flux form against the operator it must equal.
          problem->verify_flux_form(sample_points<dim>());
          return problem;
        }
      catch (const std::exception &e)
        {
          throw InputError(parameter_file + ": subsection Problem, Name = " +
                           parameters.problem + ": " + one_line_message(e));
        }
    }


    template <int dim>
    std::unique_ptr<Methods::Interface<dim>>
    create_method(ParameterHandler       &prm,
                  const GlobalParameters &parameters,
                  const std::string      &parameter_file,
                  const bool              time_dependent)
    {
      try
        {
          // fem on a time-dependent problem: the method of lines on the
          // spatial mesh, stepping in time.
          if constexpr (dim > 1)
            if (time_dependent && parameters.method == "fem")
              {
                auto method = std::make_unique<Methods::MethodOfLines<dim>>();
                method->parse_parameters(prm);
                return method;
              }
          auto method =
            Plugins::Registry<Methods::Interface>::instance().create<dim>(
              parameters.method);
          method->parse_parameters(prm);
          return method;
        }
      catch (const std::exception &e)
        {
          throw InputError(parameter_file + ": Method = " + parameters.method +
                           ": " + one_line_message(e));
        }
    }


    std::string
    summary_line(const RunMetrics &m)
    {
      std::ostringstream s;
      s << std::setprecision(3);
      s << "fbpinn: " << m.method << " | " << m.problem << " | " << m.dimension
        << (m.time_dependent ? "D+t" : "D") << " | " << m.n_dofs << " DoFs | ";
      if (m.error_reference == "none")
        s << "no errors measured (no exact solution, or Type = none; 'set "
             "Type = fem' in subsection Reference solution measures them "
             "against a finer fem run)";
      else
        s << "relative L2 " << std::scientific << m.errors.relative_l2
          << (m.error_reference == "exact" ?
                "" :
                " against the " + m.error_reference + " reference");
      if (m.time_dependent && std::isfinite(m.final_time_relative_l2))
        s << ", at t = T " << m.final_time_relative_l2;
      if (m.field_errors.size() > 1 && m.error_reference != "none")
        {
          s << " (";
          for (unsigned int f = 0; f < m.field_errors.size(); ++f)
            s << (f == 0 ? "" : ", ") << m.field_errors[f].first << ' '
              << m.field_errors[f].second.relative_l2;
          s << ')';
        }
      s << std::defaultfloat << " | total " << std::fixed
        << std::setprecision(3) << m.timings.total() << " s (setup "
        << m.timings.setup << ", assembly " << m.timings.assembly << ", solve "
        << m.timings.solve << ") | " << m.solver.name << " "
        << m.solver.iterations << " it"
        << (m.solver.converged ? "" : " NOT CONVERGED") << " | " << m.mpi_ranks
        << (m.mpi_ranks == 1 ? " rank" : " ranks");
      return s.str();
    }


    /** convergence.csv of the finished cycles, and (if @p out is given) the
     * ConvergenceTable with observed L2 rates. */
    void
    write_convergence(const std::vector<RunMetrics>         &cycles,
                      const std::vector<unsigned long long> &n_cells,
                      const std::string                     &directory,
                      std::ostream                          *out)
    {
      std::ostringstream csv;
      csv << "cycle,n_cells,n_dofs,l2,relative_l2,h1_seminorm,normalized_l1,"
             "l2_rate,setup,assembly,solve,total,iterations,converged\n";
      csv << std::setprecision(10);

      ConvergenceTable table;
      for (unsigned int c = 0; c < cycles.size(); ++c)
        {
          const RunMetrics &m    = cycles[c];
          double            rate = std::numeric_limits<double>::quiet_NaN();
          if (c > 0)
            rate = std::log(cycles[c - 1].errors.l2 / m.errors.l2) /
                   std::log(std::pow(double(n_cells[c]) / n_cells[c - 1],
                                     1. / mesh_dimension(m)));
          csv << c << ',' << n_cells[c] << ',' << m.n_dofs << ',' << m.errors.l2
              << ',' << m.errors.relative_l2 << ',' << m.errors.h1_seminorm
              << ',' << m.errors.normalized_l1 << ','
              << (std::isfinite(rate) ? std::to_string(rate) : "") << ','
              << m.timings.setup << ',' << m.timings.assembly << ','
              << m.timings.solve << ',' << m.timings.total() << ','
              << m.solver.iterations << ','
              << (m.solver.converged ? "true" : "false") << '\n';

          table.add_value("cycle", c);
          table.add_value("cells", n_cells[c]);
          table.add_value("dofs", m.n_dofs);
          table.add_value("L2", m.errors.l2);
          table.add_value("H1-semi", m.errors.h1_seminorm);
          table.add_value("rel. L2", m.errors.relative_l2);
          table.add_value("total s", m.timings.total());
        }
      write_file_atomically(directory + "/convergence.csv", csv.str());
      if (out == nullptr)
        return;

      for (const char *column : {"L2", "H1-semi", "rel. L2"})
        {
          table.set_scientific(column, true);
          table.set_precision(column, 3);
        }
      table.set_precision("total s", 3);
      table.omit_column_from_convergence_rate_evaluation("cycle");
      table.omit_column_from_convergence_rate_evaluation("cells");
      table.omit_column_from_convergence_rate_evaluation("dofs");
      table.omit_column_from_convergence_rate_evaluation("total s");
      table.evaluate_convergence_rates("L2",
                                       "cells",
                                       ConvergenceTable::reduction_rate_log2,
                                       mesh_dimension(cycles.front()));
      table.evaluate_convergence_rates("H1-semi",
                                       "cells",
                                       ConvergenceTable::reduction_rate_log2,
                                       mesh_dimension(cycles.front()));
      *out << "\nConvergence (rates are orders in the mesh size h):\n";
      table.write_text(*out);
    }


    /**
     * The memory the machines of @p comm have available now, in bytes:
     * MemAvailable of /proc/meminfo, read by one rank per node and summed.
     * NaN where it cannot be read.
     */
    double
    available_memory_bytes(const MPI_Comm comm)
    {
      MPI_Comm node;
      MPI_Comm_split_type(comm, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node);
      const bool leader = Utilities::MPI::this_mpi_process(node) == 0;
      MPI_Comm_free(&node);

      double available = 0;
      if (leader)
        {
          available = std::numeric_limits<double>::quiet_NaN();
          std::ifstream meminfo("/proc/meminfo");
          std::string   key;
          double        kib;
          while (meminfo >> key >> kib)
            {
              if (key == "MemAvailable:")
                {
                  available = 1024. * kib;
                  break;
                }
              meminfo.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
            }
        }
      return Utilities::MPI::sum(available, comm);
    }


    /**
     * Stop a run that cannot fit before anything is built: the cell count
     * of the last cycle from the entries alone, the method's estimate of
     * what that needs for the problem's fields, against `Memory limit` or the
     * machines' memory
     * (@p method_of_lines: fem's method of lines, which stores only the
     * spatial mesh). Collective (every rank computes the same).
     */
    template <int dim>
    void
    check_resources(const Methods::Interface<dim>    &method,
                    const Problems::Interface<dim>   &problem,
                    const Geometries::Interface<dim> *geometry,
                    const bool                        time_dependent,
                    const bool                        method_of_lines,
                    const GlobalParameters           &parameters,
                    const std::string                &parameter_file,
                    const MPI_Comm                    comm)
    {
      // The coarse mesh of a problem's own domain is Subdivisions^dim cells;
      // a geometry counts its own.
      const unsigned int refinements =
        parameters.global_refinements + parameters.n_refinement_cycles - 1;
      // A space-time mesh has Time subdivisions coarse cells along t; fem's
      // method of lines stores only its spatial mesh (dim − 1 directions).
      const int    mesh_dim = method_of_lines ? dim - 1 : dim;
      const double n_coarse =
        geometry != nullptr ?
          geometry->n_coarse_cells(parameters.subdivisions) :
        time_dependent && !method_of_lines ?
          std::pow(double(parameters.subdivisions), dim - 1) *
            parameters.time_subdivisions :
          std::pow(double(parameters.subdivisions), mesh_dim);
      const double n_cells =
        n_coarse * std::pow(2., double(mesh_dim) * refinements);
      const auto estimate = method.estimate_resources(n_cells, problem);
      // A few hundred bytes per cell for the triangulation (cells, faces,
      // vertices, p4est's quadrants) and the error evaluation.
      const double bytes = estimate.bytes + 300. * n_cells;

      const double available = parameters.memory_limit_mb > 0 ?
                                 parameters.memory_limit_mb * 1024. * 1024. :
                                 available_memory_bytes(comm);
      // deal.II numbers cells and DoFs with 32-bit unsigned ints here.
      const double index_limit = std::numeric_limits<unsigned int>::max();
      const bool   too_many    = n_cells > index_limit ||
                            estimate.n_dofs > index_limit ||
                            estimate.n_rows > index_limit;
      if (!too_many && (!std::isfinite(available) || bytes <= available))
        return;

      std::ostringstream message;
      message << std::setprecision(3) << parameter_file
              << ": the last cycle has " << n_cells << " cells (" << n_coarse
              << " coarse cells refined " << refinements << " times)";
      if (estimate.n_dofs > 0)
        message << ", about " << estimate.n_dofs << " unknowns and "
                << estimate.n_rows << " rows";
      if (too_many)
        message << ", more than the 2^32 that this build's indices can count";
      else
        message << ", which need at least " << bytes / (1 << 30)
                << " GiB, more than the " << available / (1 << 30) << " GiB "
                << (parameters.memory_limit_mb > 0 ? "of 'Memory limit'" :
                                                     "available");
      message << "; lower 'Global refinements' or 'Subdivisions' (subsection "
                 "Mesh) or 'Number of refinement cycles'";
      if (!estimate.entries.empty())
        message << ", or " << estimate.entries;
      throw InputError(message.str());
    }


    /** Below this relative distance to singularity (see
     * Methods::resonance_indicator) the error is amplified a hundredfold
     * over a well-posed problem's: the run warns. */
    constexpr double resonance_threshold = 1e-2;


    /** Rethrow the exception in flight, keeping its kind (bad input, failed
     * solve, other), its message starting with @p parameter_file and
     * ending with @p note. */
    [[noreturn]] void
    rethrow_with_context(const std::string &parameter_file,
                         const std::string &note)
    {
      const auto text = [&](const std::exception &e) {
        const std::string message = one_line_message(e);
        return (message.find(parameter_file) == std::string::npos ?
                  parameter_file + ": " + message :
                  message) +
               note;
      };
      try
        {
          throw;
        }
      catch (const InputError &e)
        {
          throw InputError(text(e));
        }
      catch (const SolverFailure &e)
        {
          throw SolverFailure(text(e));
        }
      catch (const std::exception &e)
        {
          throw std::runtime_error(text(e));
        }
    }


    template <int dim>
    std::vector<RunMetrics>
    run_simulation(ParameterHandler       &prm,
                   const GlobalParameters &parameters,
                   const std::string      &parameter_file,
                   const MPI_Comm          comm,
                   std::ostream           &out)
    {
      const bool         root = Utilities::MPI::this_mpi_process(comm) == 0;
      ConditionalOStream pout(out, root);

      auto       problem = create_problem<dim>(prm, parameters, parameter_file);
      const bool time_dependent = problem->is_time_dependent();
      // Checked before the solve: a typo costs no run.
      const std::vector<Point<dim>> probes =
        parse_point_list<dim>(parameters.point_values);
      auto method =
        create_method<dim>(prm, parameters, parameter_file, time_dependent);
      auto geometry = create_geometry<dim>(prm, parameters, parameter_file);
      // fem's method of lines (create_method() chose it): its spatial mesh
      // is refined through this, not the space-time one.
      std::function<void(unsigned int)> refine_method_of_lines;
      if constexpr (dim > 1)
        if (auto *lines =
              dynamic_cast<Methods::MethodOfLines<dim> *>(method.get()))
          refine_method_of_lines = [lines](const unsigned int n) {
            lines->set_refinements(n);
          };
      const bool method_of_lines = bool(refine_method_of_lines);
      if (time_dependent)
        {
          if (geometry)
            throw InputError(
              parameter_file + ": subsection Geometry, Name = " +
              parameters.geometry + ": problem '" + parameters.problem +
              "' is time-dependent and is solved on its own space-time box "
              "(spatial domain × [0, End time]); other spatial geometries are "
              "not implemented for time-dependent problems yet, so remove "
              "the subsection Geometry");
          try
            {
              problem->set_time_interval(parameters.end_time,
                                         parameters.time_subdivisions);
            }
          catch (const std::exception &e)
            {
              throw InputError(parameter_file + ": " + one_line_message(e));
            }
        }
      check_resources(*method,
                      *problem,
                      geometry.get(),
                      time_dependent,
                      method_of_lines,
                      parameters,
                      parameter_file,
                      comm);

      // Everything goes to the staging directory first; see RunDirectory.
      RunDirectory       run_directory(parameters.output_directory,
                                 parameter_file,
                                 comm);
      const std::string &directory = run_directory.staging();
      method->set_output_directory(directory);

      std::vector<RunMetrics>         cycles;
      std::vector<unsigned long long> n_cells;
      unsigned int                    cycle = 0;
      try
        {
          Parallel::on_root_collectively(comm, [&]() {
            std::ostringstream used;
            prm.print_parameters(used, ParameterHandler::PRM);
            write_file_atomically(directory + "/parameters.prm", used.str());
          });

          auto  triangulation = create_triangulation<dim>(comm);
          Timer timer(comm, /*sync_lap_times=*/true);
          if (geometry)
            geometry->create_coarse_mesh(*triangulation,
                                         parameters.subdivisions);
          else
            problem->create_coarse_mesh(*triangulation,
                                        parameters.subdivisions);
          set_up_boundary_conditions(prm,
                                     *problem,
                                     *triangulation,
                                     parameter_file);
          // fem's method of lines refines its own spatial mesh and needs of
          // the space-time one only the box: that stays coarse.
          if (method_of_lines)
            refine_method_of_lines(parameters.global_refinements);
          else
            triangulation->refine_global(parameters.global_refinements);
          timer.stop();
          double mesh_time = timer.last_wall_time();

          // Whether the problem itself is (nearly) singular, the same
          // verdict for every method; once, on the first mesh.
          const double resonance =
            Methods::resonance_indicator(*problem, *triangulation);
          std::string resonance_warning;
          if (resonance < resonance_threshold)
            {
              std::ostringstream text;
              text << std::setprecision(2)
                   << "the problem is at or near a resonance: its operator's "
                      "eigenvalue nearest zero is "
                   << resonance << " times its principal part's (below "
                   << resonance_threshold
                   << "), so the data barely determine the solution and "
                      "every method's result is unreliable; move the "
                      "coefficients (e.g. 'Wave number') away from it";
              resonance_warning = text.str();
              if (root)
                std::cerr << "fbpinn: warning: " << parameter_file << ": "
                          << resonance_warning << std::endl;
            }

          // The reference solution errors are measured against, where it is
          // not the exact one: computed once, finer than the last cycle.
          ReferenceSettings reference_settings;
          reference_settings.parse_parameters(prm);
          std::unique_ptr<ReferenceSolution<dim>> reference;
          try
            {
              const std::string &type = reference_settings.type;
              if (type == "exact" && !problem->has_exact_solution())
                throw std::invalid_argument(
                  "subsection Reference solution, entry 'Type' = exact, but "
                  "problem '" +
                  parameters.problem +
                  "' has no exact solution; use 'fem' (a finer fem run) or "
                  "'none'");
              if (type == "fem")
                {
                  timer.restart();
                  reference = create_fem_reference<dim>(
                    prm,
                    *problem,
                    [&](Triangulation<dim> &mesh) {
                      if (geometry)
                        geometry->create_coarse_mesh(mesh,
                                                     parameters.subdivisions);
                      else
                        problem->create_coarse_mesh(mesh,
                                                    parameters.subdivisions);
                    },
                    parameters.global_refinements +
                      parameters.n_refinement_cycles - 1 +
                      reference_settings.additional_refinements,
                    reference_settings,
                    comm);
                  timer.stop();
                  if (root)
                    std::cout << "fbpinn: fem reference solution (degree "
                              << reference_settings.degree << ", "
                              << reference_settings.additional_refinements
                              << " refinements beyond the last cycle) in "
                              << timer.last_wall_time() << " s" << std::endl;
                }
            }
          catch (const std::invalid_argument &e)
            {
              throw InputError(parameter_file + ": " + one_line_message(e));
            }
          const bool no_errors = reference_settings.type == "none";

          for (; cycle < parameters.n_refinement_cycles; ++cycle)
            {
              if (cycle > 0)
                {
                  timer.restart();
                  if (method_of_lines)
                    refine_method_of_lines(parameters.global_refinements +
                                           cycle);
                  else
                    triangulation->refine_global(1);
                  timer.stop();
                  mesh_time = timer.last_wall_time();
                }

              RunMetrics metrics;
              metrics.problem        = parameters.problem;
              metrics.method         = parameters.method;
              metrics.dimension      = time_dependent ? dim - 1 : dim;
              metrics.time_dependent = time_dependent;
              metrics.end_time       = parameters.end_time;
              metrics.mpi_ranks      = Utilities::MPI::n_mpi_processes(comm);
              metrics.cycle          = cycle;
              metrics.timings.mesh   = mesh_time;
              metrics.n_subdomains   = triangulation->n_global_active_cells();

              try
                {
                  method->solve(*problem, *triangulation, metrics.timings);
                }
              catch (const std::invalid_argument &e)
                {
                  // A method's verdict that the parameters do not fit the
                  // problem.
                  throw InputError(parameter_file + ": " + e.what());
                }
              catch (const InputError &)
                {
                  throw;
                }
              catch (const std::runtime_error &e)
                {
                  // A failed solve (diverged training, a factorisation
                  // error): name the run it belongs to.
                  throw std::runtime_error(parameter_file + ": " +
                                           one_line_message(e));
                }
              if (method->n_subdomains() > 0)
                metrics.n_subdomains = method->n_subdomains();
              metrics.n_levels   = method->n_levels();
              metrics.n_dofs     = method->n_dofs();
              metrics.n_rows     = method->n_rows();
              metrics.n_nonzeros = method->n_nonzeros();
              metrics.solver     = method->solver_report();
              if (metrics.solver.warning.empty())
                metrics.solver.warning = resonance_warning;

              timer.restart();
              const QGauss<dim> error_quadrature(n_error_points_per_direction(
                method->n_assembly_points_per_direction()));
              // Measured by the method itself (the method of lines, at every
              // time level), or here over the mesh.
              FieldErrors field_errors;
              if (const FieldErrors *own = method->measured_errors())
                field_errors = *own;
              else
                {
                  const auto evaluator =
                    method->create_evaluator(error_quadrature);
                  field_errors = compute_field_errors(*triangulation,
                                                      *problem,
                                                      error_quadrature,
                                                      *evaluator,
                                                      reference.get(),
                                                      &method->get_mapping());
                }
              if (no_errors)
                {
                  // 'Type = none': the norms are not reported.
                  const double nan   = std::numeric_limits<double>::quiet_NaN();
                  field_errors.total = ErrorNorms{nan, nan, nan, nan};
                  for (ErrorNorms &norms : field_errors.fields)
                    norms = field_errors.total;
                  field_errors.reference = "none";
                }
              metrics.errors          = field_errors.total;
              metrics.error_reference = field_errors.reference;
              metrics.time_steps      = method->n_time_steps();
              metrics.final_time_relative_l2 =
                no_errors ? std::numeric_limits<double>::quiet_NaN() :
                            field_errors.final_time_relative_l2;
              if constexpr (dim > 1)
                if (time_dependent && !no_errors &&
                    method->measured_errors() == nullptr)
                  metrics.final_time_relative_l2 =
                    compute_final_time_error<dim>(
                      *triangulation,
                      *problem,
                      n_error_points_per_direction(
                        method->n_assembly_points_per_direction()),
                      [&](const Quadrature<dim> &rule) {
                        return method->create_evaluator(rule);
                      });
              metrics.field_errors.clear();
              const std::vector<std::string> names = problem->field_names();
              for (unsigned int f = 0; f < names.size(); ++f)
                metrics.field_errors.emplace_back(names[f],
                                                  field_errors.fields[f]);
              timer.stop();
              // Added to what the method measured itself (the method of
              // lines, at every time level).
              metrics.timings.error_evaluation += timer.last_wall_time();

              const bool finite = field_errors.solution_finite &&
                                  (field_errors.reference == "none" ||
                                   (std::isfinite(metrics.errors.l2) &&
                                    std::isfinite(metrics.errors.relative_l2)));
              const bool failed = !metrics.solver.converged || !finite;
              const bool last   = cycle + 1 == parameters.n_refinement_cycles;

              if (parameters.write_solution && last && !failed)
                {
                  timer.restart();
                  method->write_solution(*problem, directory, "solution");
                  // 1D + t in space-time: u(x, t) at t = 0, T/4, ..., T.
                  if constexpr (dim == 2)
                    if (time_dependent && !method->measured_errors())
                      {
                        const double        T = problem->end_time();
                        std::vector<double> times;
                        for (unsigned int k = 0; k <= 4; ++k)
                          times.push_back(k * T / 4.);
                        write_slices_csv(
                          space_time_slices(*triangulation,
                                            *problem,
                                            times,
                                            [&](const Quadrature<dim> &rule) {
                                              return method->create_evaluator(
                                                rule);
                                            }),
                          directory + "/solution_slices.csv",
                          comm);
                      }
                  if constexpr (dim == 1)
                    {
                      // 64 equally spaced samples per cell for line plots.
                      const QIterated<dim> samples(QMidpoint<1>(), 64);
                      const auto sampler = method->create_evaluator(samples);
                      write_samples_csv(*triangulation,
                                        *problem,
                                        samples,
                                        *sampler,
                                        directory + "/solution.csv");
                    }
                  timer.stop();
                  metrics.timings.output = timer.last_wall_time();
                }

              if (!probes.empty() && last && !failed)
                {
                  // u_h and ∇u_h (in space for a time-dependent problem)
                  // beside the exact solution.
                  const auto samples =
                    method->point_samples(*triangulation, probes);
                  const int  spatial  = time_dependent ? dim - 1 : dim;
                  const auto in_space = [spatial](const Tensor<1, dim> &g) {
                    return std::vector<double>(g.begin_raw(),
                                               g.begin_raw() + spatial);
                  };
                  std::vector<double>         exact;
                  std::vector<Tensor<1, dim>> exact_gradients;
                  for (unsigned int k = 0; k < probes.size(); ++k)
                    {
                      RunMetrics::PointValue value;
                      for (int d = 0; d < dim; ++d)
                        value.point.push_back(probes[k][d]);
                      value.values = samples[k].values;
                      for (const auto &g : samples[k].gradients)
                        value.gradients.push_back(in_space(g));
                      if (problem->has_exact_solution())
                        {
                          problem->exact_fields(probes[k],
                                                exact,
                                                exact_gradients);
                          value.exact = exact;
                          for (const auto &g : exact_gradients)
                            value.exact_gradients.push_back(in_space(g));
                        }
                      metrics.point_values.push_back(value);
                    }
                }

              std::tie(metrics.peak_rss_mb, metrics.peak_rss_mb_max_rank) =
                peak_rss_mb(comm);
              Parallel::on_root_collectively(comm, [&]() {
                write_file_atomically(directory + "/metrics.json",
                                      to_json(metrics));
              });
              pout << summary_line(metrics) << std::endl;

              cycles.push_back(metrics);
              // The method of lines: the cells the space-time mesh would
              // have, refined as its spatial mesh is (for the rates).
              n_cells.push_back(
                method_of_lines ?
                  triangulation->n_global_active_cells() *
                    (1ull << (dim * (parameters.global_refinements + cycle))) :
                  triangulation->n_global_active_cells());

              if (failed)
                {
                  // std::to_string prints 6 fixed decimals: 1e-9 would be
                  // 0.000000.
                  const auto scientific = [](const double x) {
                    std::ostringstream text;
                    text << std::setprecision(3) << std::scientific << x;
                    return text.str();
                  };
                  const std::string message =
                    parameter_file + ": " + parameters.method + " on " +
                    parameters.problem + ", cycle " + std::to_string(cycle) +
                    ": " +
                    (!finite ?
                       "the solution is not finite (NaN or inf)" :
                     metrics.solver.nonlinear.active ?
                       "the nonlinear iteration '" + metrics.solver.name +
                         "' failed after " +
                         std::to_string(metrics.solver.iterations) +
                         " iterations: " + metrics.solver.nonlinear.failure +
                         " (relative residual " +
                         scientific(metrics.solver.residual) + ")" :
                       "the solver '" + metrics.solver.name +
                         "' did not converge (relative residual " +
                         scientific(metrics.solver.residual) + " after " +
                         std::to_string(metrics.solver.iterations) +
                         " iterations)");
                  // A failed nonlinear iteration has no result worth keeping:
                  // it solved no equation.
                  if (!parameters.allow_unconverged || !finite ||
                      metrics.solver.nonlinear.active)
                    throw SolverFailure(
                      message +
                      (metrics.solver.nonlinear.active && finite ?
                         ". Raise 'Max iterations' or 'Max line search "
                         "steps' in subsection Nonlinear solver, or change "
                         "the linear solver" :
                         ". Raise the iteration limit, change the solver, or "
                         "set 'Allow unconverged = true'"));
                  pout << "fbpinn: warning: " << message << std::endl;
                }
            }

          if (cycles.size() > 1)
            Parallel::on_root_collectively(comm, [&]() {
              write_convergence(cycles, n_cells, directory, &out);
            });
          run_directory.publish(cycles.back());
        }
      catch (...)
        {
          // What the failed run leaves: the finished cycles of a sweep, the
          // metrics of a failed solve, a training checkpoint, in its own
          // directory; the previous run's files stay as they were.
          if (root && cycles.size() > 1)
            try
              {
                write_convergence(cycles, n_cells, directory, nullptr);
              }
            catch (...)
              {
                // Best effort: the run's own error is the one to report.
              }
          const std::string kept = run_directory.abandon();
          const std::string note =
            kept.empty() ? std::string() :
                           "; this run's files are in '" + kept +
                             "', those of the previous run in '" +
                             parameters.output_directory + "' are unchanged";
          try
            {
              throw;
            }
          catch (const std::bad_alloc &)
            {
              throw std::runtime_error(
                parameter_file + ": out of memory in cycle " +
                std::to_string(cycle) +
                "; lower 'Global refinements' or 'Subdivisions' (subsection "
                "Mesh), 'Number of refinement cycles', or " +
                method->estimate_resources(0, *problem).entries +
                ", set 'Memory limit' to stop such runs up front, or run on "
                "more machines" +
                note);
            }
          catch (...)
            {
              rethrow_with_context(parameter_file, note);
            }
        }

      return cycles;
    }
  } // namespace


  std::vector<RunMetrics>
  run(const std::string &parameter_file, const MPI_Comm comm, std::ostream &out)
  {
    ParameterHandler       prm;
    const GlobalParameters parameters =
      read_parameter_file(parameter_file, prm);
    // A time-dependent problem is written and solved in space-time: one
    // dimension more than the spatial 'Dimension'.
    const bool time_dependent =
      Plugins::Registry<Problems::Interface>::instance()
        .get(parameters.problem)
        .time_dependent;
    if (time_dependent)
      switch (parameters.dimension)
        {
          case 1:
            return run_simulation<2>(prm,
                                     parameters,
                                     parameter_file,
                                     comm,
                                     out);
          case 2:
            return run_simulation<3>(prm,
                                     parameters,
                                     parameter_file,
                                     comm,
                                     out);
          default:
            throw InputError(
              parameter_file +
              ": entry 'Dimension' = " + std::to_string(parameters.dimension) +
              ": problem '" + parameters.problem +
              "' is time-dependent and is solved in space-time, which needs "
              "a spatial dimension of 1 or 2 (deal.II meshes have at most 3 "
              "dimensions)");
        }
    switch (parameters.dimension)
      {
        case 1:
          return run_simulation<1>(prm, parameters, parameter_file, comm, out);
        case 2:
          return run_simulation<2>(prm, parameters, parameter_file, comm, out);
        case 3:
          return run_simulation<3>(prm, parameters, parameter_file, comm, out);
        default:
          throw InputError(parameter_file +
                           ": entry 'Dimension' must be 1, 2 or 3");
      }
  }
} // namespace fbpinn
