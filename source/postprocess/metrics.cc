#include <fbpinn/postprocess/metrics.h>
#include <fbpinn/version.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <stdexcept>
#include <sys/resource.h>

namespace fbpinn
{
  namespace
  {
    /** A number in JSON: non-finite values have no JSON literal, so null. */
    std::string
    json_number(const double x)
    {
      if (!std::isfinite(x))
        return "null";
      std::ostringstream s;
      s << std::setprecision(17) << x;
      return s.str();
    }

    std::string
    json_string(const std::string &x)
    {
      std::string result = "\"";
      for (const char c : x)
        {
          if (c == '"' || c == '\\')
            result += '\\';
          result += c;
        }
      return result + "\"";
    }
  } // namespace


  std::pair<double, double>
  peak_rss_mb(const MPI_Comm comm)
  {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const double mine = usage.ru_maxrss / 1024.; // ru_maxrss is in KiB on Linux
    return {dealii::Utilities::MPI::sum(mine, comm),
            dealii::Utilities::MPI::max(mine, comm)};
  }


  namespace
  {
    /** `nonlinear`: null for a linear solve. */
    std::string
    nonlinear_json(const Solvers::NonlinearReport &n)
    {
      if (!n.active)
        return "null";
      std::ostringstream s;
      s << "{\"iterations\": " << n.iterations
        << ", \"converged\": " << (n.converged ? "true" : "false")
        << ", \"failure\": "
        << (n.failure.empty() ? "null" : json_string(n.failure))
        << ", \"residuals\": [";
      for (std::size_t i = 0; i < n.residuals.size(); ++i)
        s << (i == 0 ? "" : ", ") << json_number(n.residuals[i]);
      s << "]}";
      return s.str();
    }
  } // namespace


  std::string
  to_json(const RunMetrics               &m,
          const std::string              &run_id,
          const std::vector<std::string> &files)
  {
    std::ostringstream s;
    s << "{\n"
      << "  \"problem\": " << json_string(m.problem) << ",\n"
      << "  \"method\": " << json_string(m.method) << ",\n"
      << "  \"dimension\": " << m.dimension << ",\n"
      << "  \"time_dependent\": " << (m.time_dependent ? "true" : "false")
      << ",\n"
      << "  \"end_time\": "
      << (m.time_dependent ? json_number(m.end_time) : std::string("null"))
      << ",\n"
      << "  \"mpi_ranks\": " << m.mpi_ranks << ",\n"
      << "  \"cycle\": " << m.cycle << ",\n"
      << "  \"n_dofs\": " << m.n_dofs << ",\n"
      << "  \"n_rows\": " << m.n_rows << ",\n"
      << "  \"n_subdomains\": " << m.n_subdomains << ",\n"
      << "  \"n_nonzeros\": " << m.n_nonzeros << ",\n"
      << "  \"n_levels\": " << m.n_levels << ",\n"
      << "  \"time_steps\": " << m.time_steps << ",\n";
    const auto list = [&](const std::vector<double> &v) {
      s << '[';
      for (std::size_t i = 0; i < v.size(); ++i)
        s << (i == 0 ? "" : ", ") << json_number(v[i]);
      s << ']';
    };
    const auto lists = [&](const std::vector<std::vector<double>> &v) {
      s << '[';
      for (std::size_t i = 0; i < v.size(); ++i)
        {
          s << (i == 0 ? "" : ", ");
          list(v[i]);
        }
      s << ']';
    };
    s << "  \"point_values\": [";
    for (std::size_t k = 0; k < m.point_values.size(); ++k)
      {
        const auto &p = m.point_values[k];
        s << (k == 0 ? "\n" : ",\n") << "    {\"point\": ";
        list(p.point);
        s << ", \"values\": ";
        list(p.values);
        s << ", \"exact\": ";
        if (p.exact.empty())
          s << "null";
        else
          list(p.exact);
        s << ", \"gradients\": ";
        lists(p.gradients);
        s << ", \"exact_gradients\": ";
        if (p.exact.empty())
          s << "null";
        else
          lists(p.exact_gradients);
        s << '}';
      }
    s << (m.point_values.empty() ? "],\n" : "\n  ],\n") << "  \"errors\": {\n"
      << "    \"reference\": " << json_string(m.error_reference) << ",\n"
      << "    \"l2\": " << json_number(m.errors.l2) << ",\n"
      << "    \"relative_l2\": " << json_number(m.errors.relative_l2) << ",\n"
      << "    \"h1_seminorm\": " << json_number(m.errors.h1_seminorm) << ",\n"
      << "    \"normalized_l1\": " << json_number(m.errors.normalized_l1)
      << ",\n"
      << "    \"final_time\": " << json_number(m.final_time_relative_l2)
      << ",\n"
      << "    \"fields\": {";
    for (unsigned int f = 0; f < m.field_errors.size(); ++f)
      {
        const ErrorNorms &e = m.field_errors[f].second;
        s << (f == 0 ? "\n" : ",\n") << "      "
          << json_string(m.field_errors[f].first)
          << ": {\"l2\": " << json_number(e.l2)
          << ", \"relative_l2\": " << json_number(e.relative_l2)
          << ", \"h1_seminorm\": " << json_number(e.h1_seminorm)
          << ", \"normalized_l1\": " << json_number(e.normalized_l1) << "}";
      }
    s << (m.field_errors.empty() ? "}" : "\n    }") << "\n  },\n"
      << "  \"solver\": {\n"
      << "    \"name\": " << json_string(m.solver.name) << ",\n"
      << "    \"iterations\": " << m.solver.iterations << ",\n"
      << "    \"converged\": " << (m.solver.converged ? "true" : "false")
      << ",\n"
      << "    \"residual\": " << json_number(m.solver.residual) << ",\n"
      << "    \"condition_estimate\": "
      << json_number(m.solver.condition_estimate) << ",\n"
      << "    \"condition_number\": " << json_number(m.solver.condition_number)
      << ",\n"
      << "    \"filtered_columns\": " << m.solver.filtered_columns << ",\n"
      << "    \"flops\": " << json_number(m.solver.flops) << ",\n"
      << "    \"warning\": "
      << (m.solver.warning.empty() ? "null" : json_string(m.solver.warning))
      << "\n  },\n"
      << "  \"nonlinear\": " << nonlinear_json(m.solver.nonlinear) << ",\n"
      << "  \"timings\": {\n"
      << "    \"mesh\": " << json_number(m.timings.mesh) << ",\n"
      << "    \"setup\": " << json_number(m.timings.setup) << ",\n"
      << "    \"assembly\": " << json_number(m.timings.assembly) << ",\n"
      << "    \"solve\": " << json_number(m.timings.solve) << ",\n"
      << "    \"total\": " << json_number(m.timings.total()) << ",\n"
      << "    \"error_evaluation\": " << json_number(m.timings.error_evaluation)
      << ",\n"
      << "    \"output\": " << json_number(m.timings.output) << "\n  },\n"
      << "  \"memory\": {\n"
      << "    \"peak_rss_mb\": " << json_number(m.peak_rss_mb) << ",\n"
      << "    \"peak_rss_mb_max_rank\": " << json_number(m.peak_rss_mb_max_rank)
      << "\n  },\n"
      << "  \"version\": " << json_string(version);
    if (!run_id.empty())
      {
        s << ",\n  \"run_id\": " << json_string(run_id) << ",\n"
          << "  \"files\": [";
        for (std::size_t i = 0; i < files.size(); ++i)
          s << (i == 0 ? "" : ", ") << json_string(files[i]);
        s << "]";
      }
    s << "\n}\n";
    return s.str();
  }


