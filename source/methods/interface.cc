#include <fbpinn/methods/interface.h>

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


    template class Interface<1>;
    template class Interface<2>;
    template class Interface<3>;
  } // namespace Methods
} // namespace fbpinn
