#pragma once

#include <fbpinn/problems/interface.h>

#include <array>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace fbpinn
{
  namespace Problems
  {
    /**
     * The divergence form of a system's operator at one point,
     * N_e = −∇·Φ_e + S_e, Φ_e and S_e functions of x and of the values and
     * gradients of the fields (see SystemProblem::flux_form()).
     */
    template <int dim, unsigned int n, typename Number>
    struct SystemFluxForm
    {
      std::array<std::array<Number, dim>, n> flux;
      std::array<Number, n>                  source;
    };


    namespace internal
    {
      /** Whether a system problem writes its operator with x. */
      template <int dim, unsigned int n, typename Derived, typename = void>
      struct SystemOperatorTakesX : std::false_type
      {};

      template <int dim, unsigned int n, typename Derived>
      struct SystemOperatorTakesX<
        dim,
        n,
        Derived,
        std::void_t<decltype(std::declval<const Derived &>().pde_operator(
          std::declval<const std::array<double, dim> &>(),
          std::declval<const std::array<Jet<dim, double>, n> &>()))>>
        : std::true_type
      {};

      /** Whether a system problem writes its flux form with x. */
      template <int dim, unsigned int n, typename Derived, typename = void>
      struct SystemFluxFormTakesX : std::false_type
      {};

      template <int dim, unsigned int n, typename Derived>
      struct SystemFluxFormTakesX<
        dim,
        n,
        Derived,
        std::void_t<decltype(std::declval<const Derived &>().flux_form(
          std::declval<const std::array<double, dim> &>(),
          std::declval<const std::array<Jet<dim, double>, n> &>()))>>
        : std::true_type
      {};

      /** Whether it writes one without x. */
      template <int dim, unsigned int n, typename Derived, typename = void>
      struct SystemFluxFormWithoutX : std::false_type
      {};

      template <int dim, unsigned int n, typename Derived>
      struct SystemFluxFormWithoutX<
        dim,
        n,
        Derived,
        std::void_t<decltype(std::declval<const Derived &>().flux_form(
          std::declval<const std::array<Jet<dim, double>, n> &>()))>>
        : std::true_type
      {};
    } // namespace internal


    /**
     * The CRTP helper of a problem with @p n fields and n equations (the
     * system counterpart of PdeProblem). @p Derived provides the operator
     * N = (N_0, ..., N_{n−1}) of the jets of all fields, with or without x,
     *
     *     template <typename Number>
     *     std::array<Number, n>
     *     pde_operator(const std::array<Number, dim> &x,
     *                  const std::array<Jet<dim, Number>, n> &u) const;
     *
     * the exact solution of every field, the field names and whether N is
     * linear,
     *
     *     template <typename Number>
     *     std::array<Number, n> solution(const std::array<Number, dim> &x)
     *       const;
     *     std::vector<std::string> field_names() const override;
     *     bool is_linear() const override;
     *
     * and, where it needs them, field_degree_offset(), field_up_to_constant()
     * and field_has_boundary_data(). The forcing f = N[u*] is derived from
     * the exact solution by nested forward AD. Equation e is tested with
     * field e's test functions: order the equations so that this makes sense
     * (Stokes: the momentum equations with the velocity components, the
     * continuity equation with the pressure).
     *
     * fem's weak form is derived from the Hessian part of N (Φ_e =
     * Σ_f A^{ef}∇u_f, see FieldWeakForm), which integrates only the
     * second-order terms by parts. A problem whose natural boundary
     * conditions hold another flux (Stokes' traction ν∂u/∂n − p n, which
     * integrates ∇p by parts too) writes its divergence form itself,
     * with or without x,
     *
     *     template <typename Number>
     *     SystemFluxForm<dim, n, Number>
     *     flux_form(const std::array<Jet<dim, Number>, n> &u) const;
     *
     * (N_e = −∇·Φ_e + S_e, from the values and gradients of the jets
     * only); fem then uses Φ_e and S_e, the natural conditions are
     * Φ_e·n = g_e in every method, and verify_flux_form() checks at run
     * time that −∇·Φ_e + S_e is N_e.
     *
     * The scalar functions of Interface throw: a method that treats only one
     * field checks n_fields() first and says so.
     */
    template <int dim, unsigned int n, typename Derived>
    class SystemProblem : public Interface<dim>
    {
    public:
      template <typename Number>
      using Fields = std::array<Jet<dim, Number>, n>;

      unsigned int
      n_fields() const override
      {
        return n;
      }

      bool
      has_variable_coefficients() const override
      {
        return internal::SystemOperatorTakesX<dim, n, Derived>::value;
      }

      void
      linearize_fields(const Point<dim>            &x,
                       const std::vector<Jet<dim>> &u,
                       FieldLinearization<dim>     &result) const override
      {
        constexpr int per_field = 1 + dim + dim * dim;
        constexpr int size      = n * per_field;
        using AD                = Sacado::Fad::SFad<double, size>;
        Fields<AD> jets;
        for (unsigned int f = 0; f < n; ++f)
          {
            const int offset = f * per_field;
            jets[f].value    = AD(size, offset, u[f].value);
            for (int d = 0; d < dim; ++d)
              jets[f].gradient[d] = AD(size, offset + 1 + d, u[f].gradient[d]);
            for (int d = 0; d < dim; ++d)
              for (int e = 0; e < dim; ++e)
                jets[f].hessian[d][e] =
                  AD(size, offset + 1 + dim + d * dim + e, u[f].hessian[d][e]);
          }
        const std::array<AD, n> r =
          call_operator(internal::to_array<AD>(x), jets);
        result.reinit(n);
        for (unsigned int e = 0; e < n; ++e)
          {
            result.residual[e] = r[e].val();
            for (unsigned int f = 0; f < n; ++f)
              {
                LinearizedResidual<dim> &l      = result.derivative[e * n + f];
                const int                offset = f * per_field;
                l.d_value                       = r[e].dx(offset);
                for (int d = 0; d < dim; ++d)
                  l.d_gradient[d] = r[e].dx(offset + 1 + d);
                for (int d = 0; d < dim; ++d)
                  for (int k = 0; k < dim; ++k)
                    l.d_hessian[d][k] = r[e].dx(offset + 1 + dim + d * dim + k);
              }
          }
      }

      bool
      has_flux_form() const override
      {
        return flux_form_given();
      }

      void
      verify_flux_form(const std::vector<Point<dim>> &points) const override
      {
        if constexpr (flux_form_given())
          {
            // −∇·Φ_e(x, u(x), ∇u(x)) by the chain rule: one forward-AD level
            // in x, the values and the gradients gives ∂Φ/∂x_i, ∂Φ/∂u_f and
            // ∂Φ/∂(∂_k u_f), contracted with the jet's gradient and Hessian.
            constexpr int size = dim + n + n * dim;
            using AD           = Sacado::Fad::SFad<double, size>;
            for (unsigned int trial = 0; trial < 2; ++trial)
              for (const Point<dim> &x : points)
                {
                  std::vector<Jet<dim>> jets(n);
                  if (trial == 0 && this->has_exact_solution())
                    this->exact_field_jets(x, jets);
                  else
                    for (unsigned int f = 0; f < n; ++f)
                      {
                        jets[f].value = 0.3 + 0.1 * f;
                        for (int d = 0; d < dim; ++d)
                          {
                            jets[f].gradient[d] = 0.7 - 0.2 * d + 0.05 * f;
                            for (int k = 0; k < dim; ++k)
                              jets[f].hessian[d][k] =
                                0.1 * (d + k + 1) - 0.4 * (d == k) + 0.2 * f;
                          }
                      }
                  std::array<AD, dim> xa;
                  Fields<AD>          ja;
                  Fields<double>      jd;
                  for (int d = 0; d < dim; ++d)
                    xa[d] = AD(size, d, x[d]);
                  for (unsigned int f = 0; f < n; ++f)
                    {
                      jd[f]       = jets[f];
                      ja[f].value = AD(size, dim + f, jets[f].value);
                      for (int d = 0; d < dim; ++d)
                        ja[f].gradient[d] =
                          AD(size, dim + n + f * dim + d, jets[f].gradient[d]);
                    }
                  const SystemFluxForm<dim, n, AD> form =
                    call_flux_form(xa, ja);
                  const std::array<double, n> r =
                    call_operator(internal::to_array<double>(x), jd);
                  for (unsigned int e = 0; e < n; ++e)
                    {
                      double divergence = 0, scale = std::abs(r[e]);
                      for (int i = 0; i < dim; ++i)
                        {
                          const AD &phi  = form.flux[e][i];
                          double    term = phi.dx(i);
                          for (unsigned int f = 0; f < n; ++f)
                            {
                              term += phi.dx(dim + f) * jets[f].gradient[i];
                              for (int k = 0; k < dim; ++k)
                                term += phi.dx(dim + n + f * dim + k) *
                                        jets[f].hessian[i][k];
                            }
                          divergence += term;
                          scale += std::abs(term);
                        }
                      const double from_form =
                        -divergence + form.source[e].val();
                      scale += std::abs(form.source[e].val());
                      if (!(std::abs(from_form - r[e]) <= 1e-10 * (1. + scale)))
                        {
                          std::ostringstream s;
                          s << "flux_form() does not match pde_operator() in "
                               "equation "
                            << e << " (" << this->field_names()[e]
                            << ") at x = (" << x
                            << "): −∇·Φ + S = " << from_form << ", N = " << r[e]
                            << "; the flux form must be the same operator "
                               "written in divergence form";
                          throw std::invalid_argument(s.str());
                        }
                    }
                }
          }
        else
          (void)points;
      }

      void
      weak_form_fields(const Point<dim>                  &x,
                       const std::vector<double>         &values,
                       const std::vector<Tensor<1, dim>> &gradients,
                       FieldWeakForm<dim>                &result) const override
      {
        if constexpr (flux_form_given())
          {
            // The problem's own divergence form: one forward-AD level in the
            // values and gradients (Newton's Jacobian).
            constexpr int n3 = n * (1 + dim);
            using L3         = Sacado::Fad::SFad<double, n3>;
            Fields<L3> jets;
            for (unsigned int f = 0; f < n; ++f)
              {
                jets[f].value = L3(n3, f * (1 + dim), values[f]);
                for (int d = 0; d < dim; ++d)
                  jets[f].gradient[d] =
                    L3(n3, f * (1 + dim) + 1 + d, gradients[f][d]);
              }
            const SystemFluxForm<dim, n, L3> form =
              call_flux_form(internal::to_array<L3>(x), jets);
            result.reinit(n);
            for (unsigned int e = 0; e < n; ++e)
              {
                result.source[e] = form.source[e].val();
                for (int i = 0; i < dim; ++i)
                  result.flux[e][i] = form.flux[e][i].val();
                for (unsigned int f = 0; f < n; ++f)
                  {
                    const unsigned int ef       = e * n + f;
                    const int          offset   = f * (1 + dim);
                    result.d_source_d_value[ef] = form.source[e].dx(offset);
                    for (int i = 0; i < dim; ++i)
                      {
                        result.d_flux_d_value[ef][i] =
                          form.flux[e][i].dx(offset);
                        result.d_source_d_gradient[ef][i] =
                          form.source[e].dx(offset + 1 + i);
                        for (int k = 0; k < dim; ++k)
                          result.d_flux_d_gradient[ef][i][k] =
                            form.flux[e][i].dx(offset + 1 + k);
                      }
                  }
              }
            return;
          }
        // The three nested forward-AD levels of PdeProblem::weak_form, over
        // all fields: L1 with respect to the Hessians (A^{ef}), L2 with
        // respect to x and the values (∇·A^{ef}), L3 with respect to the
        // values and gradients (Newton's Jacobian).
        constexpr int n3 = n * (1 + dim);
        constexpr int n2 = dim + n;
        constexpr int n1 = n * dim * dim;
        using L3         = Sacado::Fad::SFad<double, n3>;
        using L2         = Sacado::Fad::SFad<L3, n2>;
        using L1         = Sacado::Fad::SFad<L2, n1>;

        std::array<L3, n>                  u3;
        std::array<std::array<L3, dim>, n> g3;
        std::array<L1, dim>                xa;
        Fields<L1>                         jets;
        for (unsigned int f = 0; f < n; ++f)
          {
            u3[f] = L3(n3, f * (1 + dim), values[f]);
            for (int d = 0; d < dim; ++d)
              g3[f][d] = L3(n3, f * (1 + dim) + 1 + d, gradients[f][d]);
          }
        for (int d = 0; d < dim; ++d)
          xa[d] = L1(L2(n2, d, L3(x[d])));
        for (unsigned int f = 0; f < n; ++f)
          {
            jets[f].value = L1(L2(n2, dim + f, u3[f]));
            for (int d = 0; d < dim; ++d)
              jets[f].gradient[d] = L1(L2(g3[f][d]));
            for (int d = 0; d < dim; ++d)
              for (int e = 0; e < dim; ++e)
                jets[f].hessian[d][e] =
                  L1(n1, f * dim * dim + d * dim + e, L2(L3(0.)));
          }

        const std::array<L1, n> r = call_operator(xa, jets);

        result.reinit(n);
        for (unsigned int e = 0; e < n; ++e)
          {
            L3                  source = r[e].val().val();
            std::array<L3, dim> flux;
            for (int i = 0; i < dim; ++i)
              flux[i] = 0.;
            for (unsigned int f = 0; f < n; ++f)
              {
                std::array<L3, dim> divergence;
                for (int j = 0; j < dim; ++j)
                  divergence[j] = 0.;
                for (int i = 0; i < dim; ++i)
                  for (int j = 0; j < dim; ++j)
                    {
                      const int base = f * dim * dim;
                      const L2  a    = -0.5 * (r[e].dx(base + i * dim + j) +
                                           r[e].dx(base + j * dim + i));
                      divergence[j] += a.dx(i);
                      for (unsigned int g = 0; g < n; ++g)
                        divergence[j] += a.dx(dim + g) * g3[g][i];
                      flux[i] += a.val() * g3[f][j];
                      for (unsigned int g = 0; g < n; ++g)
                        for (int k = 0; k < dim; ++k)
                          result.gradient_dependence =
                            std::max(result.gradient_dependence,
                                     std::abs(
                                       a.val().dx(g * (1 + dim) + 1 + k)));
                    }
                for (int j = 0; j < dim; ++j)
                  source += divergence[j] * g3[f][j];
              }

            result.source[e] = source.val();
            for (int i = 0; i < dim; ++i)
              result.flux[e][i] = flux[i].val();
            for (unsigned int f = 0; f < n; ++f)
              {
                const unsigned int ef       = e * n + f;
                const int          offset   = f * (1 + dim);
                result.d_source_d_value[ef] = source.dx(offset);
                for (int i = 0; i < dim; ++i)
                  {
                    result.d_flux_d_value[ef][i] = flux[i].dx(offset);
                    result.d_source_d_gradient[ef][i] =
                      source.dx(offset + 1 + i);
                    for (int k = 0; k < dim; ++k)
                      result.d_flux_d_gradient[ef][i][k] =
                        flux[i].dx(offset + 1 + k);
                  }
              }
          }
      }

      void
      forcing_fields(const Point<dim> &x, std::vector<double> &f) const override
      {
        std::vector<Jet<dim>> exact;
        exact_field_jets(x, exact);
        Fields<double> jets;
        for (unsigned int g = 0; g < n; ++g)
          jets[g] = exact[g];
        const std::array<double, n> r =
          call_operator(internal::to_array<double>(x), jets);
        f.assign(r.begin(), r.end());
      }

      void
      exact_fields(const Point<dim>            &x,
                   std::vector<double>         &values,
                   std::vector<Tensor<1, dim>> &gradients) const override
      {
        using AD = Sacado::Fad::SFad<double, dim>;
        std::array<AD, dim> xa;
        for (int d = 0; d < dim; ++d)
          xa[d] = AD(dim, d, x[d]);
        const std::array<AD, n> u = derived().solution(xa);
        values.resize(n);
        gradients.resize(n);
        for (unsigned int f = 0; f < n; ++f)
          {
            values[f] = u[f].val();
            for (int d = 0; d < dim; ++d)
              gradients[f][d] = u[f].dx(d);
          }
      }

      void
      exact_field_jets(const Point<dim>      &x,
                       std::vector<Jet<dim>> &jets) const override
      {
        using Inner = Sacado::Fad::SFad<double, dim>;
        using Outer = Sacado::Fad::SFad<Inner, dim>;
        std::array<Outer, dim> xa;
        for (int d = 0; d < dim; ++d)
          xa[d] = Outer(dim, d, Inner(dim, d, x[d]));
        const std::array<Outer, n> u = derived().solution(xa);
        jets.resize(n);
        for (unsigned int f = 0; f < n; ++f)
          {
            jets[f].value = u[f].val().val();
            for (int d = 0; d < dim; ++d)
              {
                jets[f].gradient[d] = u[f].val().dx(d);
                for (int e = 0; e < dim; ++e)
                  jets[f].hessian[d][e] = u[f].dx(d).dx(e);
              }
          }
      }

      // The scalar functions: a system has none.
      double
      apply_operator(const Point<dim> &, const Jet<dim> &) const override
      {
        throw_scalar();
      }

      LinearizedResidual<dim>
      linearize_operator(const Point<dim> &, const Jet<dim> &) const override
      {
        throw_scalar();
      }

      double
      forcing(const Point<dim> &) const override
      {
        throw_scalar();
      }

      WeakFormPoint<dim>
      weak_form(const Point<dim> &,
                const double,
                const Tensor<1, dim> &) const override
      {
        throw_scalar();
      }

      double
      exact_value(const Point<dim> &) const override
      {
        throw_scalar();
      }

      Jet<dim>
      exact_jet(const Point<dim> &) const override
      {
        throw_scalar();
      }

      std::pair<double, Tensor<1, dim>>
      exact_value_and_gradient(const Point<dim> &) const override
      {
        throw_scalar();
      }

    private:
      // A function, not a constant: Derived is complete only once the
      // member functions are instantiated (CRTP).
      static constexpr bool
      flux_form_given()
      {
        return internal::SystemFluxFormTakesX<dim, n, Derived>::value ||
               internal::SystemFluxFormWithoutX<dim, n, Derived>::value;
      }

      [[noreturn]] static void
      throw_scalar()
      {
        throw std::logic_error(
          "a problem with " + std::to_string(n) +
          " fields has no scalar operator or solution; a method must use the "
          "field functions of Problems::Interface (n_fields() > 1)");
      }

      const Derived &
      derived() const
      {
        return static_cast<const Derived &>(*this);
      }


      template <typename Number>
      SystemFluxForm<dim, n, Number>
      call_flux_form(const std::array<Number, dim> &x,
                     const Fields<Number>          &u) const
      {
        if constexpr (internal::SystemFluxFormTakesX<dim, n, Derived>::value)
          return derived().flux_form(x, u);
        else
          {
            (void)x;
            return derived().flux_form(u);
          }
      }

      template <typename Number>
      std::array<Number, n>
      call_operator(const std::array<Number, dim> &x,
                    const Fields<Number>          &u) const
      {
        if constexpr (internal::SystemOperatorTakesX<dim, n, Derived>::value)
          return derived().pde_operator(x, u);
        else
          {
            (void)x;
            return derived().pde_operator(u);
          }
      }
    };
  } // namespace Problems
} // namespace fbpinn
