#pragma once

#include <deal.II/base/parameter_handler.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

namespace fbpinn
{
  /**
   * The plugin registry, in the style of ASPECT: every problem and every method
   * registers itself with a name, a description (the user manual entry that
   * `fbpinn --print-parameters` shows), a static function that declares its
   * parameters, and a factory for each space dimension it supports.
   *
   * The registry is keyed on the interface *template* (for instance
   * Problems::Interface), so that a name exists once for all dimensions and the
   * parameter file can be declared before `set Dimension` is known.
   */
  namespace Plugins
  {
    /**
     * All plugins of one kind (problems, methods).
     *
     * @tparam InterfaceTemplate the dimension-templated interface class.
     */
    template <template <int> class InterfaceTemplate>
    class Registry
    {
    public:
      template <int dim>
      using Factory = std::function<std::unique_ptr<InterfaceTemplate<dim>>()>;

      /** What a plugin registers. */
      struct Entry
      {
        std::string name;
        std::string description;
        /** Declares the plugin's entries into the current subsection. */
        void (*declare_parameters)(dealii::ParameterHandler &) = nullptr;
        /** One factory per dimension; empty where the plugin has none. */
        std::tuple<Factory<1>, Factory<2>, Factory<3>> factories;
        /** The shared object (library or executable) that registered it. */
        std::string library;
        /** A time-dependent problem (Problems::Interface::
         * is_time_dependent()): its factories are for the space-time
         * dimension, one more than `Dimension`. */
        bool time_dependent = false;
      };

      /** The one registry of this kind (defined in the library, so that
       * plugins loaded with dlopen() register into the same object). */
      static Registry &
      instance();

      /** Add a plugin. A second plugin with the same name is not added; the
       * clash is kept for take_registration_errors(). */
      void
      add(Entry entry);

      /** The registered names, sorted. */
      std::vector<std::string>
      names() const;

      /** The names joined by '|', for a Patterns::Selection. */
      std::string
      selection_pattern() const;

      /** The documentation of the `Name` entry: every plugin's name and
       * description. */
      std::string
      documentation(const std::string &kind) const;

      /** The entry of a name; an unknown name is an error that lists the valid
       * ones. */
      const Entry &
      get(const std::string &name) const;

      /** Create the plugin @p name for dimension @p dim. */
      template <int dim>
      std::unique_ptr<InterfaceTemplate<dim>>
      create(const std::string &name) const
      {
        const Entry &entry   = get(name);
        const auto  &factory = std::get<dim - 1>(entry.factories);
        if (!factory)
          throw std::runtime_error(
            "'" + name + "' is not available in " +
            (entry.time_dependent ? std::to_string(dim - 1) + "D in space" :
                                    std::to_string(dim) + "D") +
            " (available in " + dimensions(name) + ")");
        return factory();
      }

      /** The dimensions @p name supports, e.g. "1D, 2D, 3D". */
      std::string
      dimensions(const std::string &name) const;

    private:
      std::map<std::string, Entry> entries;
    };

    /** The file name of the shared object that holds @p address. */
    std::string
    library_of(const void *address);


    /**
     * The clashes of plugin names seen since the last call (each a one-line
     * message naming both libraries), emptied by the call. Registration runs
     * while a library is loaded, where it cannot throw; the loader asks here.
     */
    std::vector<std::string>
    take_registration_errors();


    /**
     * A static object of this type registers a plugin when the library that
     * holds it is loaded. Use the macros FBPINN_REGISTER_PROBLEM and
     * FBPINN_REGISTER_METHOD rather than this class.
     *
     * @tparam Class the plugin class template, instantiated for each of @p
     * dims.
     */
    template <template <int> class InterfaceTemplate,
              template <int>
              class Class,
              int first_dim,
              int... other_dims>
    struct Registration
    {
      Registration(const char *name,
                   const char *description,
                   const bool  time_dependent = false)
      {
        typename Registry<InterfaceTemplate>::Entry entry;
        entry.name               = name;
        entry.description        = description;
        entry.time_dependent     = time_dependent;
        entry.declare_parameters = &Class<first_dim>::declare_parameters;
        // Our own address: function symbols of a second copy of a library
        // resolve to the first copy, a static object's address does not.
        entry.library = library_of(this);
        set_factory<first_dim>(entry);
        (set_factory<other_dims>(entry), ...);
        Registry<InterfaceTemplate>::instance().add(std::move(entry));
      }

    private:
      template <int dim>
      static void
      set_factory(typename Registry<InterfaceTemplate>::Entry &entry)
      {
        static_assert(dim >= 1 && dim <= 3, "fbpinn supports dim = 1, 2, 3");
        std::get<dim - 1>(entry.factories) = []() {
          return std::unique_ptr<InterfaceTemplate<dim>>(
            std::make_unique<Class<dim>>());
        };
      }
    };
  } // namespace Plugins
} // namespace fbpinn

#define FBPINN_CONCAT_IMPL(a, b) a##b
#define FBPINN_CONCAT(a, b) FBPINN_CONCAT_IMPL(a, b)

/**
 * Register a problem class template under @p name for dim = 1, 2, 3 (or for the
 * dimensions listed after the description). The last line of the problem's
 * .cc file.
 */
#define FBPINN_REGISTER_PROBLEM_DIMS(classname, name, description, ...)     \
  namespace                                                                 \
  {                                                                         \
    const ::fbpinn::Plugins::                                               \
      Registration<::fbpinn::Problems::Interface, classname, __VA_ARGS__>   \
        FBPINN_CONCAT(fbpinn_problem_registration_, __LINE__)(name,         \
                                                              description); \
  }
#define FBPINN_REGISTER_PROBLEM(classname, name, description) \
  FBPINN_REGISTER_PROBLEM_DIMS(classname, name, description, 1, 2, 3)

/**
 * Register a time-dependent problem class template (written in space-time,
 * see Problems::Interface::is_time_dependent()) under @p name for the
 * space-time dimensions listed after the description (2: 1D in space, 3: 2D
 * in space).
 */
#define FBPINN_REGISTER_TIME_DEPENDENT_PROBLEM_DIMS(classname,              \
                                                    name,                   \
                                                    description,            \
                                                    ...)                    \
  namespace                                                                 \
  {                                                                         \
    const ::fbpinn::Plugins::                                               \
      Registration<::fbpinn::Problems::Interface, classname, __VA_ARGS__>   \
        FBPINN_CONCAT(fbpinn_problem_registration_, __LINE__)(name,         \
                                                              description,  \
                                                              true);        \
  }
/** The same for the spatial dimensions 1 and 2. */
#define FBPINN_REGISTER_TIME_DEPENDENT_PROBLEM(classname, name, description) \
  FBPINN_REGISTER_TIME_DEPENDENT_PROBLEM_DIMS(classname, name, description, 2, 3)

/** Register a method class template under @p name for dim = 1, 2, 3. */
#define FBPINN_REGISTER_METHOD(classname, name, description)               \
  namespace                                                                \
  {                                                                        \
    const ::fbpinn::Plugins::                                              \
      Registration<::fbpinn::Methods::Interface, classname, 1, 2, 3>       \
        FBPINN_CONCAT(fbpinn_method_registration_, __LINE__)(name,         \
                                                             description); \
  }
