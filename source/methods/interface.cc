#include <deal.II/fe/mapping_q.h>

#include <fbpinn/methods/interface.h>
#include <fbpinn/postprocess/point_values.h>

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
    const Mapping<dim> &
    Interface<dim>::get_mapping() const
    {
      static const MappingQ<dim> q1(1);
      return q1;
    }


    template <int dim>
    std::vector<PointSample<dim>>
    Interface<dim>::point_samples(const Triangulation<dim>      &triangulation,
                                  const std::vector<Point<dim>> &points) const
    {
      return evaluate_at_points<dim>(triangulation,
                                     get_mapping(),
                                     points,
                                     [this](const Quadrature<dim> &rule) {
                                       return create_evaluator(rule);
                                     });
    }


    template <int dim>
    void
    check_hard_constraints(const Problems::Interface<dim> &problem,
                           const bool                      hard_constraints,
                           const std::string              &entry)
    {
      if (!hard_constraints)
        return;
      if (!problem.has_hard_constraint())
        throw std::invalid_argument(
          entry + " = true, but this problem offers no hard-constraint "
                  "ansatz; set it to false");
      if (problem.time_derivative_order() > 1)
        throw std::invalid_argument(
          entry + " = true on a problem of order " +
          std::to_string(problem.time_derivative_order()) +
          " in time: the ansatz imposes u(x, 0) but not u_t(x, 0), whose "
          "terms it would drop; set it to false");
      if (!problem.boundary_conditions().dirichlet_wherever_conditioned())
        throw std::invalid_argument(
          entry +
          " = true imposes Dirichlet data on the whole boundary, and "
          "subsection Boundary conditions gives Neumann or Robin conditions "
          "on some boundary ids; set it to false (the conditions then become "
          "collocation rows or loss terms)");
    }


    template <int dim>
    void
    check_time_dependence(const Problems::Interface<dim> &problem,
                          const std::string              &method,
                          const std::string              &subsection,
                          const unsigned int              time_slabs)
    {
      if (problem.time_derivative_order() > 1 && problem.n_fields() > 1)
        throw std::invalid_argument(
          "Method = " + method + ": a system of order " +
          std::to_string(problem.time_derivative_order()) +
          " in time is not implemented (its initial u_t conditions are not "
          "in the field model yet)");
      if (time_slabs == 1)
        return;
      const std::string entry =
        "subsection " + subsection +
        ", entry 'Time slabs' = " + std::to_string(time_slabs);
      if (!problem.is_time_dependent())
        throw std::invalid_argument(
          entry + ": the problem is not time-dependent; use 'Time slabs' = 1");
      if (problem.n_fields() > 1)
        throw std::invalid_argument(
          entry + ": time slabs for problems with several fields are not "
                  "implemented yet; use 'Time slabs' = 1");
      if (!problem.interior_condition_points().empty())
        throw std::invalid_argument(
          entry + ": the problem has conditions at points of its own, which "
                  "time slabs do not place; use 'Time slabs' = 1");
    }


    template class Interface<1>;
    template class Interface<2>;
    template class Interface<3>;
    template void
    check_hard_constraints(const Problems::Interface<1> &,
                           const bool,
                           const std::string &);
    template void
    check_hard_constraints(const Problems::Interface<2> &,
                           const bool,
                           const std::string &);
    template void
    check_hard_constraints(const Problems::Interface<3> &,
                           const bool,
                           const std::string &);
    template void
    check_time_dependence(const Problems::Interface<1> &,
                          const std::string &,
                          const std::string &,
                          const unsigned int);
    template void
    check_time_dependence(const Problems::Interface<2> &,
                          const std::string &,
                          const std::string &,
                          const unsigned int);
    template void
    check_time_dependence(const Problems::Interface<3> &,
                          const std::string &,
                          const std::string &,
                          const unsigned int);
  } // namespace Methods
} // namespace fbpinn
