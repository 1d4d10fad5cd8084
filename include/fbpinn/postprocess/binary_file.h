#pragma once

// The little pieces of the methods' own checkpoint files (ELM's time slabs,
// the method of lines' time steps): raw values appended to and read from a
// byte string, a CRC-32 of it (Boost's), an FNV-1a hash for layout
// signatures, and the whole file read at once. Without deal.II.

#include <boost/crc.hpp>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

namespace fbpinn
{
  namespace BinaryFile
  {
    /** Append the bytes of @p value to @p out. */
    template <typename T>
    void
    put(std::string &out, const T value)
    {
      char bytes[sizeof(T)];
      std::memcpy(bytes, &value, sizeof(T));
      out.append(bytes, sizeof(T));
    }

    /** The value at @p pos of @p in; @p pos moves past it. The caller has
     * checked the size. */
    template <typename T>
    T
    get(const std::string &in, std::size_t &pos)
    {
      T value;
      std::memcpy(&value, in.data() + pos, sizeof(T));
      pos += sizeof(T);
      return value;
    }

    /** CRC-32 of @p size bytes at @p data. */
    inline std::uint32_t
    checksum(const char *data, const std::size_t size)
    {
      boost::crc_32_type crc;
      crc.process_bytes(data, size);
      return crc.checksum();
    }

    /** The FNV-1a offset basis, where a hash with mix() starts. */
    constexpr std::uint64_t hash_start = 14695981039346656037ull;

    /** FNV-1a over the bytes of @p value, continuing from @p hash. */
    template <typename T>
    std::uint64_t
    mix(std::uint64_t hash, const T value)
    {
      unsigned char bytes[sizeof(T)];
      std::memcpy(bytes, &value, sizeof(T));
      for (const unsigned char b : bytes)
        hash = (hash ^ b) * 1099511628211ull;
      return hash;
    }

    /** The bytes of the file @p name, or nothing if it cannot be read. */
    inline std::optional<std::string>
    read(const std::string &name)
    {
      std::ifstream in(name, std::ios::binary);
      if (!in)
        return std::nullopt;
      std::ostringstream buffer(std::ios::binary);
      buffer << in.rdbuf();
      if (!in)
        return std::nullopt;
      return buffer.str();
    }
  } // namespace BinaryFile
} // namespace fbpinn
