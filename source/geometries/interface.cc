#include <fbpinn/geometries/interface.h>

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


    template class Interface<1>;
    template class Interface<2>;
    template class Interface<3>;
  } // namespace Geometries
} // namespace fbpinn
