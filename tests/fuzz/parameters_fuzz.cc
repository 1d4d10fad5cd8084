// libFuzzer target: the parameter reader. The input is written to a .prm file
// (first byte even) or a .json file (odd), read with
// fbpinn::read_parameter_file() (declare_parameters + ParameterHandler::
// parse_input), and, if that succeeds, the chosen problem and method of the
// chosen dimension parse their entries, as fbpinn::run() does before it
// builds a mesh. Bad input must end in an exception, never in a crash, a
// leak or a hang. Build and run: tests/fuzz/run.sh.

#include <deal.II/base/parameter_handler.h>

#include <fbpinn/driver.h>
#include <fbpinn/methods/interface.h>
#include <fbpinn/plugins.h>
#include <fbpinn/problems/interface.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <mpi.h>
#include <string>
#include <unistd.h>

namespace
{
  template <int dim>
  void
  parse_plugins(dealii::ParameterHandler       &prm,
                const fbpinn::GlobalParameters &parameters)
  {
    auto problem =
      fbpinn::Plugins::Registry<fbpinn::Problems::Interface>::instance()
        .create<dim>(parameters.problem);
    prm.enter_subsection("Problem");
    prm.enter_subsection(parameters.problem);
    problem->parse_parameters(prm);
    prm.leave_subsection();
    prm.leave_subsection();
    auto method =
      fbpinn::Plugins::Registry<fbpinn::Methods::Interface>::instance()
        .create<dim>(parameters.method);
    method->parse_parameters(prm);
  }
} // namespace


extern "C" int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
  // deal.II asks MPI for the rank. Not finalised: MPI_Finalize unloads
  // Open MPI's components, whose start-up allocations LeakSanitizer would
  // then report from unknown modules at exit (lsan.supp names the rest).
  MPI_Init(argc, argv);
  return 0;
}


extern "C" int
LLVMFuzzerTestOneInput(const std::uint8_t *data, const std::size_t size)
{
  if (size == 0)
    return 0;
  const std::string file = "/tmp/fbpinn-fuzz-" + std::to_string(getpid()) +
                           ((data[0] & 1) ? ".json" : ".prm");
  std::ofstream(file, std::ios::binary)
    .write(reinterpret_cast<const char *>(data + 1), size - 1);
  try
    {
      dealii::ParameterHandler       prm;
      const fbpinn::GlobalParameters parameters =
        fbpinn::read_parameter_file(file, prm);
      switch (parameters.dimension)
        {
          case 1:
            parse_plugins<1>(prm, parameters);
            break;
          case 2:
            parse_plugins<2>(prm, parameters);
            break;
          case 3:
            parse_plugins<3>(prm, parameters);
            break;
          default:
            break;
        }
    }
  catch (const std::exception &)
    {}
  std::remove(file.c_str());
  return 0;
}
