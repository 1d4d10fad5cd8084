#include <fbpinn/network/checkpoint.h>

#include <boost/crc.hpp>
#include <cmath>
#include <cstring>
#include <iomanip>
#include <sstream>
#include <stdexcept>

namespace fbpinn
{
  namespace Network
  {
    namespace
    {
      constexpr char        magic[]       = "fbpinn-checkpoint";
      constexpr std::size_t magic_size    = sizeof magic - 1;
      constexpr char        version_1[]   = "fbpinn-checkpoint-1";
      constexpr std::size_t max_name      = 32;
      constexpr std::size_t max_layers    = 1024;
      constexpr std::size_t max_row_width = 64;


      std::uint32_t
      crc32(const char *data, const std::size_t size)
      {
        boost::crc_32_type crc;
        crc.process_bytes(data, size);
        return crc.checksum();
      }


      /** Little-endian writer. */
      class Writer
      {
      public:
        template <typename UInt>
        void
        unsigned_integer(const UInt value)
        {
          for (unsigned int b = 0; b < sizeof(UInt); ++b)
            out.push_back(static_cast<char>((value >> (8 * b)) & 0xff));
        }

        void
        u32(const std::uint32_t value)
        {
          unsigned_integer(value);
        }

        void
        u64(const std::uint64_t value)
        {
          unsigned_integer(value);
        }

        void
        real(const double value)
        {
          std::uint64_t bits;
          std::memcpy(&bits, &value, sizeof bits);
          u64(bits);
        }

        void
        name(const std::string &text)
        {
          u32(text.size());
          out += text;
        }

        std::string out;
      };


      /** Little-endian reader that throws "truncated" past the end. */
      class Reader
      {
      public:
        Reader(const std::string &bytes, const std::string &prefix)
          : bytes(bytes)
          , prefix(prefix)
        {}

        template <typename UInt>
        UInt
        unsigned_integer()
        {
          need(sizeof(UInt));
          UInt value = 0;
          for (unsigned int b = 0; b < sizeof(UInt); ++b)
            value |= UInt(static_cast<unsigned char>(bytes[pos++])) << (8 * b);
          return value;
        }

        std::uint32_t
        u32()
        {
          return unsigned_integer<std::uint32_t>();
        }

        std::uint64_t
        u64()
        {
          return unsigned_integer<std::uint64_t>();
        }

        double
        real()
        {
          const std::uint64_t bits = u64();
          double              value;
          std::memcpy(&value, &bits, sizeof value);
          return value;
        }

        std::string
        name(const char *what)
        {
          const std::uint32_t size = u32();
          if (size > max_name)
            throw std::invalid_argument(prefix + "has a " + what + " name of " +
                                        std::to_string(size) +
                                        " bytes in its header: the file is "
                                        "corrupted");
          need(size);
          pos += size;
          return bytes.substr(pos - size, size);
        }

        void
        need(const std::size_t n) const
        {
          if (bytes.size() - pos < n)
            throw std::invalid_argument(prefix +
                                        "is truncated: its header "
                                        "ends after " +
                                        std::to_string(bytes.size()) +
                                        " bytes");
        }

        const std::string &bytes;
        const std::string &prefix;
        std::size_t        pos = 0;
      };


      /** @p text with anything but printable ASCII replaced by '?', for
       * one-line messages. */
      std::string
      printable(const std::string &text)
      {
        std::string out = text;
        for (char &c : out)
          if (c < 0x20 || c > 0x7e)
            c = '?';
        return out;
      }


      std::string
      hex(const std::uint64_t value)
      {
        std::ostringstream out;
        out << "0x" << std::hex << std::setw(16) << std::setfill('0') << value;
        return out.str();
      }


      std::string
      number(const double value)
      {
        std::ostringstream out;
        out << std::setprecision(6) << value;
        return out.str();
      }


      void
      check_finite(const std::vector<double> &values,
                   const char                *name,
                   const bool                 non_negative,
                   const std::string         &prefix)
      {
        for (std::size_t i = 0; i < values.size(); ++i)
          if (!std::isfinite(values[i]) || (non_negative && values[i] < 0))
            throw std::invalid_argument(
              prefix + "holds " +
              (non_negative ? "an invalid " : "a non-finite ") + name +
              " (entry " + std::to_string(i) + " = " + number(values[i]) +
              "): the checkpoint is corrupt; resume from an earlier "
              "checkpoint or start without 'Resume from'");
      }
    } // namespace


