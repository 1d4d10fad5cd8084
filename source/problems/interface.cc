#include <deal.II/grid/grid_generator.h>

#include <fbpinn/problems/interface.h>

#include <cmath>
#include <cstdint>
#include <sstream>
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
      if (is_time_dependent())
        {
          Point<dim> upper;
          for (int d = 0; d + 1 < dim; ++d)
            upper[d] = 1.;
          create_space_time_box(triangulation,
                                Point<dim>(),
                                upper,
                                subdivisions);
          return;
        }
      GridGenerator::subdivided_hyper_cube(triangulation,
                                           subdivisions,
                                           0.,
                                           1.,
                                           /*colorize=*/true);
    }


    template <int dim>
    unsigned int
    Interface<dim>::time_derivative_order() const
    {
      return 0;
    }


    template <int dim>
    void
    Interface<dim>::set_time_interval(const double       end_time,
                                      const unsigned int n_cells)
    {
      if (!(end_time > 0.) || !std::isfinite(end_time))
        throw std::invalid_argument("entry 'End time' must be positive, not " +
                                    std::to_string(end_time));
      if (n_cells == 0)
        throw std::invalid_argument(
          "subsection Mesh, entry 'Time subdivisions' must be at least 1");
      final_time          = end_time;
      n_time_subdivisions = n_cells;
    }


    template <int dim>
    void
    Interface<dim>::create_space_time_box(Triangulation<dim> &triangulation,
                                          const Point<dim>   &lower,
                                          const Point<dim>   &upper,
                                          const unsigned int subdivisions) const
    {
      Assert(is_time_dependent(), ExcInternalError());
      std::vector<unsigned int> repetitions(dim, subdivisions);
      repetitions[dim - 1] = n_time_subdivisions;
      Point<dim> p0 = lower, p1 = upper;
      p0[dim - 1] = 0.;
      p1[dim - 1] = final_time;
      GridGenerator::subdivided_hyper_rectangle(triangulation,
                                                repetitions,
                                                p0,
                                                p1,
                                                /*colorize=*/true);
    }


    template <int dim>
    double
    Interface<dim>::dirichlet_value(const Point<dim> &x) const
    {
      return exact_value(x);
    }


    template <int dim>
    double
    Interface<dim>::initial_time_derivative(const Point<dim> &x) const
    {
      return exact_value_and_gradient(x).second[dim - 1];
    }


    template <int dim>
    bool
    Interface<dim>::has_exact_solution() const
    {
      return true;
    }


    template <int dim>
    bool
    Interface<dim>::conditions_by_boundary_id() const
    {
      return true;
    }


    template <int dim>
    void
    Interface<dim>::set_boundary_conditions(const BoundaryConditions &bc,
                                            const std::vector<bool>  &free)
    {
      conditions     = bc;
      free_constants = free;
    }


    template <int dim>
    bool
    Interface<dim>::solution_up_to_constant(const unsigned int f) const
    {
      return field_up_to_constant(f) ||
             (f < free_constants.size() && free_constants[f]);
    }


    template <int dim>
    void
    Interface<dim>::boundary_data_fields(const types::boundary_id id,
                                         const Point<dim>        &x,
                                         const Tensor<1, dim>    &normal,
                                         std::vector<double>     &g) const
    {
      const unsigned int n = n_fields();
      g.assign(n, 0.);
      if (!has_exact_solution())
        {
          // Dirichlet data from dirichlet_value(), homogeneous natural
          // conditions (a problem with other data overrides this function).
          if (n == 1 && conditions.kind(id, 0) == BoundaryKind::dirichlet)
            g[0] = dirichlet_value(x);
          return;
        }
      std::vector<double>         values;
      std::vector<Tensor<1, dim>> gradients;
      exact_fields(x, values, gradients);
      if (n == 1)
        values[0] = dirichlet_value(x);
      FieldWeakForm<dim> w;
      bool               have_flux = false;
      for (unsigned int f = 0; f < n; ++f)
        {
          const BoundaryKind kind = conditions.kind(id, f);
          if (kind == BoundaryKind::none)
            {
              g[f] = 0.;
              continue;
            }
          if (kind == BoundaryKind::dirichlet)
            {
              g[f] = values[f];
              continue;
            }
          if (!have_flux)
            {
              weak_form_fields(x, values, gradients, w);
              have_flux = true;
            }
          g[f] = w.flux[f] * normal;
          if (kind == BoundaryKind::robin)
            g[f] += conditions.robin_coefficient() * values[f];
        }
    }


    template <int dim>
    void
    Interface<dim>::linearize_boundary_fields(
      const types::boundary_id     id,
      const Point<dim>            &x,
      const Tensor<1, dim>        &normal,
      const std::vector<Jet<dim>> &u,
      FieldLinearization<dim>     &result) const
    {
      const unsigned int n = n_fields();
      result.reinit(n);
      std::vector<double> g;
      boundary_data_fields(id, x, normal, g);
      FieldWeakForm<dim> w;
      bool               have_flux = false;
      for (unsigned int e = 0; e < n; ++e)
        {
          if (!field_has_boundary_data(e))
            continue;
          const BoundaryKind kind = conditions.kind(id, e);
          if (kind == BoundaryKind::none)
            continue;
          if (kind == BoundaryKind::dirichlet)
            {
              result.residual[e]                   = u[e].value - g[e];
              result.derivative[e * n + e].d_value = 1.;
              continue;
            }
          if (!have_flux)
            {
              std::vector<double>         values(n);
              std::vector<Tensor<1, dim>> gradients(n);
              for (unsigned int f = 0; f < n; ++f)
                {
                  values[f] = u[f].value;
                  for (int d = 0; d < dim; ++d)
                    gradients[f][d] = u[f].gradient[d];
                }
              weak_form_fields(x, values, gradients, w);
              have_flux = true;
            }
          // b = Φ_e(u)·n (+ α u_e) − g_e; ∂(Φ·n)/∂(∂_k u_f) = Σ_i n_i
          // ∂Φ_i/∂(∂_k u_f).
          const double alpha =
            kind == BoundaryKind::robin ? conditions.robin_coefficient() : 0.;
          result.residual[e] = w.flux[e] * normal + alpha * u[e].value - g[e];
          for (unsigned int f = 0; f < n; ++f)
            {
              LinearizedResidual<dim> &l = result.derivative[e * n + f];
              l.d_value =
                w.d_flux_d_value[e * n + f] * normal + (e == f ? alpha : 0.);
              l.d_gradient = normal * w.d_flux_d_gradient[e * n + f];
            }
        }
    }


    template <int dim>
    unsigned int
    Interface<dim>::n_boundary_conditions(const types::boundary_id id,
                                          const Point<dim> &) const
    {
      if (conditions.is_free(id))
        return 0;
      // Second order in time: u and u_t on the face t = 0.
      return conditions.is_initial(id) && time_derivative_order() == 2 ? 2 : 1;
    }


    template <int dim>
    LinearizedResidual<dim>
    Interface<dim>::linearize_boundary_condition(const unsigned int       m,
                                                 const types::boundary_id id,
                                                 const Point<dim>        &x,
                                                 const Tensor<1, dim> &normal,
                                                 const Jet<dim>       &u) const
    {
      LinearizedResidual<dim> result;
      if (m == 1 && conditions.is_initial(id))
        {
          // u_t − u_t(x, 0) (see n_boundary_conditions()).
          result.residual = u.gradient[dim - 1] - initial_time_derivative(x);
          result.d_gradient[dim - 1] = 1.;
          return result;
        }
      if (conditions.kind(id, 0) == BoundaryKind::dirichlet)
        {
          result.residual = u.value - dirichlet_value(x);
          result.d_value  = 1.;
          return result;
        }
      FieldLinearization<dim> fields;
      linearize_boundary_fields(id, x, normal, {u}, fields);
      result          = fields.derivative[0];
      result.residual = fields.residual[0];
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
    unsigned int
    Interface<dim>::n_fields() const
    {
      return 1;
    }


    template <int dim>
    std::vector<std::string>
    Interface<dim>::field_names() const
    {
      return {"u"};
    }


    template <int dim>
    int
    Interface<dim>::field_degree_offset(const unsigned int) const
    {
      return 0;
    }


    template <int dim>
    bool
    Interface<dim>::field_up_to_constant(const unsigned int) const
    {
      return false;
    }


    template <int dim>
    bool
    Interface<dim>::field_has_boundary_data(const unsigned int) const
    {
      return true;
    }


    template <int dim>
    void
    Interface<dim>::check_boundary_conditions(const BoundaryConditions &) const
    {}


    template <int dim>
    bool
    Interface<dim>::has_flux_form() const
    {
      return false;
    }


    template <int dim>
    void
    Interface<dim>::verify_flux_form(const std::vector<Point<dim>> &) const
    {}


    template <int dim>
    void
    Interface<dim>::linearize_fields(const Point<dim>            &x,
                                     const std::vector<Jet<dim>> &u,
                                     FieldLinearization<dim>     &result) const
    {
      result.reinit(1);
      result.derivative[0] = linearize_operator(x, u[0]);
      result.residual[0]   = result.derivative[0].residual;
    }


    template <int dim>
    void
    Interface<dim>::weak_form_fields(
      const Point<dim>                  &x,
      const std::vector<double>         &values,
      const std::vector<Tensor<1, dim>> &gradients,
      FieldWeakForm<dim>                &result) const
    {
      const WeakFormPoint<dim> w = weak_form(x, values[0], gradients[0]);
      result.reinit(1);
      result.flux[0]                = w.flux;
      result.source[0]              = w.source;
      result.d_flux_d_value[0]      = w.d_flux_d_value;
      result.d_flux_d_gradient[0]   = w.d_flux_d_gradient;
      result.d_source_d_value[0]    = w.d_source_d_value;
      result.d_source_d_gradient[0] = w.d_source_d_gradient;
      result.gradient_dependence    = w.gradient_dependence;
    }


    template <int dim>
    void
    Interface<dim>::forcing_fields(const Point<dim>    &x,
                                   std::vector<double> &f) const
    {
      f.assign(1, forcing(x));
    }


    template <int dim>
    void
    Interface<dim>::exact_fields(const Point<dim>            &x,
                                 std::vector<double>         &values,
                                 std::vector<Tensor<1, dim>> &gradients) const
    {
      const auto [value, gradient] = exact_value_and_gradient(x);
      values.assign(1, value);
      gradients.assign(1, gradient);
    }


    template <int dim>
    void
    Interface<dim>::exact_field_jets(const Point<dim>      &x,
                                     std::vector<Jet<dim>> &jets) const
    {
      jets.assign(1, exact_jet(x));
    }


    template <int dim>
    void
    verify_declared_linearity(const Interface<dim>          &problem,
                              const std::string             &name,
                              const std::vector<Point<dim>> &points)
    {
      // Coefficients must be finite whether or not the problem is linear.
      // Affine means N[J] = N[0] + ∂N/∂J : J for every jet J, with the same
      // derivative everywhere; two jets (u*'s and a pseudo-random one) test
      // it at each point, equation by equation and field by field.
      std::uint64_t state  = 0x9e3779b97f4a7c15ULL;
      const auto    random = [&state]() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return double(state >> 11) / double(1ULL << 53) * 2. - 1.;
      };
      const unsigned int n     = problem.n_fields();
      const auto         where = [](const Point<dim> &x) {
        std::ostringstream s;
        s << x;
        return s.str();
      };
      const auto jet_sum = [](const Jet<dim> &jet) {
        double sum = jet.value;
        for (int d = 0; d < dim; ++d)
          {
            sum += jet.gradient[d];
            for (int e = 0; e < dim; ++e)
              sum += jet.hessian[d][e];
          }
        return sum;
      };

      FieldLinearization<dim> zero, at;
      std::vector<Jet<dim>>   exact, random_jets(n);
      for (const Point<dim> &x : points)
        {
          problem.linearize_fields(x, std::vector<Jet<dim>>(n), zero);
          double sum = 0;
          for (unsigned int e = 0; e < n; ++e)
            {
              sum += zero.residual[e];
              for (unsigned int f = 0; f < n; ++f)
                {
                  const LinearizedResidual<dim> &l = zero.derivative[e * n + f];
                  sum += l.d_value;
                  for (int d = 0; d < dim; ++d)
                    {
                      sum += l.d_gradient[d];
                      for (int k = 0; k < dim; ++k)
                        sum += l.d_hessian[d][k];
                    }
                }
            }
          if (!std::isfinite(sum))
            throw std::invalid_argument(
              "the operator of problem '" + name +
              "' has coefficients that are not finite (inf or NaN) at x = " +
              where(x) +
              ": a coefficient overflows; check the entries of its "
              "subsection Problem");
          if (!problem.is_linear())
            continue;

          for (auto &jet : random_jets)
            {
              jet.value = random();
              for (int d = 0; d < dim; ++d)
                {
                  jet.gradient[d] = random();
                  for (int e = 0; e < dim; ++e)
                    jet.hessian[d][e] = random();
                }
            }
          if (problem.has_exact_solution())
            problem.exact_field_jets(x, exact);
          else
            exact = random_jets;
          for (const std::vector<Jet<dim>> *jets : {&exact, &random_jets})
            {
              // An exact solution that is not finite at x (x outside its
              // domain) tests nothing there.
              bool finite = true;
              for (const Jet<dim> &jet : *jets)
                finite = finite && std::isfinite(jet_sum(jet));
              if (!finite)
                continue;
              problem.linearize_fields(x, *jets, at);
              for (unsigned int e = 0; e < n; ++e)
                {
                  double scale  = std::abs(zero.residual[e]);
                  double affine = zero.residual[e];
                  double change = 0, size = 0;
                  for (unsigned int f = 0; f < n; ++f)
                    {
                      const LinearizedResidual<dim> &z =
                        zero.derivative[e * n + f];
                      const LinearizedResidual<dim> &a =
                        at.derivative[e * n + f];
                      const Jet<dim> &jet = (*jets)[f];
                      scale += std::abs(z.d_value) * std::abs(jet.value);
                      affine += z.d_value * jet.value;
                      change += std::abs(a.d_value - z.d_value);
                      size += std::abs(z.d_value);
                      for (int d = 0; d < dim; ++d)
                        {
                          affine += z.d_gradient[d] * jet.gradient[d];
                          scale += std::abs(z.d_gradient[d] * jet.gradient[d]);
                          change += std::abs(a.d_gradient[d] - z.d_gradient[d]);
                          size += std::abs(z.d_gradient[d]);
                          for (int k = 0; k < dim; ++k)
                            {
                              affine += z.d_hessian[d][k] * jet.hessian[d][k];
                              scale +=
                                std::abs(z.d_hessian[d][k] * jet.hessian[d][k]);
                              change +=
                                std::abs(a.d_hessian[d][k] - z.d_hessian[d][k]);
                              size += std::abs(z.d_hessian[d][k]);
                            }
                        }
                    }
                  const double tolerance = 1e-10;
                  if (!(change <= tolerance * (size + 1e-300)) ||
                      !(std::abs(at.residual[e] - affine) <=
                        tolerance * (scale + 1e-300)))
                    throw std::invalid_argument(
                      "problem '" + name +
                      "' declares is_linear() = true, but its operator's "
                      "derivative with respect to u depends on u (at x = " +
                      where(x) +
                      (n > 1 ? ", equation " + std::to_string(e) :
                               std::string()) +
                      "); make is_linear() return false so that the methods "
                      "solve it as the nonlinear problem it is");
                }
            }
        }
    }


    template <int dim>
    void
    apply_boundary_conditions(Interface<dim>                &problem,
                              const BoundaryConditions      &bc,
                              const std::vector<Point<dim>> &points)
    {
      const unsigned int      n = problem.n_fields();
      std::vector<bool>       free(n, false);
      std::vector<Jet<dim>>   exact, shifted;
      FieldLinearization<dim> at, at_shifted;
      for (unsigned int f = 0; f < n; ++f)
        {
          if (!problem.field_has_boundary_data(f) || bc.fixes_value(f))
            continue;
          // u*_f + 1 must leave every equation unchanged at every point.
          bool invariant = true;
          for (const Point<dim> &x : points)
            {
              if (problem.has_exact_solution())
                problem.exact_field_jets(x, exact);
              else
                {
                  // Any jet tests the invariance; one of numbers of size 1.
                  exact.assign(n, Jet<dim>());
                  for (unsigned int g = 0; g < n; ++g)
                    {
                      exact[g].value = 0.3 + 0.1 * g;
                      for (int d = 0; d < dim; ++d)
                        {
                          exact[g].gradient[d]   = 0.7 - 0.2 * d;
                          exact[g].hessian[d][d] = -0.4 + 0.3 * g;
                        }
                    }
                }
              shifted = exact;
              shifted[f].value += 1.;
              problem.linearize_fields(x, exact, at);
              problem.linearize_fields(x, shifted, at_shifted);
              for (unsigned int e = 0; e < n; ++e)
                invariant = invariant &&
                            std::abs(at.residual[e] - at_shifted.residual[e]) <=
                              1e-10 * (1. + std::abs(at.residual[e]));
            }
          free[f] = invariant;
        }
      problem.set_boundary_conditions(bc, free);
      problem.check_boundary_conditions(bc);
      // A system with a field determined up to a constant (stokes' pressure)
      // and natural conditions needs a flux form that holds that field (the
      // traction ν∂u/∂n − p n): the weak form derived from the residual (∇p
      // not integrated by parts) gives ν∂u/∂n alone, and its discrete
      // systems lose an equation.
      if (n > 1 && !bc.dirichlet_everywhere() && !problem.has_flux_form())
        for (unsigned int f = 0; f < n; ++f)
          if (problem.field_up_to_constant(f) || free[f])
            throw std::invalid_argument(
              "subsection Boundary conditions: Neumann or Robin conditions on "
              "a system with a field determined only up to a constant (" +
              problem.field_names()[f] +
              ") need the problem's flux form (SystemProblem::flux_form(), "
              "e.g. the traction ν∂u/∂n − p n), which this problem does not "
              "give; give Dirichlet data for every field with data on every "
              "boundary id");
    }


    template class Interface<1>;
    template class Interface<2>;
    template class Interface<3>;
    template void
    apply_boundary_conditions(Interface<1> &,
                              const BoundaryConditions &,
                              const std::vector<Point<1>> &);
    template void
    verify_declared_linearity(const Interface<1> &,
                              const std::string &,
                              const std::vector<Point<1>> &);
    template void
    apply_boundary_conditions(Interface<2> &,
                              const BoundaryConditions &,
                              const std::vector<Point<2>> &);
    template void
    verify_declared_linearity(const Interface<2> &,
                              const std::string &,
                              const std::vector<Point<2>> &);
    template void
    apply_boundary_conditions(Interface<3> &,
                              const BoundaryConditions &,
                              const std::vector<Point<3>> &);
    template void
    verify_declared_linearity(const Interface<3> &,
                              const std::string &,
                              const std::vector<Point<3>> &);
  } // namespace Problems
} // namespace fbpinn
