#include <deal.II/grid/grid_generator.h>

#include <fbpinn/problems/interface.h>

namespace fbpinn
{
  namespace Problems
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
    Interface<dim>::create_coarse_mesh(Triangulation<dim> &triangulation,
                                       const unsigned int  subdivisions) const
    {
      GridGenerator::subdivided_hyper_cube(triangulation, subdivisions, 0., 1.);
    }


    template <int dim>
    double
    Interface<dim>::dirichlet_value(const Point<dim> &x) const
    {
      return exact_value(x);
    }


    template <int dim>
    bool
    Interface<dim>::has_constant_coefficients() const
    {
      return true;
    }


    template <int dim>
    Tensor<1, dim>
    Interface<dim>::second_order_coefficient_divergence(
      const Point<dim> &) const
    {
      return {};
    }


    template class Interface<1>;
    template class Interface<2>;
    template class Interface<3>;
  } // namespace Problems
} // namespace fbpinn
