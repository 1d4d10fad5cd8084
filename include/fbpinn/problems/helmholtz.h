#pragma once

#include <fbpinn/problems/interface.h>

#include <cmath>

namespace fbpinn
{
  namespace Problems
  {
    /** The Helmholtz operator −Δu − k²u that helmholtz and helmholtz-l-shape
     * share. */
    template <int dim, typename Number>
    Number
    helmholtz_operator(const Jet<dim, Number> &u, const double wave_number)
    {
      return -laplacian(u) - wave_number * wave_number * u.value;
    }

    /** The entry 'Wave number' (k ≥ 0), refused where k² overflows. */
    double
    parse_wave_number(ParameterHandler &prm);


    /**
     * The Helmholtz equation −Δu − k²u = f on [0,1]^dim with Dirichlet data and
     * the manufactured solution
     * @f[ u(x) = \sin(k\,e\cdot x + 0.3) + \prod_d \sin(\pi x_d), \qquad
     *     e = (1,\dots,1)/\sqrt{\dim}, @f]
     * a plane wave of wave number k (which the operator annihilates) plus a
     * bump, so that f = (dim π² − k²) Π_d sin(π x_d). The operator is
     * indefinite once k² exceeds the smallest Dirichlet eigenvalue dim π².
     * The default k = 8 keeps k² away from the Dirichlet eigenvalues in
     * 1D, 2D and 3D.
     */
    template <int dim>
    class Helmholtz : public PdeProblem<dim, Helmholtz<dim>>
    {
    public:
      static void
      declare_parameters(ParameterHandler &prm);

      void
      parse_parameters(ParameterHandler &prm) override;

      bool
      is_linear() const override
      {
        return true;
      }

      template <typename Number>
      Number
      pde_operator(const Jet<dim, Number> &u) const
      {
        return helmholtz_operator(u, wave_number);
      }

      template <typename Number>
      Number
      solution(const std::array<Number, dim> &x) const
      {
        using std::sin;
        Number phase = 0.3;
        for (int d = 0; d < dim; ++d)
          phase += wave_number / std::sqrt(double(dim)) * x[d];
        Number bump = 1.;
        for (int d = 0; d < dim; ++d)
          bump *= sin(M_PI * x[d]);
        return sin(phase) + bump;
      }

      /** The right-hand side f. */
      double wave_number = 8.;
    };
  } // namespace Problems
} // namespace fbpinn
