#include <deal.II/base/mpi.h>

#include <fbpinn/driver.h>
#include <fbpinn/parallel/collective.h>
#include <fbpinn/postprocess/run_directory.h>

#include <algorithm>
#include <boost/property_tree/json_parser.hpp>
#include <boost/property_tree/ptree.hpp>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <regex>
#include <set>
#include <unistd.h>

namespace fbpinn
{
  namespace fs = std::filesystem;

  namespace
  {
    /** The names of the files fbpinn itself writes into an output directory
     * (a solution has one `.vtu` per rank besides). */
    const std::vector<std::string> output_file_names = {
      "parameters.prm",
      "metrics.json",
      "convergence.csv",
      "training.csv",
      "checkpoint.bin",
      "collocation_points.csv",
      "solution.pvtu",
      "solution.csv",
      "solution_slices.csv"};

    bool
    is_output_file_name(const std::string &name)
    {
      static const std::regex piece(R"(solution\.[0-9]{4,}\.vtu)");
      return std::find(output_file_names.begin(),
                       output_file_names.end(),
                       name) != output_file_names.end() ||
             std::regex_match(name, piece);
    }


    /** The files of the run that wrote @p directory: those its metrics.json
     * names, and every file with a name that fbpinn writes (runs of earlier
     * versions wrote no list). */
    std::set<std::string>
    files_of_previous_run(const fs::path &directory)
    {
      std::set<std::string> files;
      std::error_code       error;
      for (const auto &entry : fs::directory_iterator(directory, error))
        if (entry.is_regular_file() &&
            is_output_file_name(entry.path().filename().string()))
          files.insert(entry.path().filename().string());

      try
        {
          boost::property_tree::ptree metrics;
          boost::property_tree::read_json((directory / "metrics.json").string(),
                                          metrics);
          for (const auto &file : metrics.get_child("files"))
            {
              const std::string name = file.second.data();
              // Only plain names inside the directory, never a path.
              if (!name.empty() && name.find('/') == std::string::npos &&
                  name != "." && name != "..")
                files.insert(name);
            }
        }
      catch (const std::exception &)
        {
          // No metrics.json, or one without a list: the names above.
        }
      return files;
    }


    std::string
    new_run_id()
    {
      const std::time_t now =
        std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
      std::tm utc{};
      gmtime_r(&now, &utc);
      char stamp[32];
      std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &utc);
      return std::string(stamp) + "-" + std::to_string(getpid());
    }


    /** Rename with a message that says what failed and why. */
    void
    move_file(const fs::path &from, const fs::path &to)
    {
      std::error_code error;
      fs::rename(from, to, error);
      if (error)
        throw std::runtime_error("cannot move '" + from.string() + "' to '" +
                                 to.string() + "': " + error.message());
    }
  } // namespace


  RunDirectory::RunDirectory(const std::string &directory,
                             const std::string &parameter_file,
                             const MPI_Comm     comm)
    : directory_name(directory)
    , comm(comm)
    , root(dealii::Utilities::MPI::this_mpi_process(comm) == 0)
  {
    const std::string entry =
      parameter_file + ": entry 'Output directory' = '" + directory + "': ";
    Parallel::on_root_collectively(comm, [&]() {
      std::error_code error;
      fs::create_directories(directory, error);
      if (!fs::is_directory(directory))
        throw InputError(entry + "cannot create this directory (" +
                         (error ? error.message() :
                                  std::string("a file of that name exists")) +
                         "); choose another path");

      for (const std::string &name : output_file_names)
        {
          const fs::path path = fs::path(directory) / name;
          if (fs::exists(fs::symlink_status(path)) &&
              !fs::is_regular_file(fs::symlink_status(path)))
            throw InputError(entry + "'" + path.string() +
                             "' exists and is not a regular file, but a run "
                             "writes a file of that name; move it away or "
                             "choose another Output directory");
        }

      std::vector<std::string> unfinished;
      for (const auto &e : fs::directory_iterator(directory, error))
        {
          const std::string name = e.path().filename().string();
          if (e.is_directory() && name.rfind("run-", 0) == 0 &&
              e.path().extension() == ".partial")
            unfinished.push_back(e.path().string());
        }
      if (!unfinished.empty())
        std::cout << "fbpinn: note: " << unfinished.size()
                  << " unfinished or failed run(s) left their files in '"
                  << unfinished.front() << "'"
                  << (unfinished.size() > 1 ? " and others" : "")
                  << "; they are kept (a checkpoint.bin there can be given to "
                     "'Resume from'), delete them when no longer needed"
                  << std::endl;

      id = new_run_id();
      for (unsigned int attempt = 0;; ++attempt)
        {
          const std::string candidate =
            id + (attempt == 0 ? "" : "-" + std::to_string(attempt));
          const fs::path path =
            fs::path(directory) / ("run-" + candidate + ".partial");
          if (fs::create_directory(path, error))
            {
              id           = candidate;
              staging_name = path.string();
              break;
            }
          if (error || attempt > 100)
            throw InputError(entry + "cannot create '" + path.string() + "' (" +
                             error.message() +
                             "); check that the directory is writable");
        }
    });
    id           = dealii::Utilities::MPI::broadcast(comm, id, 0);
    staging_name = dealii::Utilities::MPI::broadcast(comm, staging_name, 0);
  }


  RunDirectory::~RunDirectory()
  {
    try
      {
        abandon();
      }
    catch (...)
      {
        // Nothing may escape a destructor; the run's error is already out.
      }
  }


  const std::string &
  RunDirectory::staging() const
  {
    return staging_name;
  }


  void
  RunDirectory::publish(const RunMetrics &metrics)
  {
    Parallel::on_root_collectively(comm, [&]() {
      const fs::path target(directory_name), staged(staging_name);

      std::vector<std::string> files;
      for (const auto &entry : fs::directory_iterator(staged))
        if (entry.is_regular_file())
          files.push_back(entry.path().filename().string());
      if (std::find(files.begin(), files.end(), "metrics.json") == files.end())
        files.push_back("metrics.json");
      std::sort(files.begin(), files.end());
      write_file_atomically((staged / "metrics.json").string(),
                            to_json(metrics, id, files));

      // From here on the directory has no metrics.json until the new one
      // is in place, so no reader takes a mixed set for a finished run.
      const std::set<std::string> previous = files_of_previous_run(target);
      std::error_code             error;
      fs::remove(target / "metrics.json", error);
      for (const std::string &name : previous)
        if (std::find(files.begin(), files.end(), name) == files.end() &&
            fs::is_regular_file(fs::symlink_status(target / name)))
          fs::remove(target / name, error);
      for (const std::string &name : files)
        if (name != "metrics.json")
          move_file(staged / name, target / name);
      move_file(staged / "metrics.json", target / "metrics.json");
      fs::remove(staged, error);
    });
    finished = true;
  }


  std::string
  RunDirectory::abandon()
  {
    if (finished || !root || staging_name.empty())
      return "";
    finished = true;

    std::error_code error;
    bool            worth_keeping = false;
    for (const auto &entry : fs::directory_iterator(staging_name, error))
      if (entry.path().filename() != "parameters.prm")
        worth_keeping = true;
    if (worth_keeping)
      return staging_name;
    fs::remove_all(staging_name, error);
    return "";
  }
} // namespace fbpinn
