// The fbpinn binary: thin by design. It parses the command line and hands the
// parameter file to fbpinn::run(); everything else lives in the library.

#include <deal.II/base/mpi.h>
#include <deal.II/base/parameter_handler.h>

#include <fbpinn/driver.h>
#include <fbpinn/parallel/collective.h>
#include <fbpinn/parameters.h>
#include <fbpinn/version.h>

#include <iostream>
#include <string>

namespace
{
  void
  print_usage(std::ostream &out)
  {
    out
      << "fbpinn " << fbpinn::version
      << ": FEM and finite-basis PINN/ELM methods on one deal.II mesh.\n\n"
         "Usage:\n"
         "  fbpinn FILE.prm|FILE.json          run a parameter file\n"
         "  mpirun -np N fbpinn FILE.prm       the same on N MPI ranks\n"
         "  fbpinn --print-parameters[=prm|json] [FILE]\n"
         "                                     print every entry with its "
         "default\n"
         "                                     and documentation (FILE: load "
         "its\n"
         "                                     'Additional shared libraries' "
         "first)\n"
         "  fbpinn --version                   the version\n"
         "  fbpinn --help                      this text\n\n"
         "A run writes parameters.prm, metrics.json and solution.pvtu into its "
         "'Output directory'\nand prints a one-line summary. See README.md "
         "and doc/.\n";
  }
} // namespace


int
main(int argc, char *argv[])
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  const MPI_Comm                           comm = MPI_COMM_WORLD;
  const bool root = dealii::Utilities::MPI::this_mpi_process(comm) == 0;
  // Ends every rank, with one message, whichever rank an error comes from.
  fbpinn::Parallel::ErrorAgreement error_agreement(comm);

  const std::vector<std::string> args(argv + 1, argv + argc);
  try
    {
      if (args.empty() || args[0] == "--help" || args[0] == "-h")
        {
          if (root)
            print_usage(args.empty() ? std::cerr : std::cout);
          return args.empty() ? 1 : 0;
        }

      if (args[0] == "--version")
        {
          if (root)
            std::cout << "fbpinn " << fbpinn::version << std::endl;
          return 0;
        }

      if (args[0].rfind("--print-parameters", 0) == 0)
        {
          const std::string format =
            args[0] == "--print-parameters" ? "prm" : args[0].substr(19);
          if (args[0] != "--print-parameters" &&
              (args[0][18] != '=' || (format != "prm" && format != "json")))
            throw fbpinn::InputError("unknown option '" + args[0] +
                                     "'; use --print-parameters, "
                                     "--print-parameters=prm or "
                                     "--print-parameters=json");
          if (args.size() > 1)
            fbpinn::load_shared_libraries(
              fbpinn::read_additional_shared_libraries(args[1]),
              args[1]);
          dealii::ParameterHandler prm;
          fbpinn::declare_parameters(prm);
          if (root)
            prm.print_parameters(std::cout,
                                 format == "json" ?
                                   dealii::ParameterHandler::JSON :
                                   dealii::ParameterHandler::PRM);
          return 0;
        }

      if (args.size() != 1 || args[0].rfind("-", 0) == 0)
        throw fbpinn::InputError("expected exactly one parameter file, got '" +
                                 args[0] + (args.size() > 1 ? " ..." : "") +
                                 "'; run 'fbpinn --help' for usage");

      fbpinn::run(args[0], comm, std::cout);
    }
  catch (const std::exception &e)
    {
      return error_agreement.end_with_error(fbpinn::one_line_message(e));
    }
  catch (...)
    {
      return error_agreement.end_with_error("unknown exception");
    }
  return 0;
}
