#include <fbpinn/plugins.h>
#include <fbpinn/problems/interface.h>

#include <cmath>

namespace fbpinn
{
  namespace Problems
  {
    /**
     * The heat equation u_t = κΔu + f on [0,1]^d × [0, T], written in
     * space-time (t = x[d], see Interface::is_time_dependent()), with the
     * manufactured solution of three time scales
     * @f[ u = e^{-d\kappa\pi^2 t}\prod_i \sin\pi x_i
     *     + \tfrac12 e^{-9d\kappa\pi^2 t}\prod_i \sin 3\pi x_i
     *     + \tfrac14 x_0 \sin 2\pi t, @f]
     * two decaying modes and a forced oscillation that is harmonic in x (so
     * f = (π/2) x_0 cos 2πt, derived from u). Initial and boundary data are u.
     */
    template <int dim>
    class Heat : public PdeProblem<dim, Heat<dim>>
    {
    public:
      static constexpr int d = dim - 1;

      static void
      declare_parameters(ParameterHandler &prm)
      {
        prm.declare_entry("Diffusivity",
                          "0.1",
                          Patterns::Double(0.),
                          "κ of u_t = κΔu + f.");
      }

      void
      parse_parameters(ParameterHandler &prm) override
      {
        kappa = prm.get_double("Diffusivity");
      }

      bool
      is_linear() const override
      {
        return true;
      }

      unsigned int
      time_derivative_order() const override
      {
        return 1;
      }

      template <typename Number>
      Number
      pde_operator(const Jet<dim, Number> &u) const
      {
        Number laplacian_x = 0.;
        for (int i = 0; i < d; ++i)
          laplacian_x += u.hessian[i][i];
        return u.gradient[d] - kappa * laplacian_x;
      }

      template <typename Number>
      Number
      solution(const std::array<Number, dim> &x) const
      {
        using std::exp;
        using std::sin;
        const Number &t    = x[d];
        Number        slow = exp(-d * kappa * M_PI * M_PI * t);
        Number        fast = 0.5 * exp(-9. * d * kappa * M_PI * M_PI * t);
        for (int i = 0; i < d; ++i)
          {
            slow *= sin(M_PI * x[i]);
            fast *= sin(3. * M_PI * x[i]);
          }
        return slow + fast + 0.25 * x[0] * sin(2. * M_PI * t);
      }

      double kappa = 0.1;
    };
  } // namespace Problems
} // namespace fbpinn

FBPINN_REGISTER_TIME_DEPENDENT_PROBLEM(
  fbpinn::Problems::Heat,
  "heat",
  "The heat equation u_t = κΔu + f on [0,1]^d × [0, End time] (entry "
  "Diffusivity κ, default 0.1), manufactured solution "
  "u = e^(−dκπ²t) Π sin(πx_i) + ½ e^(−9dκπ²t) Π sin(3πx_i) + ¼ x_0 sin(2πt); "
  "initial data u(x, 0), boundary data u (Dirichlet, or Neumann/Robin by "
  "boundary id).")
