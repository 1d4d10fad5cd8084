#include <fbpinn/geometries/interface.h>
#include <fbpinn/plugins.h>
#include <fbpinn/problems/helmholtz.h>

#include <cmath>

namespace fbpinn
{
  namespace Problems
  {
    /**
     * The ELM-FBPINN paper's Helmholtz problem on the L-shape [0,1]² without
     * the quadrant x, y > 1/2: Δu + k²u = f (written −Δu − k²u = −f) with
     * k = 1 and the exact solution
     * @f[ u = \sin(a x)\sin(2 a y) + \sin(3 a x y), \qquad a = \omega\pi, @f]
     * ω = 8 by default, Dirichlet data u on the whole boundary (f derived).
     * The domain is the problem's own (Geometry 'problem-default').
     */
    template <int dim>
    class HelmholtzLShape : public PdeProblem<dim, HelmholtzLShape<dim>>
    {
      static_assert(dim == 2, "helmholtz-l-shape is a 2D problem");

    public:
      static void
      declare_parameters(ParameterHandler &prm)
      {
        prm.declare_entry("Omega",
                          "8",
                          Patterns::Double(0.),
                          "ω: the frequency a = ωπ of the exact solution.");
        prm.declare_entry("Wave number",
                          "1",
                          Patterns::Double(0.),
                          "k in Δu + k²u = f.");
      }

      void
      parse_parameters(ParameterHandler &prm) override
      {
        a           = prm.get_double("Omega") * M_PI;
        wave_number = parse_wave_number(prm);
      }

      void
      create_coarse_mesh(Triangulation<dim> &triangulation,
                         const unsigned int  subdivisions) const override
      {
        Geometries::create_l_shape(triangulation, subdivisions);
      }

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
        return sin(a * x[0]) * sin(2. * a * x[1]) + sin(3. * a * x[0] * x[1]);
      }

      double a           = 8. * M_PI;
      double wave_number = 1.;
    };
  } // namespace Problems
} // namespace fbpinn

FBPINN_REGISTER_PROBLEM_DIMS(
  fbpinn::Problems::HelmholtzLShape,
  "helmholtz-l-shape",
  "The ELM-FBPINN paper's Helmholtz case on the L-shape [0,1]² \\ (1/2,1]²: "
  "Δu + k²u = f, k = 1, u = sin(ωπx) sin(2ωπy) + sin(3ωπxy), ω = 8 "
  "(entries Omega, Wave number), Dirichlet data u; its own L-shaped domain.",
  2)