  SolverReport
  nonlinear_solver_report(const SolverReport             &last_step,
                          const std::string              &method,
                          const std::string              &linear_solver,
                          const Solvers::NonlinearReport &iteration)
  {
    SolverReport report = last_step;
    report.name =
      method + "+" + (last_step.name.empty() ? linear_solver : last_step.name);
    report.iterations = iteration.iterations;
    report.converged  = iteration.failure.empty();
    // An integrator that keeps its Newton residuals to itself (ARKode)
    // records none.
    if (iteration.residuals.empty())
      report.residual = std::numeric_limits<double>::quiet_NaN();
    else
      {
        const double initial = iteration.residuals.front();
        report.residual =
          initial > 0. ? iteration.residuals.back() / initial : 0.;
      }
    report.nonlinear           = iteration;
    report.nonlinear.converged = report.converged;
    return report;
  }


  void
  write_file_atomically(const std::string &filename,
                        const std::string &contents)
  {
    const std::string temporary = filename + ".tmp";
    const auto        fail      = [&](const std::string &what) {
      const std::string reason =
        errno != 0 ? std::strerror(errno) : "the stream reported an error";
      std::remove(temporary.c_str());
      throw std::runtime_error(what + ": " + reason);
    };
    errno = 0;
    {
      std::ofstream out(temporary, std::ios::binary);
      if (!out)
        fail("cannot create '" + temporary + "'");
      out << contents;
      out.flush();
      if (!out)
        fail("cannot write '" + filename + "' (" +
             std::to_string(contents.size()) + " bytes; is the disk full?)");
      out.close();
      if (!out)
        fail("cannot write '" + filename + "' (is the disk full?)");
    }
    if (std::rename(temporary.c_str(), filename.c_str()) != 0)
      fail("cannot rename '" + temporary + "' to '" + filename + "'");
  }
} // namespace fbpinn
