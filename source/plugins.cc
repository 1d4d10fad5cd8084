#include <fbpinn/geometries/interface.h>
#include <fbpinn/methods/interface.h>
#include <fbpinn/plugins.h>
#include <fbpinn/problems/interface.h>

#include <dlfcn.h>
#include <sstream>
#include <stdexcept>

namespace fbpinn
{
  namespace Plugins
  {
    template <template <int> class InterfaceTemplate>
    Registry<InterfaceTemplate> &
    Registry<InterfaceTemplate>::instance()
    {
      static Registry registry;
      return registry;
    }


    namespace
    {
      /** Registrations that failed; see take_registration_errors(). */
      std::vector<std::string> &
      registration_errors()
      {
        static std::vector<std::string> errors;
        return errors;
      }
    } // namespace


    std::string
    library_of(const void *address)
    {
      Dl_info info;
      if (address != nullptr && dladdr(address, &info) != 0 &&
          info.dli_fname != nullptr)
        return info.dli_fname;
      return "an unknown library";
    }


    std::vector<std::string>
    take_registration_errors()
    {
      std::vector<std::string> errors;
      std::swap(errors, registration_errors());
      return errors;
    }


    template <template <int> class InterfaceTemplate>
    void
    Registry<InterfaceTemplate>::add(Entry entry)
    {
      // This runs in a static initialiser, while dlopen() loads a plugin:
      // an exception here would end the process, so a clash is recorded and
      // reported by whoever loaded the library.
      const std::string name     = entry.name;
      const auto        existing = entries.find(name);
      if (existing != entries.end())
        {
          registration_errors().push_back(
            "the plugin name '" + name + "' is registered twice, by '" +
            existing->second.library + "' and by '" + entry.library +
            "'; load each plugin library once and give plugins unique names");
          return;
        }
      entries.emplace(name, std::move(entry));
    }


    template <template <int> class InterfaceTemplate>
    std::vector<std::string>
    Registry<InterfaceTemplate>::names() const
    {
      std::vector<std::string> result;
      for (const auto &entry : entries)
        result.push_back(entry.first);
      return result;
    }


    template <template <int> class InterfaceTemplate>
    std::string
    Registry<InterfaceTemplate>::selection_pattern() const
    {
      std::string pattern;
      for (const auto &entry : entries)
        pattern += (pattern.empty() ? "" : "|") + entry.first;
      return pattern;
    }


    template <template <int> class InterfaceTemplate>
    std::string
    Registry<InterfaceTemplate>::documentation(const std::string &kind) const
    {
      std::ostringstream s;
      s << "The " << kind << ", one of the following.";
      for (const auto &entry : entries)
        s << "\n\n`" << entry.first << "' (" << dimensions(entry.first)
          << "): " << entry.second.description;
      return s.str();
    }


    template <template <int> class InterfaceTemplate>
    const typename Registry<InterfaceTemplate>::Entry &
    Registry<InterfaceTemplate>::get(const std::string &name) const
    {
      const auto entry = entries.find(name);
      if (entry == entries.end())
        {
          std::string valid;
          for (const auto &e : entries)
            valid += (valid.empty() ? "" : ", ") + e.first;
          throw std::runtime_error("unknown name '" + name +
                                   "'; valid names are: " + valid);
        }
      return entry->second;
    }


    template <template <int> class InterfaceTemplate>
    std::string
    Registry<InterfaceTemplate>::dimensions(const std::string &name) const
    {
      const Entry &entry = get(name);
      std::string  result;
      const auto   append = [&](const bool available, const char *d) {
        if (available)
          result += (result.empty() ? "" : ", ") + std::string(d);
      };
      if (entry.time_dependent)
        {
          // Registered in space-time dimensions: spatial dimension + 1.
          append(bool(std::get<1>(entry.factories)), "1D");
          append(bool(std::get<2>(entry.factories)), "2D");
          return result + " in space, + time";
        }
      append(bool(std::get<0>(entry.factories)), "1D");
      append(bool(std::get<1>(entry.factories)), "2D");
      append(bool(std::get<2>(entry.factories)), "3D");
      return result;
    }


    template class Registry<Problems::Interface>;
    template class Registry<Geometries::Interface>;
    template class Registry<Methods::Interface>;
  } // namespace Plugins
} // namespace fbpinn
