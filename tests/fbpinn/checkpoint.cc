// The checkpoint format of fbpinn and pinn (fbpinn::Network::
// serialize_checkpoint, parse_checkpoint; issue 13): a checkpoint of two
// networks 1 → [32,32] → 1 (tanh, 1153 parameters each) round-trips bit for
// bit (header, θ, m, v, history), and parse_checkpoint() rejects, each with a
// one-line message that starts with the entry and the file and says what is
// wrong (recorded below, so a change of wording shows): one flipped payload
// byte and one flipped header byte (checksum), a truncated file (payload,
// header, magic), trailing bytes, a wrong magic, format versions 1 and 3, a
// network 1 → [384] → 1 of the same parameter count, sin instead of tanh, a
// pinn checkpoint in an fbpinn run, another number of subdomains and another
// layout signature, step 2^32 − 1 beyond 'Steps' = 20000, and a NaN parameter
// and a negative second moment under a valid checksum. Every run resumes
// through this parser, so tests/fbpinn/training.cc checks it on real files.

#include <fbpinn/network/checkpoint.h>

#include <cmath>
#include <limits>
#include <stdexcept>

#include "tests.h"

using fbpinn::Network::Checkpoint;
using fbpinn::Network::CheckpointHeader;
using fbpinn::Network::parse_checkpoint;
using fbpinn::Network::serialize_checkpoint;

namespace
{
  const std::string   file     = "run/checkpoint.bin";
  const std::uint64_t max_step = 20000;

  CheckpointHeader
  run_header()
  {
    CheckpointHeader h;
    h.method           = "fbpinn";
    h.input_dimension  = 1;
    h.hidden           = {32, 32};
    h.activation       = "tanh";
    h.n_subdomains     = 2;
    h.layout_signature = 0x0123456789abcdefULL;
    h.n_parameters     = 2 * 1153;
    h.history_width    = 5;
    return h;
  }

  Checkpoint
  checkpoint(const CheckpointHeader &header)
  {
    Checkpoint c;
    c.header                = header;
    c.header.step           = 150;
    c.header.n_history_rows = 2;
    for (std::uint64_t i = 0; i < header.n_parameters; ++i)
      {
        c.parameters.push_back(std::sin(1. + i) / 3.);
        c.m.push_back(1e-3 * std::cos(2. + i));
        c.v.push_back(1e-6 * (1. + std::sin(3. + i)));
      }
    c.history = {0, 0.01, 4.9e7, 1.2, 1.1, 100, 0.5, 3.1e2, 0.4, 0.3};
    return c;
  }

  /** Parse @p bytes and log the message; "yes" if it was rejected with a
   * message of one line that names the entry and the file and contains
   * @p needle. */
  void
  expect_rejection(const std::string      &what,
                   const std::string      &bytes,
                   const std::string      &needle,
                   const CheckpointHeader &expected = run_header())
  {
    std::string message = "(accepted)";
    try
      {
        parse_checkpoint(bytes, expected, max_step, file);
      }
    catch (const std::invalid_argument &e)
      {
        message = e.what();
      }
    const std::string prefix =
      "subsection Training, entry 'Resume from': '" + file + "' ";
    fbpinn_tests::check(what + " is rejected",
                        message.rfind(prefix, 0) == 0 &&
                          message.find(needle) != std::string::npos &&
                          message.find('\n') == std::string::npos,
                        message);
    dealii::deallog << "  " << message << std::endl;
  }
} // namespace