    std::string
    format_widths(const std::vector<std::uint32_t> &widths)
    {
      std::string out;
      for (std::size_t l = 0; l < widths.size(); ++l)
        out += (l > 0 ? "," : "") + std::to_string(widths[l]);
      return out;
    }


    std::string
    serialize_checkpoint(const Checkpoint &checkpoint)
    {
      const CheckpointHeader &h = checkpoint.header;
      if (checkpoint.parameters.size() != h.n_parameters ||
          checkpoint.m.size() != h.n_parameters ||
          checkpoint.v.size() != h.n_parameters ||
          checkpoint.history.size() != h.n_history_rows * h.history_width)
        throw std::invalid_argument(
          "serialize_checkpoint: the payload does not have the sizes "
          "announced in the header");
      if (h.method.size() > max_name || h.activation.size() > max_name ||
          h.hidden.size() > max_layers || h.history_width > max_row_width)
        throw std::invalid_argument(
          "serialize_checkpoint: a name, the layer list or the history rows "
          "are too long for the format");
      Writer w;
      w.out.append(magic, magic_size);
      w.u32(h.version);
      w.name(h.method);
      w.u64(h.step);
      w.u32(h.input_dimension);
      w.u32(h.hidden.size());
      for (const std::uint32_t width : h.hidden)
        w.u32(width);
      w.name(h.activation);
      w.u64(h.n_subdomains);
      w.u64(h.layout_signature);
      w.u64(h.n_parameters);
      w.u64(h.n_history_rows);
      w.u32(h.history_width);
      for (const auto *values : {&checkpoint.parameters,
                                 &checkpoint.m,
                                 &checkpoint.v,
                                 &checkpoint.history})
        for (const double value : *values)
          w.real(value);
      w.u32(crc32(w.out.data(), w.out.size()));
      return w.out;
    }


