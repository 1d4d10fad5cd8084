#include <deal.II/base/utilities.h>

#include <fbpinn/geometries/interface.h>

#include <stdexcept>
#include <vector>

namespace fbpinn
{
  namespace Geometries
  {
    template <int dim>
    void
    Interface<dim>::declare_parameters(ParameterHandler &)
    {}


    template <int dim>
    void
    Interface<dim>::parse_parameters(ParameterHandler &, const std::string &)
    {}


    template <int dim>
    Point<dim>
    read_point(ParameterHandler  &prm,
               const std::string &geometry,
               const std::string &entry)
    {
      const std::vector<double> values = Utilities::string_to_double(
        Utilities::split_string_list(prm.get(entry)));
      if (values.size() < static_cast<std::size_t>(dim))
        throw std::invalid_argument(
          "subsection Geometry, subsection " + geometry + ", entry '" + entry +
          "' = '" + prm.get(entry) + "' has " + std::to_string(values.size()) +
          " values; give " + std::to_string(dim) + " (one per direction)");
      Point<dim> p;
      for (int d = 0; d < dim; ++d)
        p[d] = values[d];
      return p;
    }


    template class Interface<1>;
    template class Interface<2>;
    template class Interface<3>;
    template Point<1>
    read_point(ParameterHandler &, const std::string &, const std::string &);
    template Point<2>
    read_point(ParameterHandler &, const std::string &, const std::string &);
    template Point<3>
    read_point(ParameterHandler &, const std::string &, const std::string &);
  } // namespace Geometries
} // namespace fbpinn
