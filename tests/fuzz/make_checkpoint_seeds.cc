// Writes the seed corpus of checkpoint_fuzz.cc into the directory given as
// argument: valid.bin (the run checkpoint_fuzz.cc expects), no-history.bin,
// and checkpoints with a NaN parameter, step 2^32 - 1, activation sin,
// method pinn, format versions 1 and 3. Built by tests/fuzz/run.sh; the
// committed corpus was written by it.

#include <fbpinn/network/checkpoint.h>

#include "seed_run.h"

#include <cmath>
#include <fstream>
#include <limits>
#include <string>

using namespace fbpinn::Network;

namespace
{
  Checkpoint
  valid()
  {
    Checkpoint c;
    c.header                = seed_run_header();
    c.header.step           = 100;
    c.header.n_history_rows = 2;
    for (unsigned int i = 0; i < 20; ++i)
      {
        c.parameters.push_back(std::sin(i + 1.));
        c.m.push_back(1e-3 * std::cos(i + 1.));
        c.v.push_back(1e-6 * (i + 1.));
      }
    c.history = {0, 0.01, 4.1e7, 3.0, 3.2, 100, 0.02, 6.1e6, 1.4, 1.5};
    return c;
  }

  void
  write(const std::string &directory,
        const std::string &name,
        const Checkpoint  &c)
  {
    std::ofstream(directory + "/" + name, std::ios::binary)
      << serialize_checkpoint(c);
  }
} // namespace


int
main(int argc, char **argv)
{
  if (argc != 2)
    return 1;
  const std::string dir = argv[1];
  write(dir, "valid.bin", valid());
  Checkpoint c    = valid();
  c.parameters[5] = std::numeric_limits<double>::quiet_NaN();
  write(dir, "nan.bin", c);
  c             = valid();
  c.header.step = std::numeric_limits<std::uint32_t>::max();
  write(dir, "step.bin", c);
  c                   = valid();
  c.header.activation = "sin";
  write(dir, "sin.bin", c);
  c               = valid();
  c.header.method = "pinn";
  write(dir, "pinn.bin", c);
  c                = valid();
  c.header.version = 3;
  write(dir, "version3.bin", c);
  c                       = valid();
  c.header.n_history_rows = 0;
  c.history.clear();
  write(dir, "no-history.bin", c);
  std::string old("fbpinn-checkpoint-1", 20);
  old += std::string(24 + 3 * 8, '\0');
  std::ofstream(dir + "/version1.bin", std::ios::binary) << old;
  return 0;
}
