#pragma once

// Without deal.II: a pure function of bytes, so that the parser can be
// compiled alone (tests/fuzz/) and tested without a run.

#include <cstdint>
#include <string>
#include <vector>

namespace fbpinn
{
  namespace Network
  {
    /** The format version that serialize_checkpoint() writes and
     * parse_checkpoint() reads. Version 1 (fbpinn 0.1: magic, step, sizes
     * and raw doubles, no architecture, no checksum) is recognised and
     * refused. */
    constexpr std::uint32_t checkpoint_format_version = 2;

    /**
     * What a checkpoint says about the run that wrote it; parse_checkpoint()
     * compares it with the run that reads it.
     */
    struct CheckpointHeader
    {
      /** The format version (checkpoint_format_version when written). */
      std::uint32_t version = checkpoint_format_version;
      /** The method: "fbpinn" or "pinn". */
      std::string method = "fbpinn";
      /** The Adam step from which a resumed run continues. */
      std::uint64_t step = 0;
      /** The network: input dimension, hidden layer widths, activation name
       * ("tanh" or "sin"). */
      std::uint32_t              input_dimension = 1;
      std::vector<std::uint32_t> hidden;
      std::string                activation = "tanh";
      /** The number of subdomains (1 for pinn). */
      std::uint64_t n_subdomains = 0;
      /** A signature of the subdomain boxes (centres, half-widths) and of
       * the global index of each network's first parameter. */
      std::uint64_t layout_signature = 0;
      /** The number of parameters of all networks together. */
      std::uint64_t n_parameters = 0;
      /** The rows of the training history, each of history_width numbers. */
      std::uint64_t n_history_rows = 0;
      std::uint32_t history_width  = 5;
    };


    /**
     * A checkpoint: the header and the payload, parameters θ and Adam's
     * moments m, v (n_parameters each, by global index) and the training
     * history (n_history_rows × history_width, row by row).
     */
    struct Checkpoint
    {
      CheckpointHeader    header;
      std::vector<double> parameters, m, v, history;
    };


    /**
     * The bytes of @p checkpoint: the magic "fbpinn-checkpoint", the header
     * (little-endian integers, length-prefixed names), the payload (IEEE
     * doubles, little-endian) and a CRC-32 of everything before it. The sizes
     * in the header must match the payload (std::invalid_argument
     * otherwise).
     */
    std::string
    serialize_checkpoint(const Checkpoint &checkpoint);


    /**
     * Read the bytes of a checkpoint file and check them against the run
     * that resumes from it: the magic and format version, the sizes against
     * the bytes present (truncated or trailing data), the CRC-32, then the
     * method, network architecture, subdomain layout and parameter count
     * against @p expected (whose step, n_history_rows and version are not
     * used), the step against @p max_step ('Steps'), and that θ, m and v are
     * finite (v ≥ 0).
     *
     * Throws std::invalid_argument with a one-line message that begins
     * "subsection Training, entry 'Resume from': '<file_name>' " and says
     * what differs; never reads out of @p bytes, whatever they hold.
     */
    Checkpoint
    parse_checkpoint(const std::string      &bytes,
                     const CheckpointHeader &expected,
                     const std::uint64_t     max_step,
                     const std::string      &file_name);


    /** "32,32": hidden layer widths as the entry 'Hidden layers' writes
     * them. */
    std::string
    format_widths(const std::vector<std::uint32_t> &widths);
  } // namespace Network
} // namespace fbpinn
