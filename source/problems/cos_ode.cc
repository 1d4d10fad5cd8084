#include <deal.II/grid/grid_generator.h>

#include <fbpinn/plugins.h>
#include <fbpinn/problems/cos_ode.h>

namespace fbpinn
{
  namespace Problems
  {
    template <int dim>
    void
    CosOde<dim>::declare_parameters(ParameterHandler &prm)
    {
      prm.declare_entry("Omega",
                        "15",
                        Patterns::Double(0.,
                                         Patterns::Double::max_double_value),
                        "ω in du/dx = cos(ωx); must be positive.");
    }


    template <int dim>
    void
    CosOde<dim>::parse_parameters(ParameterHandler &prm)
    {
      omega = prm.get_double("Omega");
      if (!(omega > 0.))
        throw std::invalid_argument("entry 'Omega' must be positive");
    }


    template <int dim>
    void
    CosOde<dim>::create_coarse_mesh(Triangulation<dim> &triangulation,
                                    const unsigned int  subdivisions) const
    {
      GridGenerator::subdivided_hyper_cube(triangulation,
                                           subdivisions,
                                           -2. * M_PI,
                                           2. * M_PI);
    }


    template <int dim>
    bool
    CosOde<dim>::conditions_by_boundary_id() const
    {
      return false;
    }


    template <int dim>
    unsigned int
    CosOde<dim>::n_boundary_conditions(const types::boundary_id,
                                       const Point<dim> &x) const
    {
      return std::abs(x[0]) < 1e-12 ? 1 : 0;
    }


    template <int dim>
    std::vector<Point<dim>>
    CosOde<dim>::interior_condition_points() const
    {
      return {Point<dim>()};
    }


    template <int dim>
    bool
    CosOde<dim>::has_hard_constraint() const
    {
      return true;
    }


    template <int dim>
    void
    CosOde<dim>::hard_constraint(const Point<dim> &x,
                                 Jet<dim>         &g,
                                 Jet<dim>         &d) const
    {
      g               = Jet<dim>();
      const double s  = std::tanh(omega * x[0]);
      const double s1 = omega * (1. - s * s);
      d.value         = s;
      d.gradient[0]   = s1;
      d.hessian[0][0] = -2. * omega * s * s1;
    }


    template class CosOde<1>;
  } // namespace Problems
} // namespace fbpinn

FBPINN_REGISTER_PROBLEM_DIMS(
  fbpinn::Problems::CosOde,
  "cos-ode",
  "du/dx = cos(ωx) on [-2π, 2π], u(0) = 0, exact u = sin(ωx)/ω (entry "
  "Omega): the first-order problem of the FBPINN paper. Hard-constraint "
  "ansatz u = tanh(ωx) v.",
  1)
