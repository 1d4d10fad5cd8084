// libFuzzer target: fbpinn::Network::parse_checkpoint() on arbitrary bytes.
// Each input is parsed twice: as it is, and with its last 4 bytes replaced by
// the CRC-32 of the rest, so that the checks behind the checksum (method,
// network, layout, step, finiteness) are reached too. A parse must either
// throw std::invalid_argument with one line that starts with the entry and
// the file, or return a checkpoint that serialises to the same bytes.
// Build and run: tests/fuzz/run.sh.

#include <fbpinn/network/checkpoint.h>

#include "seed_run.h"

#include <boost/crc.hpp>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

namespace
{
  using namespace fbpinn::Network;

  /** The run that tests/fuzz/corpus/checkpoint/valid*.bin were written for
   * (see tests/fuzz/make_checkpoint_seeds.cc). */
  CheckpointHeader
  expected()
  {
    return seed_run_header();
  }

  void
  parse(const std::string &bytes)
  {
    const std::string file = "fuzz/checkpoint.bin";
    const std::string prefix =
      "subsection Training, entry 'Resume from': '" + file + "' ";
    try
      {
        const Checkpoint c = parse_checkpoint(bytes, expected(), 20000, file);
        if (serialize_checkpoint(c) != bytes)
          {
            std::fprintf(stderr, "accepted bytes do not round-trip\n");
            std::abort();
          }
      }
    catch (const std::invalid_argument &e)
      {
        const std::string message = e.what();
        if (message.rfind(prefix, 0) != 0 ||
            message.find('\n') != std::string::npos)
          {
            std::fprintf(stderr, "bad message: %s\n", message.c_str());
            std::abort();
          }
      }
  }
} // namespace


extern "C" int
LLVMFuzzerTestOneInput(const std::uint8_t *data, const std::size_t size)
{
  std::string bytes(reinterpret_cast<const char *>(data), size);
  parse(bytes);
  if (size >= 4)
    {
      boost::crc_32_type crc;
      crc.process_bytes(bytes.data(), size - 4);
      const std::uint32_t sum = crc.checksum();
      for (int b = 0; b < 4; ++b)
        bytes[size - 4 + b] = static_cast<char>((sum >> (8 * b)) & 0xff);
      parse(bytes);
    }
  return 0;
}
