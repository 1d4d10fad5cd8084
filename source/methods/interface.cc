#include <fbpinn/methods/interface.h>

#include <stdexcept>

namespace fbpinn
{
  namespace Methods
  {
    template <int dim>
    void
    Interface<dim>::declare_parameters(ParameterHandler &)
    {}


    template <int dim>
    void
    Interface<dim>::parse_parameters(ParameterHandler &)
    {}


    template <int dim>
    void
    require_single_field(const Problems::Interface<dim> &problem,
                         const std::string              &method)
    {
      const unsigned int n = problem.n_fields();
      if (n == 1)
        return;
      std::string names;
      for (const std::string &name : problem.field_names())
        names += (names.empty() ? "" : ", ") + name;
      throw std::invalid_argument(
        "Method = " + method +
        " treats problems with one field, and this "
        "problem has " +
        std::to_string(n) + " (" + names +
        "); systems are "
        "implemented in fem and elm so far: use 'set Method = fem' or "
        "'elm'");
    }


    template class Interface<1>;
    template class Interface<2>;
    template class Interface<3>;
    template void
    require_single_field(const Problems::Interface<1> &, const std::string &);
    template void
    require_single_field(const Problems::Interface<2> &, const std::string &);
    template void
    require_single_field(const Problems::Interface<3> &, const std::string &);
  } // namespace Methods
} // namespace fbpinn
