#include <deal.II/grid/grid_generator.h>

#include <fbpinn/problems/interface.h>

#include <stdexcept>

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
    Interface<dim>::has_dirichlet_boundary_only() const
    {
      return true;
    }


    template <int dim>
    unsigned int
    Interface<dim>::n_boundary_conditions(const Point<dim> &) const
    {
      return 1;
    }


    template <int dim>
    LinearizedResidual<dim>
    Interface<dim>::linearize_boundary_condition(const unsigned int,
                                                 const Point<dim> &x,
                                                 const Tensor<1, dim> &,
                                                 const Jet<dim> &u) const
    {
      LinearizedResidual<dim> result;
      result.residual = u.value - dirichlet_value(x);
      result.d_value  = 1.;
      return result;
    }


    template <int dim>
    std::vector<Point<dim>>
    Interface<dim>::interior_condition_points() const
    {
      return {};
    }


    template <int dim>
    bool
    Interface<dim>::has_hard_constraint() const
    {
      return false;
    }


    template <int dim>
    void
    Interface<dim>::hard_constraint(const Point<dim> &,
                                    Jet<dim> &,
                                    Jet<dim> &) const
    {
      throw std::logic_error("this problem has no hard-constraint ansatz");
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
