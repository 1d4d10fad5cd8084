#include <fbpinn/methods/interface.h>
#include <fbpinn/plugins.h>
#include <fbpinn/problems/interface.h>

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


    template <template <int> class InterfaceTemplate>
    void
    Registry<InterfaceTemplate>::add(Entry entry)
    {
      const std::string name = entry.name;
      if (!entries.emplace(name, std::move(entry)).second)
        throw std::runtime_error(
          "two plugins were registered under the name '" + name +
          "'; names must be unique");
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
      append(bool(std::get<0>(entry.factories)), "1D");
      append(bool(std::get<1>(entry.factories)), "2D");
      append(bool(std::get<2>(entry.factories)), "3D");
      return result;
    }


    template class Registry<Problems::Interface>;
    template class Registry<Methods::Interface>;
  } // namespace Plugins
} // namespace fbpinn