int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  fbpinn_tests::initlog();
  const Checkpoint  original = checkpoint(run_header());
  const std::string bytes    = serialize_checkpoint(original);

  {
    const Checkpoint c = parse_checkpoint(bytes, run_header(), max_step, file);
    const auto      &h = c.header;
    const auto      &o = original.header;
    fbpinn_tests::check(
      "a checkpoint round-trips bit for bit",
      h.version == o.version && h.method == o.method && h.step == o.step &&
        h.input_dimension == o.input_dimension && h.hidden == o.hidden &&
        h.activation == o.activation && h.n_subdomains == o.n_subdomains &&
        h.layout_signature == o.layout_signature &&
        h.n_parameters == o.n_parameters &&
        h.n_history_rows == o.n_history_rows &&
        h.history_width == o.history_width &&
        c.parameters == original.parameters && c.m == original.m &&
        c.v == original.v && c.history == original.history,
      "fields differ");
    dealii::deallog << "  " << bytes.size() << " bytes for " << h.n_parameters
                    << " parameters and " << h.n_history_rows << " history rows"
                    << std::endl;
  }

  {
    Checkpoint c            = original;
    c.header.n_history_rows = 3;
    bool thrown             = false;
    try
      {
        serialize_checkpoint(c);
      }
    catch (const std::invalid_argument &)
      {
        thrown = true;
      }
    fbpinn_tests::check("serialize_checkpoint refuses a header that does not "
                        "match its payload",
                        thrown,
                        "no exception");
  }

  std::string flipped = bytes;
  flipped[bytes.size() / 2] ^= 0x10;
  expect_rejection("one flipped payload byte", flipped, "checksum");

  std::string flipped_step = bytes;
  flipped_step[17 + 4 + 4 + 6] ^= 0x01; // the low byte of the step
  expect_rejection("one flipped byte of the step", flipped_step, "checksum");

  expect_rejection("a file without its last 10 bytes",
                   bytes.substr(0, bytes.size() - 10),
                   "truncated");
  expect_rejection("a file cut in its header",
                   bytes.substr(0, 40),
                   "truncated");
  expect_rejection("a file cut in its magic",
                   bytes.substr(0, 10),
                   "not an fbpinn checkpoint");
  expect_rejection("an empty file", "", "not an fbpinn checkpoint");
  expect_rejection("a file with 3 bytes after its checksum",
                   bytes + "abc",
                   "3 bytes after its checksum");

  std::string magic = bytes;
  magic[0]          = 'F';
  expect_rejection("a wrong magic", magic, "not an fbpinn checkpoint");

  {
    // A version 1 file: magic, {step, n, history rows}, raw doubles.
    std::string old("fbpinn-checkpoint-1", 20);
    old += std::string(24 + 3 * 8, '\0');
    expect_rejection("a checkpoint of format version 1", old, "version 1");
  }
  {
    CheckpointHeader h = run_header();
    h.version          = 3;
    expect_rejection("a checkpoint of format version 3",
                     serialize_checkpoint(checkpoint(h)),
                     "format version 3");
  }
  {
    CheckpointHeader h = run_header();
    h.hidden           = {384}; // 3 · 384 + 1 = 1153 parameters, as 32,32
    expect_rejection("a network 1 -> [384] -> 1 with the parameter count of "
                     "[32,32]",
                     serialize_checkpoint(checkpoint(h)),
                     "hidden layers 384 and activation tanh; this run has 1 "
                     "/ 32,32 / tanh");
  }
  {
    CheckpointHeader h = run_header();
    h.activation       = "sin";
    expect_rejection("a sin network in a tanh run",
                     serialize_checkpoint(checkpoint(h)),
                     "activation sin; this run has 1 / 32,32 / tanh");
  }
  {
    CheckpointHeader h = run_header();
    h.method           = "pinn";
    expect_rejection("a pinn checkpoint in an fbpinn run",
                     serialize_checkpoint(checkpoint(h)),
                     "method 'pinn'");
  }
  {
    CheckpointHeader h = run_header();
    h.layout_signature ^= 1;
    expect_rejection("another subdomain layout of the same count",
                     serialize_checkpoint(checkpoint(h)),
                     "other boxes or parameter numbering");
  }
  {
    CheckpointHeader h = run_header();
    h.n_subdomains     = 3;
    expect_rejection("another number of subdomains",
                     serialize_checkpoint(checkpoint(h)),
                     "written on 3 subdomains; this run has 2");
  }
  {
    Checkpoint c  = original;
    c.header.step = std::numeric_limits<std::uint32_t>::max();
    expect_rejection("step 2^32 - 1",
                     serialize_checkpoint(c),
                     "step 4294967295, beyond 'Steps' = 20000");
  }
  {
    Checkpoint c    = original;
    c.parameters[7] = std::numeric_limits<double>::quiet_NaN();
    expect_rejection("a NaN parameter under a valid checksum",
                     serialize_checkpoint(c),
                     "non-finite parameter (entry 7");
  }
  {
    Checkpoint c = original;
    c.v[3]       = -1.;
    expect_rejection("a negative second moment under a valid checksum",
                     serialize_checkpoint(c),
                     "invalid second Adam moment (entry 3");
  }
}
