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
    void
    verify_declared_linearity(const Interface<dim>          &problem,
                              const std::string             &name,
                              const std::vector<Point<dim>> &points)
    {
      if (!problem.is_linear())
        return;
      // Affine means N[J] = N[0] + ∂N/∂J : J for every jet J, with the same
      // derivative everywhere; two jets (u*'s and a pseudo-random one) test
      // it at each point.
      std::uint64_t state  = 0x9e3779b97f4a7c15ULL;
      const auto    random = [&state]() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return double(state >> 11) / double(1ULL << 53) * 2. - 1.;
      };
      for (const Point<dim> &x : points)
        {
          const LinearizedResidual<dim> zero =
            problem.linearize_operator(x, Jet<dim>());
          double sum = zero.residual + zero.d_value;
          for (int d = 0; d < dim; ++d)
            {
              sum += zero.d_gradient[d];
              for (int e = 0; e < dim; ++e)
                sum += zero.d_hessian[d][e];
            }
          if (!std::isfinite(sum))
            {
              std::ostringstream where;
              where << x;
              throw std::invalid_argument(
                "the operator of problem '" + name +
                "' has coefficients that are not finite (inf or NaN) at x = " +
                where.str() +
                ": a coefficient overflows; check the entries of its "
                "subsection Problem");
            }
          Jet<dim> random_jet;
          random_jet.value = random();
          for (int d = 0; d < dim; ++d)
            {
              random_jet.gradient[d] = random();
              for (int e = 0; e < dim; ++e)
                random_jet.hessian[d][e] = random();
            }
          for (const Jet<dim> &jet : {problem.exact_jet(x), random_jet})
            {
              // An exact solution that is not finite at x (x outside its
              // domain) tests nothing there.
              double jet_sum = jet.value;
              for (int d = 0; d < dim; ++d)
                {
                  jet_sum += jet.gradient[d];
                  for (int e = 0; e < dim; ++e)
                    jet_sum += jet.hessian[d][e];
                }
              if (!std::isfinite(jet_sum))
                continue;
              const LinearizedResidual<dim> at =
                problem.linearize_operator(x, jet);
              double scale = std::abs(zero.d_value) * std::abs(jet.value) +
                             std::abs(zero.residual);
              double affine = zero.residual + zero.d_value * jet.value;
              double change = std::abs(at.d_value - zero.d_value);
              double size   = std::abs(zero.d_value);
              for (int d = 0; d < dim; ++d)
                {
                  affine += zero.d_gradient[d] * jet.gradient[d];
                  scale += std::abs(zero.d_gradient[d] * jet.gradient[d]);
                  change += std::abs(at.d_gradient[d] - zero.d_gradient[d]);
                  size += std::abs(zero.d_gradient[d]);
                  for (int e = 0; e < dim; ++e)
                    {
                      affine += zero.d_hessian[d][e] * jet.hessian[d][e];
                      scale +=
                        std::abs(zero.d_hessian[d][e] * jet.hessian[d][e]);
                      change +=
                        std::abs(at.d_hessian[d][e] - zero.d_hessian[d][e]);
                      size += std::abs(zero.d_hessian[d][e]);
                    }
                }
              const double tolerance = 1e-10;
              if (!(change <= tolerance * (size + 1e-300)) ||
                  !(std::abs(at.residual - affine) <=
                    tolerance * (scale + 1e-300)))
                {
                  std::ostringstream where;
                  where << x;
                  throw std::invalid_argument(
                    "problem '" + name +
                    "' declares is_linear() = true, but its operator's "
                    "derivative with respect to u depends on u (at x = " +
                    where.str() +
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
