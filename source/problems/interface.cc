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
    Interface<dim>::field_has_dirichlet_data(const unsigned int) const
    {
      return true;
    }


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
          problem.exact_field_jets(x, exact);
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


    template class Interface<1>;
    template class Interface<2>;
    template class Interface<3>;
    template void
    verify_declared_linearity(const Interface<1> &,
                              const std::string &,
                              const std::vector<Point<1>> &);
    template void
    verify_declared_linearity(const Interface<2> &,
                              const std::string &,
                              const std::vector<Point<2>> &);
    template void
    verify_declared_linearity(const Interface<3> &,
                              const std::string &,
                              const std::vector<Point<3>> &);
  } // namespace Problems
} // namespace fbpinn
