#pragma once

// Shared helpers of the C++ tests: the deal.II test convention (a file
// "output" compared with <name>.output by numdiff), and a way to run a
// parameter file given as a string.

#include <deal.II/base/logstream.h>
#include <deal.II/base/mpi.h>

#include <fbpinn/driver.h>

#include <cmath>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <string>
#include <vector>

namespace fbpinn_tests
{
  /** Send deallog to the file "output" (rank 0 only). */
  inline void
  initlog(const MPI_Comm comm = MPI_COMM_WORLD)
  {
    static std::ofstream logfile;
    if (dealii::Utilities::MPI::this_mpi_process(comm) == 0)
      {
        logfile.open("output");
        dealii::deallog.attach(logfile, /*print_job_id=*/false);
      }
    dealii::deallog.depth_console(0);
    // Only the test's own lines; solvers log one level deeper.
    dealii::deallog.depth_file(1);
  }

  /** Write @p contents to @p name and run it as a parameter file; the
   * summary lines (with timings) are discarded. */
  inline std::vector<fbpinn::RunMetrics>
  run_prm(const std::string &name,
          const std::string &contents,
          const MPI_Comm     comm = MPI_COMM_WORLD)
  {
    if (dealii::Utilities::MPI::this_mpi_process(comm) == 0)
      std::ofstream(name) << contents;
    MPI_Barrier(comm);
    std::ostringstream discarded;
    return fbpinn::run(name, comm, discarded);
  }

  /**
   * Run one case twice: on MPI_COMM_WORLD (all ranks) and alone on every rank
   * (MPI_COMM_SELF), each into its own output directory. @p make_prm maps an
   * output directory to the contents of the parameter file.
   *
   * @return the metrics of the last cycle: {all ranks, one rank}.
   */
  template <typename MakePrm>
  std::pair<fbpinn::RunMetrics, fbpinn::RunMetrics>
  run_parallel_and_serial(const MakePrm &make_prm)
  {
    const std::string rank =
      std::to_string(dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD));
    const auto parallel = run_prm("parallel.prm", make_prm("output-parallel"));
    const auto serial   = run_prm("serial-" + rank + ".prm",
                                make_prm("output-serial-" + rank),
                                MPI_COMM_SELF);
    return {parallel.back(), serial.back()};
  }

  /** The rows of a CSV file, split at commas (the header first). */
  inline std::vector<std::vector<std::string>>
  read_csv(const std::string &name)
  {
    std::vector<std::vector<std::string>> rows;
    std::ifstream                         in(name);
    std::string                           line;
    while (std::getline(in, line))
      {
        rows.emplace_back(1);
        for (const char c : line)
          if (c == ',')
            rows.back().emplace_back();
          else
            rows.back().back() += c;
      }
    return rows;
  }


  /** Column @p column of the rows of read_csv() after the header, as
   * numbers. */
  inline std::vector<double>
  csv_column(const std::string &name, const unsigned int column)
  {
    const auto          rows = read_csv(name);
    std::vector<double> values;
    for (std::size_t r = 1; r < rows.size(); ++r)
      values.push_back(std::stod(rows[r].at(column)));
    return values;
  }


  /** The dimension of a run's mesh: space-time for a time-dependent
   * problem. */
  inline unsigned int
  mesh_dimension(const fbpinn::RunMetrics &m)
  {
    return m.dimension + (m.time_dependent ? 1 : 0);
  }

  /** The observed L2 rate in h between the last two cycles of a sweep. */
  inline double
  last_l2_rate(const std::vector<fbpinn::RunMetrics> &cycles)
  {
    const auto &coarse = cycles[cycles.size() - 2];
    const auto &fine   = cycles.back();
    return std::log(coarse.errors.l2 / fine.errors.l2) /
           std::log(std::pow(double(fine.n_subdomains) / coarse.n_subdomains,
                             1. / mesh_dimension(fine)));
  }

  /** The observed L2 rate in h of field @p field (errors.fields) between
   * the last two cycles of a sweep. */
  inline double
  last_field_l2_rate(const std::vector<fbpinn::RunMetrics> &cycles,
                     const unsigned int                     field)
  {
    const auto &coarse = cycles[cycles.size() - 2];
    const auto &fine   = cycles.back();
    return std::log(coarse.field_errors.at(field).second.l2 /
                    fine.field_errors.at(field).second.l2) /
           std::log(std::pow(double(fine.n_subdomains) / coarse.n_subdomains,
                             1. / mesh_dimension(fine)));
  }

  /** |a − b| / |b|: how far a run's number is from its twin's. */
  inline double
  relative_difference(const double a, const double b)
  {
    return std::abs(a - b) / std::abs(b);
  }

  /** Log "<what>: yes" or "<what>: NO (<detail>)", so a failed check changes
   * the output and fails the test. */
  inline void
  check(const std::string &what, const bool ok, const std::string &detail)
  {
    dealii::deallog << what << ": " << (ok ? "yes" : "NO (" + detail + ")")
                    << std::endl;
  }

  /** Run @p contents as a parameter file that must fail, and check that it
   * fails with a one-line message containing @p expected. */
  inline void
  refused(const std::string &what,
          const std::string &contents,
          const std::string &expected)
  {
    std::string message;
    try
      {
        run_prm("refused.prm", contents);
      }
    catch (const std::exception &e)
      {
        message = e.what();
      }
    check(what + ": one-line error naming '" + expected + "'",
          message.find(expected) != std::string::npos &&
            message.find('\n') == std::string::npos,
          message.empty() ? "no error" : message);
  }

  inline std::string
  to_string(const double x)
  {
    std::ostringstream s;
    s << std::setprecision(6) << x;
    return s.str();
  }
} // namespace fbpinn_tests
