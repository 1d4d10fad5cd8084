#include <deal.II/base/utilities.h>

#include <fbpinn/problems/boundary_conditions.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <tuple>
#include <utility>

namespace fbpinn
{
  namespace Problems
  {
    namespace
    {
      const std::string section = "subsection Boundary conditions, entry '";

      /** The ids of a list entry ("0, 2"); "all" only where @p allow_all. */
      std::set<types::boundary_id>
      read_ids(ParameterHandler &prm, const std::string &entry, bool &all)
      {
        const std::string text = Utilities::trim(prm.get(entry));
        all                    = false;
        std::set<types::boundary_id> ids;
        if (text == "all")
          {
            all = true;
            return ids;
          }
        for (const std::string &item : Utilities::split_string_list(text))
          {
            int id = -1;
            try
              {
                id = Utilities::string_to_int(item);
              }
            catch (...)
              {
                id = -1;
              }
            if (id < 0 || static_cast<unsigned long long>(id) >=
                            numbers::internal_face_boundary_id)
              throw std::invalid_argument(
                section + entry + "' = '" + text + "': '" + item +
                "' is not a boundary id (a non-negative integer below " +
                std::to_string(numbers::internal_face_boundary_id) + ")");
            if (!ids.insert(types::boundary_id(id)).second)
              throw std::invalid_argument(section + entry + "' = '" + text +
                                          "' names boundary id " + item +
                                          " twice");
          }
        return ids;
      }


      std::string
      id_list(const std::set<types::boundary_id> &ids)
      {
        std::string s;
        for (const types::boundary_id id : ids)
          s += (s.empty() ? "" : ", ") + std::to_string(id);
        return s.empty() ? "none" : s;
      }
    } // namespace


    void
    BoundaryConditions::declare_parameters(ParameterHandler &prm)
    {
      prm.enter_subsection("Boundary conditions");
      {
        prm.declare_entry(
          "Dirichlet boundary ids",
          "all",
          Patterns::Anything(),
          "The boundary ids where the fields are given (u = g): a "
          "comma-separated list, or 'all' for every id of the mesh that is "
          "not named below. The geometry sets the ids (see subsection "
          "Geometry; hyper-rectangle: 2d and 2d + 1 on the lower and upper "
          "faces in direction d).");
        prm.declare_entry(
          "Neumann boundary ids",
          "",
          Patterns::Anything(),
          "The boundary ids where the normal flux is given, Φ·n = g, with Φ "
          "the flux of the weak form (∂u/∂n for −Δu, (a∇u)·n for "
          "−∇·(a∇u)): a comma-separated list.");
        prm.declare_entry("Robin boundary ids",
                          "",
                          Patterns::Anything(),
                          "The boundary ids where Φ·n + α u = g holds, α "
                          "the Robin coefficient: a comma-separated list.");
        prm.declare_entry("Robin coefficient",
                          "1",
                          Patterns::Double(),
                          "α in the Robin condition Φ·n + α u = g.");
        prm.declare_entry(
          "Dirichlet components",
          "",
          Patterns::Anything(),
          "For a system: the fields (by name, e.g. 'u_x') that are given on "
          "the Dirichlet ids; the others take the Neumann condition there. "
          "Empty: every field with boundary data.");
      }
      prm.leave_subsection();
    }


    void
    BoundaryConditions::parse_parameters(
      ParameterHandler               &prm,
      const std::vector<std::string> &field_names)
    {
      prm.enter_subsection("Boundary conditions");
      bool all = false, unused = false;
      dirichlet         = read_ids(prm, "Dirichlet boundary ids", all);
      dirichlet_on_rest = all;
      neumann           = read_ids(prm, "Neumann boundary ids", unused);
      if (unused)
        throw std::invalid_argument(
          section +
          "Neumann boundary ids' = 'all': 'all' is only for the Dirichlet "
          "ids; list the Neumann ids");
      robin = read_ids(prm, "Robin boundary ids", unused);
      if (unused)
        throw std::invalid_argument(
          section +
          "Robin boundary ids' = 'all': 'all' is only for the Dirichlet "
          "ids; list the Robin ids");
      alpha = prm.get_double("Robin coefficient");
      if (!std::isfinite(alpha))
        throw std::invalid_argument(section +
                                    "Robin coefficient' must be finite");
      const std::vector<std::string> components =
        Utilities::split_string_list(prm.get("Dirichlet components"));
      dirichlet_components.clear();
      if (!components.empty())
        {
          dirichlet_components.assign(field_names.size(), false);
          for (const std::string &name : components)
            {
              const auto it =
                std::find(field_names.begin(), field_names.end(), name);
              if (it == field_names.end())
                {
                  std::string names;
                  for (const std::string &n : field_names)
                    names += (names.empty() ? "" : ", ") + n;
                  throw std::invalid_argument(
                    section + "Dirichlet components': '" + name +
                    "' is not a field of this problem; its fields are " +
                    names);
                }
              dirichlet_components[it - field_names.begin()] = true;
            }
        }
      prm.leave_subsection();

      for (const auto &[a, b, name_a, name_b] :
           {std::make_tuple(&dirichlet, &neumann, "Dirichlet", "Neumann"),
            std::make_tuple(&dirichlet, &robin, "Dirichlet", "Robin"),
            std::make_tuple(&neumann, &robin, "Neumann", "Robin")})
        for (const types::boundary_id id : *a)
          if (b->count(id) != 0)
            throw std::invalid_argument(
              "subsection Boundary conditions: boundary id " +
              std::to_string(id) + " is named in '" + name_a +
              " boundary ids' and in '" + name_b +
              " boundary ids'; give each id one condition");
    }