    Checkpoint
    parse_checkpoint(const std::string      &bytes,
                     const CheckpointHeader &expected,
                     const std::uint64_t     max_step,
                     const std::string      &file_name)
    {
      const std::string prefix =
        "subsection Training, entry 'Resume from': '" + file_name + "' ";
      if (bytes.compare(0, sizeof version_1, version_1, sizeof version_1) == 0)
        throw std::invalid_argument(
          prefix +
          "is a checkpoint of format version 1 (an older fbpinn, "
          "without architecture or checksum); this fbpinn reads "
          "version " +
          std::to_string(checkpoint_format_version) +
          ": start without 'Resume from'");
      if (bytes.compare(0, magic_size, magic, magic_size) != 0)
        throw std::invalid_argument(
          prefix + "is not an fbpinn checkpoint (it does not begin with '" +
          magic +
          "'); give a directory written with 'Checkpoint interval' > 0");

      Reader r(bytes, prefix);
      r.pos = magic_size;
      Checkpoint        c;
      CheckpointHeader &h = c.header;
      h.version           = r.u32();
      if (h.version != checkpoint_format_version)
        throw std::invalid_argument(
          prefix + "has format version " + std::to_string(h.version) +
          "; this fbpinn reads version " +
          std::to_string(checkpoint_format_version) +
          ": resume with the fbpinn that wrote it, or start without 'Resume "
          "from'");
      h.method                     = r.name("method");
      h.step                       = r.u64();
      h.input_dimension            = r.u32();
      const std::uint32_t n_hidden = r.u32();
      if (n_hidden > max_layers)
        throw std::invalid_argument(prefix + "announces " +
                                    std::to_string(n_hidden) +
                                    " hidden layers in its header: the file "
                                    "is corrupted");
      r.need(4 * std::size_t(n_hidden));
      h.hidden.resize(n_hidden);
      for (auto &width : h.hidden)
        width = r.u32();
      h.activation       = r.name("activation");
      h.n_subdomains     = r.u64();
      h.layout_signature = r.u64();
      h.n_parameters     = r.u64();
      h.n_history_rows   = r.u64();
      h.history_width    = r.u32();
      if (h.history_width > max_row_width)
        throw std::invalid_argument(
          prefix + "announces history rows of " +
          std::to_string(h.history_width) +
          " numbers in its header: the file is corrupted");

      // The payload and the checksum, without overflow for any header.
      const std::size_t left = bytes.size() - r.pos;
      const std::size_t max_doubles =
        left / 8; // anything beyond cannot be present
      const bool fits =
        h.n_parameters <= max_doubles / 3 &&
        (h.history_width == 0 ||
         h.n_history_rows <= max_doubles / h.history_width) &&
        3 * h.n_parameters + h.n_history_rows * h.history_width <=
          max_doubles &&
        8 * (3 * h.n_parameters + h.n_history_rows * h.history_width) + 4 <=
          left;
      if (!fits)
        throw std::invalid_argument(
          prefix + "is truncated: " + std::to_string(bytes.size()) +
          " bytes, too few for the " + std::to_string(h.n_parameters) +
          " parameters and " + std::to_string(h.n_history_rows) +
          " history rows its header announces; copy the whole file");
      const std::size_t payload =
        8 * (3 * h.n_parameters + h.n_history_rows * h.history_width);
      if (left != payload + 4)
        throw std::invalid_argument(
          prefix + "has " + std::to_string(left - payload - 4) +
          " bytes after its checksum: the file is corrupted");
      const std::uint32_t computed = crc32(bytes.data(), r.pos + payload);
      {
        Reader tail(bytes, prefix);
        tail.pos                   = r.pos + payload;
        const std::uint32_t stored = tail.u32();
        if (stored != computed)
          {
            std::ostringstream message;
            message << prefix << "fails its checksum (stored CRC-32 "
                    << std::hex << std::setw(8) << std::setfill('0') << stored
                    << ", computed " << std::setw(8) << computed
                    << "): the file is corrupted; resume from another "
                       "checkpoint or start without 'Resume from'";
            throw std::invalid_argument(message.str());
          }
      }

      // The run that wrote it against this one.
      if (h.method != expected.method)
        throw std::invalid_argument(prefix + "was written by the method '" +
                                    printable(h.method) + "'; this run is '" +
                                    expected.method +
                                    "': set 'Method' as in that run");
      if (h.input_dimension != expected.input_dimension ||
          h.hidden != expected.hidden || h.activation != expected.activation)
        throw std::invalid_argument(
          prefix + "was written by a network of input dimension " +
          std::to_string(h.input_dimension) + ", hidden layers " +
          format_widths(h.hidden) + " and activation " +
          printable(h.activation) + "; this run has " +
          std::to_string(expected.input_dimension) + " / " +
          format_widths(expected.hidden) + " / " + expected.activation +
          ": set 'Dimension', 'Hidden layers' and 'Activation' as in that "
          "run");
      if (h.n_subdomains != expected.n_subdomains ||
          h.layout_signature != expected.layout_signature)
        throw std::invalid_argument(
          prefix + "was written on " + std::to_string(h.n_subdomains) +
          " subdomains" +
          (h.n_subdomains == expected.n_subdomains ?
             " with other boxes or parameter numbering (layout signature " +
               hex(h.layout_signature) + ", this run " +
               hex(expected.layout_signature) + ")" :
             "; this run has " + std::to_string(expected.n_subdomains)) +
          ": use the mesh, 'Overlap factor' and 'Levels' of that run (with "
          "'Levels' > 1 also its number of MPI ranks, which numbers the "
          "parameters)");
      if (h.n_parameters != expected.n_parameters)
        throw std::invalid_argument(
          prefix + "has " + std::to_string(h.n_parameters) +
          " parameters, this run has " + std::to_string(expected.n_parameters) +
          "; the network or the mesh differ");
      if (h.history_width != expected.history_width)
        throw std::invalid_argument(prefix + "has history rows of " +
                                    std::to_string(h.history_width) +
                                    " numbers, this fbpinn writes " +
                                    std::to_string(expected.history_width) +
                                    ": the conditions or 'Causal weighting' "
                                    "and 'Causal chunks' differ, or another "
                                    "fbpinn wrote it");
      if (h.step > max_step)
        throw std::invalid_argument(
          prefix + "is of step " + std::to_string(h.step) +
          ", beyond 'Steps' = " + std::to_string(max_step) +
          ": raise 'Steps' to at least " + std::to_string(h.step) +
          " or resume from an earlier checkpoint");

      const std::size_t n = h.n_parameters;
      for (auto *values : {&c.parameters, &c.m, &c.v})
        {
          values->resize(n);
          for (double &value : *values)
            value = r.real();
        }
      c.history.resize(h.n_history_rows * h.history_width);
      for (double &value : c.history)
        value = r.real();
      check_finite(c.parameters, "parameter", false, prefix);
      check_finite(c.m, "first Adam moment", false, prefix);
      check_finite(c.v, "second Adam moment", true, prefix);
      return c;
    }
  } // namespace Network
} // namespace fbpinn
