#pragma once

#include <deal.II/base/parameter_handler.h>
#include <deal.II/base/point.h>
#include <deal.II/base/tensor.h>
#include <deal.II/grid/tria.h>

#include <Sacado.hpp>

#include <fbpinn/core/jet.h>
#include <fbpinn/problems/boundary_conditions.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace fbpinn
{
  /**
   * PDE problems. A problem is written once, as the residual of the local jet
   * of u (see Jet), and every method solves it from that one definition.
   */
  namespace Problems
  {
    using namespace dealii;

    /**
     * The residual r(x, J[u]) and its derivative with respect to the jet,
     * @f[ r = D : \nabla\nabla u + g \cdot \nabla u + c\,u - f(x) @f]
     * for a linear operator, where D = ∂r/∂(∇∇u), g = ∂r/∂(∇u), c = ∂r/∂u.
     */
    template <int dim>
    struct LinearizedResidual
    {
      double         residual = 0;
      double         d_value  = 0;
      Tensor<1, dim> d_gradient;
      Tensor<2, dim> d_hessian;
    };


    /**
     * The weak (Galerkin) form of the residual at one point, which FEM
     * integrates against test functions v:
     * @f[ R(u)(v) = \int_\Omega \Phi\cdot\nabla v + S\,v\,dx, \quad
     *     \Phi = A\nabla u, \quad S = (\nabla\cdot A)\cdot\nabla u + F - f, @f]
     * (`source` holds S + f: the forcing is the caller's, who may have it
     * already),
     * derived from a residual r = D : ∇∇u + F(x, u, ∇u) − f that is linear in
     * the Hessian, with A = −sym(D) and the total divergence
     * (∇·A)_j = Σ_i ∂A_ij/∂x_i + ∂A_ij/∂u ∂_i u. This holds when A does not
     * depend on ∇u; `gradient_dependence` says whether it does (then the
     * problem needs a flux form, which no problem has yet). The derivatives
     * with respect to u and ∇u are Newton's Jacobian.
     */
    template <int dim>
    struct WeakFormPoint
    {
      Tensor<1, dim> flux;
      double         source = 0;
      Tensor<1, dim> d_flux_d_value;
      Tensor<2, dim> d_flux_d_gradient;
      double         d_source_d_value = 0;
      Tensor<1, dim> d_source_d_gradient;
      /** max |∂A_ij/∂(∂_k u)|: zero for every problem FEM can treat. */
      double gradient_dependence = 0;
      /** max_j |∂F/∂(∂_j u)| + |(∇·A)_j|: the size of the two parts of
       * d_source_d_gradient, which cancel for a divergence-form operator
       * −∇·(A∇u) (round-off below this scale is no advection). */
      double advection_scale = 0;
    };


    /**
     * The operator N = (N_0, ..., N_{n−1}) of a problem with n fields and n
     * equations, and its derivative with respect to the jets of all fields,
     * at one point.
     */
    template <int dim>
    struct FieldLinearization
    {
      /** N_e, without the forcing. */
      std::vector<double> residual;
      /** ∂N_e/∂J[u_f] at [e n + f] (their `residual` is unused). */
      std::vector<LinearizedResidual<dim>> derivative;

      void
      reinit(const unsigned int n_fields)
      {
        residual.assign(n_fields, 0.);
        derivative.assign(n_fields * n_fields, LinearizedResidual<dim>());
      }
    };


    /**
     * The weak form of a system at one point, equation e tested with the
     * test functions v_e of field e:
     * @f[ R_e(u)(v_e) = \int_\Omega \Phi_e\cdot\nabla v_e + S_e\,v_e\,dx,
     *     \quad \Phi_e = \sum_f A^{ef}\nabla u_f, \quad
     *     S_e = \sum_f (\nabla\cdot A^{ef})\cdot\nabla u_f + F_e - f_e, @f]
     * with A^{ef} = −sym ∂N_e/∂∇∇u_f (as in WeakFormPoint, field by field;
     * `source` holds S_e + f_e). Derivatives with respect to u_f and ∇u_f
     * (Newton's Jacobian) are stored at [e n + f].
     */
    template <int dim>
    struct FieldWeakForm
    {
      std::vector<Tensor<1, dim>> flux;
      std::vector<double>         source;
      std::vector<Tensor<1, dim>> d_flux_d_value;
      std::vector<Tensor<2, dim>> d_flux_d_gradient;
      std::vector<double>         d_source_d_value;
      std::vector<Tensor<1, dim>> d_source_d_gradient;
      /** max |∂A^{ef}_ij/∂(∂_k u_g)| (see WeakFormPoint). */
      double gradient_dependence = 0;

      void
      reinit(const unsigned int n_fields)
      {
        const unsigned int n2 = n_fields * n_fields;
        flux.assign(n_fields, Tensor<1, dim>());
        source.assign(n_fields, 0.);
        d_flux_d_value.assign(n2, Tensor<1, dim>());
        d_flux_d_gradient.assign(n2, Tensor<2, dim>());
        d_source_d_value.assign(n2, 0.);
        d_source_d_gradient.assign(n2, Tensor<1, dim>());
        gradient_dependence = 0;
      }
    };


    /**
     * The interface every problem implements. Write problems through
     * PdeProblem (CRTP), which derives everything but the differential
     * operator, the exact solution and whether the operator is linear.
     *
     * The residual is r(x, J[u]) = N[u](x) − f(x): the differential operator
     * N (apply_operator, linearize_operator) minus the forcing f (forcing).
     */
    template <int dim>
    class Interface
    {
    public:
      virtual ~Interface() = default;

      /** Declare the problem's own entries; the caller has entered
       * `subsection Problem / subsection <name>`. */
      static void
      declare_parameters(ParameterHandler &prm);

      /** Read the entries declared above, from the same subsection. */
      virtual void
      parse_parameters(ParameterHandler &prm);

      /**
       * The coarse mesh of the domain with @p subdivisions cells per direction.
       * Default: the unit hypercube [0,1]^dim, boundary ids 2d (x_d = 0) and
       * 2d + 1 (x_d = 1) as in the hyper-rectangle geometry; for a
       * time-dependent problem [0,1]^(dim−1) × [0, T] with the coarse cells
       * of set_time_interval() along t (see create_space_time_box()).
       */
      virtual void
      create_coarse_mesh(Triangulation<dim> &triangulation,
                         const unsigned int  subdivisions) const;

      /**
       * @name Time
       * A time-dependent problem is written in space-time: its last
       * coordinate x[dim − 1] is the time t, so that u_t is
       * `u.gradient[dim − 1]` (u_tt `u.hessian[dim − 1][dim − 1]`), its
       * residual, exact solution and forcing are functions of (x, t), and
       * Sacado derives the time derivatives as the spatial ones. Its spatial
       * dimension (`set Dimension`) is dim − 1. The space-time methods (elm,
       * fbpinn, pinn) solve it on the mesh of the spatial domain × [0, T];
       * the initial conditions are the Dirichlet data on the face t = 0 (by
       * default the exact solution there), and the face t = T has no
       * condition (Problems::BoundaryKind::none).
       */
      /** @{ */
      /** The highest time derivative in the residual: 0 for a steady
       * problem (the default), 1 for heat or Burgers, 2 for a wave
       * equation (whose initial face t = 0 then carries two conditions, u
       * and u_t: see initial_time_derivative()). */
      virtual unsigned int
      time_derivative_order() const;

      /** Whether the problem is time-dependent (see above). */
      bool
      is_time_dependent() const
      {
        return time_derivative_order() > 0;
      }

      /** Set the time interval [0, @p end_time] and the cells of the coarse
       * mesh along t (`End time`, `Time subdivisions`; set by the driver
       * before create_coarse_mesh()). */
      void
      set_time_interval(const double end_time, const unsigned int n_cells);

      /** T of the time interval [0, T]. */
      double
      end_time() const
      {
        return final_time;
      }

      /** The boundary id of the face t = 0 of the space-time mesh that
       * create_coarse_mesh() builds (2(dim − 1); that of t = T is one more). */
      static constexpr types::boundary_id initial_boundary_id = 2 * (dim - 1);
      /** @} */

      /**
       * Whether N is linear (affine) in the jet of u. There is no default:
       * a method that solves linear problems in one step must never solve a
       * nonlinear one as if it were linear. verify_declared_linearity()
       * checks the declaration.
       */
      virtual bool
      is_linear() const = 0;

      /**
       * Whether ∂N/∂J[u] depends on x. PdeProblem derives it from the
       * signature of the operator: one that does not take x cannot vary.
       * Methods linearise a problem without variable coefficients once, and
       * every other one at every point.
       */
      virtual bool
      has_variable_coefficients() const = 0;

      /** The differential operator N[u](x). */
      virtual double
      apply_operator(const Point<dim> &x, const Jet<dim> &u) const = 0;

      /** N[u](x) (in `residual`, without −f) and its exact derivative with
       * respect to the jet. */
      virtual LinearizedResidual<dim>
      linearize_operator(const Point<dim> &x, const Jet<dim> &u) const = 0;

      /** The forcing f(x), so that N[u*] = f for the exact solution u*. */
      virtual double
      forcing(const Point<dim> &x) const = 0;

      /** The strong-form residual r(x, J[u]) = N[u](x) − f(x). */
      double
      residual(const Point<dim> &x, const Jet<dim> &u) const
      {
        return apply_operator(x, u) - forcing(x);
      }

      /** The residual and its exact derivative with respect to the jet. */
      LinearizedResidual<dim>
      linearize(const Point<dim> &x, const Jet<dim> &u) const
      {
        LinearizedResidual<dim> result = linearize_operator(x, u);
        result.residual -= forcing(x);
        return result;
      }

      /** The weak form of the residual at x for u(x) = @p value and
       * ∇u(x) = @p gradient, and its derivatives (see WeakFormPoint). */
      virtual WeakFormPoint<dim>
      weak_form(const Point<dim>     &x,
                const double          value,
                const Tensor<1, dim> &gradient) const = 0;

      /**
       * @name Fields and equations
       * A problem has n_fields() unknown fields and as many equations,
       * equation e tested with field e's test functions in FEM. The scalar
       * functions above are the case n = 1; the functions below treat every
       * n and default to the scalar ones (a problem with one field writes
       * none of them). Methods that treat systems use only these.
       */
      /** @{ */

      /** The number of fields (and equations). Default: 1. */
      virtual unsigned int
      n_fields() const;

      /** The names of the fields, e.g. `u` or `u_x, u_y, p`. Default: `u`. */
      virtual std::vector<std::string>
      field_names() const;

      /** The polynomial degree of field @p f relative to the method's
       * `Polynomial degree` p (Taylor–Hood: +1 for velocities, 0 for the
       * pressure). Default: 0. */
      virtual int
      field_degree_offset(const unsigned int f) const;

      /** Whether field @p f is determined only up to a constant (the pressure
       * of an incompressible flow with Dirichlet data for the velocity on the
       * whole boundary): methods fix the constant as they like, and errors
       * are measured with the mean difference removed. Default: false. */
      virtual bool
      field_up_to_constant(const unsigned int f) const;

      /** Whether boundary conditions are imposed on field @p f (the kind on
       * each boundary id set by boundary_conditions(), the data by
       * boundary_data_fields()). Default: true. The pressure of an
       * incompressible flow has none. */
      virtual bool
      field_has_boundary_data(const unsigned int f) const;

      /** Refuse boundary conditions the problem cannot treat: called by
       * apply_boundary_conditions() once @p bc is set. Throws a one-line
       * std::invalid_argument. Default: every combination is accepted. */
      virtual void
      check_boundary_conditions(const BoundaryConditions &bc) const;

      /** Whether the problem writes its weak form itself, in divergence
       * form N_e = −∇·Φ_e(x, u, ∇u) + S_e(x, u, ∇u) (SystemProblem's
       * flux_form()), rather than having it derived from the Hessian part of
       * N: fem integrates Φ_e·∇v_e + S_e v_e, and the natural conditions of
       * field e are Φ_e·n = g_e, e.g. the traction ν∂u/∂n − p n of Stokes.
       * Default: false. */
      virtual bool
      has_flux_form() const;

      /** Check the flux form against N: −∇·Φ_e + S_e = N_e at @p points for
       * the exact solution's jets and for jets of pseudo-random numbers.
       * Throws a one-line std::invalid_argument naming the equation.
       * Default (no flux form): nothing to check. */
      virtual void
      verify_flux_form(const std::vector<Point<dim>> &points) const;

      /** N and its derivative with respect to the jets @p u of all fields at
       * @p x (see FieldLinearization). */
      virtual void
      linearize_fields(const Point<dim>            &x,
                       const std::vector<Jet<dim>> &u,
                       FieldLinearization<dim>     &result) const;

      /** The weak form at x for the values and gradients of all fields (see
       * FieldWeakForm). */
      virtual void
      weak_form_fields(const Point<dim>                  &x,
                       const std::vector<double>         &values,
                       const std::vector<Tensor<1, dim>> &gradients,
                       FieldWeakForm<dim>                &result) const;

      /** The forcing f_e(x) of every equation. */
      virtual void
      forcing_fields(const Point<dim> &x, std::vector<double> &f) const;

      /** Values and gradients of every field of the exact solution. */
      virtual void
      exact_fields(const Point<dim>            &x,
                   std::vector<double>         &values,
                   std::vector<Tensor<1, dim>> &gradients) const;

      /** Jets of every field of the exact solution. */
      virtual void
      exact_field_jets(const Point<dim> &x, std::vector<Jet<dim>> &jets) const;

      /** @} */

      /** Whether the problem knows its exact solution (the functions below).
       * Default: true. Without one, errors are measured against a reference
       * solution (`subsection Reference solution`) or not at all, and the
       * problem gives its forcing and boundary data itself. */
      virtual bool
      has_exact_solution() const;

      /** The exact solution at @p x. */
      virtual double
      exact_value(const Point<dim> &x) const = 0;

      /** Value, gradient and Hessian of the exact solution at @p x. */
      virtual Jet<dim>
      exact_jet(const Point<dim> &x) const = 0;

      /** Value and gradient of the exact solution at @p x (for errors; cheaper
       * than exact_jet). */
      virtual std::pair<double, Tensor<1, dim>>
      exact_value_and_gradient(const Point<dim> &x) const = 0;

      /** Dirichlet data on the boundary. Default: the exact solution. */
      virtual double
      dirichlet_value(const Point<dim> &x) const;

      /** A problem second order in time: u_t(x, 0), the second initial
       * condition, condition 1 on the face t = 0 (condition 0 is u(x, 0) =
       * dirichlet_value()). Default: ∂_t of the exact solution. */
      virtual double
      initial_time_derivative(const Point<dim> &x) const;

      /**
       * Whether the boundary conditions are those of boundary_conditions()
       * (`subsection Boundary conditions`: Dirichlet, Neumann or Robin by
       * boundary id), as for every PDE problem. Problems with conditions of
       * their own (initial conditions of an ODE, conditions at interior
       * points) return false and describe them with n_boundary_conditions(),
       * linearize_boundary_condition() and interior_condition_points(); fem
       * cannot treat those.
       */
      virtual bool
      conditions_by_boundary_id() const;

      /** The conditions of the run on each boundary id (set by the driver
       * from `subsection Boundary conditions`, see set_boundary_conditions();
       * default: Dirichlet everywhere). */
      const BoundaryConditions &
      boundary_conditions() const
      {
        return conditions;
      }

      /** Set the run's boundary conditions; @p free_constants[f] says
       * whether they leave field f determined only up to a constant (see
       * solution_up_to_constant()). */
      void
      set_boundary_conditions(const BoundaryConditions &bc,
                              const std::vector<bool>  &free_constants);

      /** Whether field @p f is determined only up to a constant: declared so
       * by the problem (field_up_to_constant()), or left so by the boundary
       * conditions (only its flux is given and the operator has no
       * zeroth-order term in it, e.g. −Δu = f with Neumann data on the whole
       * boundary). Methods fix the constant; errors remove the mean. */
      bool
      solution_up_to_constant(const unsigned int f) const;

      /**
       * The data g_f of the condition on every field at the boundary point
       * @p x with boundary id @p id and outward normal @p normal: u*_f for
       * Dirichlet, Φ_f(u*)·n for Neumann, Φ_f(u*)·n + α u*_f for Robin, with
       * u* the exact solution (dirichlet_value() for one field). A problem
       * without an exact solution overrides it.
       */
      virtual void
      boundary_data_fields(const types::boundary_id id,
                           const Point<dim>        &x,
                           const Tensor<1, dim>    &normal,
                           std::vector<double>     &g) const;

      /**
       * The conditions of boundary_conditions() at a boundary point as
       * residuals b_f = B_f[u] − g_f, one per field with boundary data (the
       * others' rows are zero), and their derivatives with respect to the
       * jets of all fields (see FieldLinearization): B_f = u_f (Dirichlet),
       * Φ_f(u)·n (Neumann), Φ_f(u)·n + α u_f (Robin), with Φ_f the flux of
       * the weak form at u, so that a nonlinear flux is linearised at u.
       */
      void
      linearize_boundary_fields(const types::boundary_id     id,
                                const Point<dim>            &x,
                                const Tensor<1, dim>        &normal,
                                const std::vector<Jet<dim>> &u,
                                FieldLinearization<dim>     &result) const;

      /**
       * The number of conditions imposed at the boundary point @p x with
       * boundary id @p id (0: none there; interior condition points have
       * numbers::internal_face_boundary_id). Default: 1, the condition of
       * boundary_conditions() on the one field.
       */
      virtual unsigned int
      n_boundary_conditions(const types::boundary_id id,
                            const Point<dim>        &x) const;

      /**
       * Condition @p m at the point @p x as a residual b_m(x, J[u]) = 0 and its
       * derivative with respect to the jet. @p normal is the outward normal on
       * the boundary (zero at interior condition points). Default: the
       * condition of boundary_conditions() on boundary id @p id,
       * u − dirichlet_value(x) for Dirichlet data (see
       * linearize_boundary_fields()).
       */
      virtual LinearizedResidual<dim>
      linearize_boundary_condition(const unsigned int       m,
                                   const types::boundary_id id,
                                   const Point<dim>        &x,
                                   const Tensor<1, dim>    &normal,
                                   const Jet<dim>          &u) const;

      /** Points inside the domain where n_boundary_conditions(x) conditions
       * hold as well (e.g. u(0) = 0 in the middle of the domain). Default:
       * none. */
      virtual std::vector<Point<dim>>
      interior_condition_points() const;

      /**
       * Whether the problem offers a hard-constraint ansatz u = g + d·v with
       * d = 0 where the conditions hold, so that every v satisfies them.
       */
      virtual bool
      has_hard_constraint() const;

      /** The jets of g and d of the hard-constraint ansatz at @p x. */
      virtual void
      hard_constraint(const Point<dim> &x, Jet<dim> &g, Jet<dim> &d) const;

    protected:
      /**
       * The space-time box [@p lower, @p upper] × [0, T] (@p lower and @p
       * upper the spatial corners) with @p subdivisions coarse cells along
       * each spatial direction and those of set_time_interval() along t;
       * boundary ids 2d, 2d + 1 on the faces x_d = lower_d, upper_d (t = 0
       * is initial_boundary_id).
       */
      void
      create_space_time_box(Triangulation<dim> &triangulation,
                            const Point<dim>   &lower,
                            const Point<dim>   &upper,
                            const unsigned int  subdivisions) const;

    private:
      BoundaryConditions conditions;
      std::vector<bool>  free_constants;
      double             final_time          = 1.;
      unsigned int       n_time_subdivisions = 1;
    };


    /**
     * Check a problem's is_linear() against its operator at @p points: a
     * problem that says it is linear must have the same ∂N/∂J[u] at every jet
     * (the check uses the exact solution's jet and a jet of pseudo-random
     * numbers besides the zero jet), and N must be affine in the jet. Throws a
     * one-line std::invalid_argument naming @p name.
     */
    template <int dim>
    void
    verify_declared_linearity(const Interface<dim>          &problem,
                              const std::string             &name,
                              const std::vector<Point<dim>> &points);


    /**
     * Give @p problem the run's boundary conditions @p bc (already checked
     * against the mesh's ids) and find the fields they leave determined only
     * up to a constant: those with flux data alone (no Dirichlet or Robin id)
     * whose equations do not change when a constant is added to them, tested
     * at @p points with the exact solution's jets.
     */
    template <int dim>
    void
    apply_boundary_conditions(Interface<dim>                &problem,
                              const BoundaryConditions      &bc,
                              const std::vector<Point<dim>> &points);


    /** The exact solution at @p x, or NaN for a problem without one (for
     * outputs that show u* beside u_h). */
    template <int dim>
    double
    known_exact(const Interface<dim> &problem, const Point<dim> &x)
    {
      return problem.has_exact_solution() ?
               problem.exact_value(x) :
               std::numeric_limits<double>::quiet_NaN();
    }


    namespace internal
    {
      /** The coordinates of @p x as numbers of type Number (double or an
       * AD type without derivatives). */
      template <typename Number, int dim>
      std::array<Number, dim>
      to_array(const Point<dim> &x)
      {
        std::array<Number, dim> result;
        for (int d = 0; d < dim; ++d)
          result[d] = Number(x[d]);
        return result;
      }

      /** Whether @p Derived writes its operator with x (variable
       * coefficients) or without. */
      template <int dim, typename Derived, typename = void>
      struct OperatorTakesX : std::false_type
      {};

      template <int dim, typename Derived>
      struct OperatorTakesX<
        dim,
        Derived,
        std::void_t<decltype(std::declval<const Derived &>().pde_operator(
          std::declval<const std::array<double, dim> &>(),
          std::declval<const Jet<dim, double> &>()))>> : std::true_type
      {};

      /** Whether @p Derived writes an exact solution `solution(x)`. */
      template <int dim, typename Derived, typename = void>
      struct HasSolution : std::false_type
      {};

      template <int dim, typename Derived>
      struct HasSolution<
        dim,
        Derived,
        std::void_t<decltype(std::declval<const Derived &>().solution(
          std::declval<const std::array<double, dim> &>()))>> : std::true_type
      {};

      /** Whether @p Derived gives its forcing f(x) itself: a member
       * `double forcing(const Point<dim> &) const` of Derived, not the one it
       * inherits from PdeProblem. */
      template <int dim, typename Derived, typename = void>
      struct HasForcing : std::false_type
      {};

      template <int dim, typename Derived>
      struct HasForcing<dim, Derived, std::void_t<decltype(&Derived::forcing)>>
        : std::is_same<decltype(&Derived::forcing),
                       double (Derived::*)(const Point<dim> &) const>
      {};
    } // namespace internal


    /**
     * The CRTP helper every built-in problem derives from. @p Derived provides
     * the differential operator N, either with constant coefficients or with
     * coefficients that depend on x,
     *
     *     template <typename Number>
     *     Number pde_operator(const Jet<dim, Number> &u) const;
     *     template <typename Number>
     *     Number pde_operator(const std::array<Number, dim> &x,
     *                         const Jet<dim, Number> &u) const;
     *
     * the exact solution and whether N is linear,
     *
     *     template <typename Number>
     *     Number solution(const std::array<Number, dim> &x) const;
     *     bool is_linear() const override;
     *
     * and, only if it wants to, its forcing `double forcing(const Point<dim>&)
     * const`; without one, f = N[u*] is derived from the exact solution u* by
     * nested forward AD. A problem without an exact solution leaves out
     * `solution` and must then give `forcing` and its Dirichlet data
     * (`dirichlet_value`); has_exact_solution() is false for it. This class
     * evaluates them with double and with Sacado forward-AD numbers to obtain
     * the residual, its derivative with respect to the jet, the weak form with
     * Newton's Jacobian, and the exact value, gradient and Hessian.
     */
    template <int dim, typename Derived>
    class PdeProblem : public Interface<dim>
    {
    public:
      bool
      has_variable_coefficients() const override
      {
        return internal::OperatorTakesX<dim, Derived>::value;
      }

      double
      apply_operator(const Point<dim> &x, const Jet<dim> &u) const override
      {
        return call_operator(internal::to_array<double>(x), u);
      }

      LinearizedResidual<dim>
      linearize_operator(const Point<dim> &x, const Jet<dim> &u) const override
      {
        constexpr int n = 1 + dim + dim * dim;
        using AD        = Sacado::Fad::SFad<double, n>;
        Jet<dim, AD> jet;
        jet.value = AD(n, 0, u.value);
        for (int d = 0; d < dim; ++d)
          jet.gradient[d] = AD(n, 1 + d, u.gradient[d]);
        for (int d = 0; d < dim; ++d)
          for (int e = 0; e < dim; ++e)
            jet.hessian[d][e] = AD(n, 1 + dim + d * dim + e, u.hessian[d][e]);

        const AD r = call_operator(internal::to_array<AD>(x), jet);
        LinearizedResidual<dim> result;
        result.residual = r.val();
        result.d_value  = r.dx(0);
        for (int d = 0; d < dim; ++d)
          result.d_gradient[d] = r.dx(1 + d);
        for (int d = 0; d < dim; ++d)
          for (int e = 0; e < dim; ++e)
            result.d_hessian[d][e] = r.dx(1 + dim + d * dim + e);
        return result;
      }

      double
      forcing(const Point<dim> &x) const override
      {
        static_assert(internal::HasForcing<dim, Derived>::value ||
                        internal::HasSolution<dim, Derived>::value,
                      "a problem without an exact solution must give its "
                      "forcing: double forcing(const Point<dim> &) const");
        if constexpr (internal::HasForcing<dim, Derived>::value)
          return derived().forcing(x);
        else
          return apply_operator(x, exact_jet(x));
      }

      bool
      has_exact_solution() const override
      {
        return internal::HasSolution<dim, Derived>::value;
      }

      WeakFormPoint<dim>
      weak_form(const Point<dim>     &x,
                const double          value,
                const Tensor<1, dim> &gradient) const override
      {
        // Three nested forward-AD levels: the innermost derivative (L1) is
        // with respect to ∇∇u and gives A = −sym ∂r/∂∇∇u; the next (L2) with
        // respect to x and u, for ∇·A; the outermost (L3) with respect to u
        // and ∇u, for Newton's Jacobian.
        using L3 = Sacado::Fad::SFad<double, 1 + dim>;
        using L2 = Sacado::Fad::SFad<L3, dim + 1>;
        using L1 = Sacado::Fad::SFad<L2, dim * dim>;

        L3 u3(1 + dim, 0, value);
        L3 g3[dim];
        for (int d = 0; d < dim; ++d)
          g3[d] = L3(1 + dim, 1 + d, gradient[d]);

        std::array<L1, dim> xa;
        for (int d = 0; d < dim; ++d)
          xa[d] = L1(L2(dim + 1, d, L3(x[d])));
        Jet<dim, L1> jet;
        jet.value = L1(L2(dim + 1, dim, u3));
        for (int d = 0; d < dim; ++d)
          jet.gradient[d] = L1(L2(g3[d]));
        for (int d = 0; d < dim; ++d)
          for (int e = 0; e < dim; ++e)
            jet.hessian[d][e] = L1(dim * dim, d * dim + e, L2(L3(0.)));

        const L1 r = call_operator(xa, jet);

        WeakFormPoint<dim> result;
        L3                 divergence[dim];
        L3                 flux[dim];
        L3                 source = r.val().val();
        for (int j = 0; j < dim; ++j)
          {
            divergence[j] = 0.;
            flux[j]       = 0.;
          }
        for (int i = 0; i < dim; ++i)
          for (int j = 0; j < dim; ++j)
            {
              const L2 a = -0.5 * (r.dx(i * dim + j) + r.dx(j * dim + i));
              divergence[j] += a.dx(i) + a.dx(dim) * g3[i];
              flux[i] += a.val() * g3[j];
              for (int k = 0; k < dim; ++k)
                result.gradient_dependence =
                  std::max(result.gradient_dependence,
                           std::abs(a.val().dx(1 + k)));
            }
        for (int j = 0; j < dim; ++j)
          {
            source += divergence[j] * g3[j];
            result.advection_scale =
              std::max(result.advection_scale,
                       std::abs(r.val().val().dx(1 + j)) +
                         std::abs(divergence[j].val()));
          }

        result.source           = source.val();
        result.d_source_d_value = source.dx(0);
        for (int i = 0; i < dim; ++i)
          {
            result.flux[i]                = flux[i].val();
            result.d_flux_d_value[i]      = flux[i].dx(0);
            result.d_source_d_gradient[i] = source.dx(1 + i);
            for (int k = 0; k < dim; ++k)
              result.d_flux_d_gradient[i][k] = flux[i].dx(1 + k);
          }
        return result;
      }

      double
      exact_value(const Point<dim> &x) const override
      {
        return call_solution(internal::to_array<double>(x));
      }

      Jet<dim>
      exact_jet(const Point<dim> &x) const override
      {
        using Inner = Sacado::Fad::SFad<double, dim>;
        using Outer = Sacado::Fad::SFad<Inner, dim>;
        std::array<Outer, dim> xa;
        for (int d = 0; d < dim; ++d)
          xa[d] = Outer(dim, d, Inner(dim, d, x[d]));
        const Outer u = call_solution(xa);

        Jet<dim> jet;
        jet.value = u.val().val();
        for (int d = 0; d < dim; ++d)
          {
            jet.gradient[d] = u.val().dx(d);
            for (int e = 0; e < dim; ++e)
              jet.hessian[d][e] = u.dx(d).dx(e);
          }
        return jet;
      }

      std::pair<double, Tensor<1, dim>>
      exact_value_and_gradient(const Point<dim> &x) const override
      {
        using AD = Sacado::Fad::SFad<double, dim>;
        std::array<AD, dim> xa;
        for (int d = 0; d < dim; ++d)
          xa[d] = AD(dim, d, x[d]);
        const AD       u = call_solution(xa);
        Tensor<1, dim> gradient;
        for (int d = 0; d < dim; ++d)
          gradient[d] = u.dx(d);
        return {u.val(), gradient};
      }

    private:
      const Derived &
      derived() const
      {
        return static_cast<const Derived &>(*this);
      }


      /** u*(x), or an error for a problem without an exact solution. */
      template <typename Number>
      Number
      call_solution(const std::array<Number, dim> &x) const
      {
        if constexpr (internal::HasSolution<dim, Derived>::value)
          return derived().solution(x);
        else
          {
            (void)x;
            throw std::logic_error("this problem has no exact solution");
          }
      }


      template <typename Number>
      Number
      call_operator(const std::array<Number, dim> &x,
                    const Jet<dim, Number>        &u) const
      {
        if constexpr (internal::OperatorTakesX<dim, Derived>::value)
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