    void
    BoundaryConditions::check_boundary_ids(
      const std::set<types::boundary_id> &ids)
    {
      mesh_ids = ids;
      for (const auto &[named, entry] :
           {std::make_pair(&dirichlet, "Dirichlet"),
            std::make_pair(&neumann, "Neumann"),
            std::make_pair(&robin, "Robin")})
        for (const types::boundary_id id : *named)
          if (ids.count(id) == 0)
            throw std::invalid_argument(
              section + entry + " boundary ids' names boundary id " +
              std::to_string(id) + ", which the mesh does not have (its ids: " +
              id_list(ids) + "; see subsection Geometry)");
      if (!dirichlet_on_rest)
        for (const types::boundary_id id : ids)
          if (dirichlet.count(id) + neumann.count(id) + robin.count(id) +
                initial_ids.count(id) + free_ids.count(id) ==
              0)
            throw std::invalid_argument(
              "subsection Boundary conditions: boundary id " +
              std::to_string(id) +
              " of the mesh has no condition; name it in 'Dirichlet boundary "
              "ids', 'Neumann boundary ids' or 'Robin boundary ids', or set "
              "'Dirichlet boundary ids = all'");
    }


    void
    BoundaryConditions::set_time_faces(const types::boundary_id initial_id,
                                       const types::boundary_id final_id)
    {
      for (const types::boundary_id id : {initial_id, final_id})
        if (dirichlet.count(id) + neumann.count(id) + robin.count(id) != 0)
          throw std::invalid_argument(
            "subsection Boundary conditions names boundary id " +
            std::to_string(id) +
            ", which is the face t = " + (id == initial_id ? "0" : "T") +
            " of this time-dependent problem's space-time domain (its "
            "initial conditions hold at t = 0 and nothing at t = T); name "
            "only the spatial ids");
      initial_ids = {initial_id};
      free_ids    = {final_id};
    }


    BoundaryKind
    BoundaryConditions::kind(const types::boundary_id id,
                             const unsigned int       field) const
    {
      if (initial_ids.count(id) != 0)
        return BoundaryKind::dirichlet;
      if (free_ids.count(id) != 0)
        return BoundaryKind::none;
      if (neumann.count(id) != 0)
        return BoundaryKind::neumann;
      if (robin.count(id) != 0)
        return BoundaryKind::robin;
      if (!dirichlet_components.empty() &&
          (field >= dirichlet_components.size() ||
           !dirichlet_components[field]))
        return BoundaryKind::neumann;
      return BoundaryKind::dirichlet;
    }


    bool
    BoundaryConditions::dirichlet_everywhere() const
    {
      if (!neumann.empty() || !robin.empty() || !free_ids.empty())
        return false;
      return std::all_of(dirichlet_components.begin(),
                         dirichlet_components.end(),
                         [](const bool b) { return b; });
    }


    bool
    BoundaryConditions::dirichlet_wherever_conditioned() const
    {
      if (!neumann.empty() || !robin.empty())
        return false;
      return std::all_of(dirichlet_components.begin(),
                         dirichlet_components.end(),
                         [](const bool b) { return b; });
    }


    bool
    BoundaryConditions::fixes_value(const unsigned int field) const
    {
      for (const types::boundary_id id : mesh_ids)
        if (kind(id, field) == BoundaryKind::dirichlet ||
            kind(id, field) == BoundaryKind::robin)
          return true;
      return mesh_ids.empty();
    }
  } // namespace Problems
} // namespace fbpinn
