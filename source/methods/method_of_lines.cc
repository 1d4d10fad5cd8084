#include <deal.II/base/data_out_base.h>
#include <deal.II/base/quadrature_lib.h>
#include <deal.II/base/timer.h>
#include <deal.II/base/utilities.h>
#include <deal.II/dofs/dof_tools.h>
#include <deal.II/fe/fe_q.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/fe/mapping_q.h>
#include <deal.II/grid/grid_generator.h>
#include <deal.II/lac/solver_gmres.h>
#include <deal.II/lac/trilinos_solver.h>
#include <deal.II/sundials/arkode.h>

#include <fbpinn/driver.h>
#include <fbpinn/mesh/triangulation_factory.h>
#include <fbpinn/methods/method_of_lines.h>
#include <fbpinn/parallel/collective.h>
#include <fbpinn/postprocess/binary_file.h>
#include <fbpinn/postprocess/metrics.h>
#include <fbpinn/postprocess/output.h>

#include <algorithm>
#include <arkode/arkode_arkstep.h>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <stdexcept>

namespace fbpinn
{
  namespace Methods
  {
    namespace
    {
      /**
       * A space-time problem (dimension d + 1) at the time t, seen as a
       * steady problem in d dimensions: every function is the space-time
       * one at (x, t) with u_t = 0, so that the weak form is that of the
       * spatial operator N (the time derivative is the time stepper's).
       * Valid for residuals m ∂_t u + N(x, t, u, ∇u, ∇∇u) − f without
       * second or mixed time derivatives (check_first_order_in_time()).
       */
      template <int d>
      class SpatialProblem : public Problems::Interface<d>
      {
      public:
        SpatialProblem(const Problems::Interface<d + 1> &space_time)
          : space_time(space_time)
        {
          std::vector<bool> free(space_time.n_fields());
          for (unsigned int f = 0; f < free.size(); ++f)
            free[f] = space_time.solution_up_to_constant(f);
          this->set_boundary_conditions(space_time.boundary_conditions(), free);
        }

        double t = 0;

        Point<d + 1>
        lift(const Point<d> &x) const
        {
          Point<d + 1> p;
          for (int i = 0; i < d; ++i)
            p[i] = x[i];
          p[d] = t;
          return p;
        }

        static Tensor<1, d + 1>
        lift(const Tensor<1, d> &v)
        {
          Tensor<1, d + 1> w;
          for (int i = 0; i < d; ++i)
            w[i] = v[i];
          return w;
        }

        static Jet<d + 1>
        lift(const Jet<d> &u)
        {
          Jet<d + 1> v;
          v.value = u.value;
          for (int i = 0; i < d; ++i)
            {
              v.gradient[i] = u.gradient[i];
              for (int j = 0; j < d; ++j)
                v.hessian[i][j] = u.hessian[i][j];
            }
          return v;
        }

        static Tensor<1, d>
        slice(const Tensor<1, d + 1> &v)
        {
          Tensor<1, d> w;
          for (int i = 0; i < d; ++i)
            w[i] = v[i];
          return w;
        }

        static Tensor<2, d>
        slice(const Tensor<2, d + 1> &a)
        {
          Tensor<2, d> b;
          for (int i = 0; i < d; ++i)
            for (int j = 0; j < d; ++j)
              b[i][j] = a[i][j];
          return b;
        }

        static Jet<d>
        slice(const Jet<d + 1> &u)
        {
          Jet<d> v;
          v.value = u.value;
          for (int i = 0; i < d; ++i)
            {
              v.gradient[i] = u.gradient[i];
              for (int j = 0; j < d; ++j)
                v.hessian[i][j] = u.hessian[i][j];
            }
          return v;
        }

        static Problems::LinearizedResidual<d>
        slice(const Problems::LinearizedResidual<d + 1> &l)
        {
          Problems::LinearizedResidual<d> r;
          r.residual   = l.residual;
          r.d_value    = l.d_value;
          r.d_gradient = slice(l.d_gradient);
          r.d_hessian  = slice(l.d_hessian);
          return r;
        }

        bool
        is_linear() const override
        {
          return space_time.is_linear();
        }

        bool
        has_variable_coefficients() const override
        {
          return space_time.has_variable_coefficients();
        }

        double
        apply_operator(const Point<d> &x, const Jet<d> &u) const override
        {
          return space_time.apply_operator(lift(x), lift(u));
        }

        Problems::LinearizedResidual<d>
        linearize_operator(const Point<d> &x, const Jet<d> &u) const override
        {
          return slice(space_time.linearize_operator(lift(x), lift(u)));
        }

        double
        forcing(const Point<d> &x) const override
        {
          return space_time.forcing(lift(x));
        }

        Problems::WeakFormPoint<d>
        weak_form(const Point<d>     &x,
                  const double        value,
                  const Tensor<1, d> &gradient) const override
        {
          const Problems::WeakFormPoint<d + 1> w =
            space_time.weak_form(lift(x), value, lift(gradient));
          Problems::WeakFormPoint<d> r;
          r.flux                = slice(w.flux);
          r.source              = w.source;
          r.d_flux_d_value      = slice(w.d_flux_d_value);
          r.d_flux_d_gradient   = slice(w.d_flux_d_gradient);
          r.d_source_d_value    = w.d_source_d_value;
          r.d_source_d_gradient = slice(w.d_source_d_gradient);
          r.gradient_dependence = w.gradient_dependence;
          r.advection_scale     = w.advection_scale;
          return r;
        }

        double
        exact_value(const Point<d> &x) const override
        {
          return space_time.exact_value(lift(x));
        }

        Jet<d>
        exact_jet(const Point<d> &x) const override
        {
          return slice(space_time.exact_jet(lift(x)));
        }

        std::pair<double, Tensor<1, d>>
        exact_value_and_gradient(const Point<d> &x) const override
        {
          const auto [value, gradient] =
            space_time.exact_value_and_gradient(lift(x));
          return {value, slice(gradient)};
        }

        unsigned int
        n_fields() const override
        {
          return space_time.n_fields();
        }

        std::vector<std::string>
        field_names() const override
        {
          return space_time.field_names();
        }

        int
        field_degree_offset(const unsigned int f) const override
        {
          return space_time.field_degree_offset(f);
        }

        bool
        field_up_to_constant(const unsigned int f) const override
        {
          return space_time.field_up_to_constant(f);
        }

        bool
        field_has_boundary_data(const unsigned int f) const override
        {
          return space_time.field_has_boundary_data(f);
        }

        void
        linearize_fields(const Point<d>                  &x,
                         const std::vector<Jet<d>>       &u,
                         Problems::FieldLinearization<d> &result) const override
        {
          std::vector<Jet<d + 1>> v(u.size());
          for (unsigned int f = 0; f < u.size(); ++f)
            v[f] = lift(u[f]);
          Problems::FieldLinearization<d + 1> l;
          space_time.linearize_fields(lift(x), v, l);
          result.residual = l.residual;
          result.derivative.resize(l.derivative.size());
          for (unsigned int k = 0; k < l.derivative.size(); ++k)
            result.derivative[k] = slice(l.derivative[k]);
        }

        void
        weak_form_fields(const Point<d>                  &x,
                         const std::vector<double>       &values,
                         const std::vector<Tensor<1, d>> &gradients,
                         Problems::FieldWeakForm<d>      &result) const override
        {
          std::vector<Tensor<1, d + 1>> g(gradients.size());
          for (unsigned int f = 0; f < g.size(); ++f)
            g[f] = lift(gradients[f]);
          Problems::FieldWeakForm<d + 1> w;
          space_time.weak_form_fields(lift(x), values, g, w);
          const unsigned int n = values.size();
          result.reinit(n);
          for (unsigned int e = 0; e < n; ++e)
            {
              result.flux[e]   = slice(w.flux[e]);
              result.source[e] = w.source[e];
            }
          for (unsigned int k = 0; k < n * n; ++k)
            {
              result.d_flux_d_value[k]      = slice(w.d_flux_d_value[k]);
              result.d_flux_d_gradient[k]   = slice(w.d_flux_d_gradient[k]);
              result.d_source_d_value[k]    = w.d_source_d_value[k];
              result.d_source_d_gradient[k] = slice(w.d_source_d_gradient[k]);
            }
          result.gradient_dependence = w.gradient_dependence;
        }

        void
        forcing_fields(const Point<d> &x, std::vector<double> &f) const override
        {
          space_time.forcing_fields(lift(x), f);
        }

        void
        exact_fields(const Point<d>            &x,
                     std::vector<double>       &values,
                     std::vector<Tensor<1, d>> &gradients) const override
        {
          std::vector<Tensor<1, d + 1>> g;
          space_time.exact_fields(lift(x), values, g);
          gradients.resize(g.size());
          for (unsigned int f = 0; f < g.size(); ++f)
            gradients[f] = slice(g[f]);
        }

        void
        exact_field_jets(const Point<d>      &x,
                         std::vector<Jet<d>> &jets) const override
        {
          std::vector<Jet<d + 1>> j;
          space_time.exact_field_jets(lift(x), j);
          jets.resize(j.size());
          for (unsigned int f = 0; f < j.size(); ++f)
            jets[f] = slice(j[f]);
        }

        bool
        has_exact_solution() const override
        {
          return space_time.has_exact_solution();
        }

        double
        dirichlet_value(const Point<d> &x) const override
        {
          return space_time.dirichlet_value(lift(x));
        }

        void
        boundary_data_fields(const types::boundary_id id,
                             const Point<d>          &x,
                             const Tensor<1, d>      &normal,
                             std::vector<double>     &g) const override
        {
          space_time.boundary_data_fields(id, lift(x), lift(normal), g);
        }

      private:
        const Problems::Interface<d + 1> &space_time;
      };


      /** m_e = ∂r_e/∂(∂_t u_e) of every equation at the space-time point
       * @p x, at the jets @p u. */
      template <int dim>
      void
      mass_coefficients(const Problems::Interface<dim> &problem,
                        const Point<dim>               &x,
                        const std::vector<Jet<dim>>    &u,
                        std::vector<double>            &m)
      {
        const unsigned int                n = problem.n_fields();
        Problems::FieldLinearization<dim> l;
        problem.linearize_fields(x, u, l);
        m.resize(n);
        for (unsigned int e = 0; e < n; ++e)
          m[e] = l.derivative[e * n + e].d_gradient[dim - 1];
      }


      /**
       * Refuse, with a one-line invalid_argument, a residual that the method
       * of lines here does not treat: a second or mixed time derivative, a
       * time derivative of one field in another field's equation, or a mass
       * coefficient that depends on the solution. Tested at a few points of
       * the space-time box with the zero jet and a jet of numbers of size 1.
       */
      template <int dim>
      void
      check_first_order_in_time(const Problems::Interface<dim> &problem)
      {
        const unsigned int n = problem.n_fields();
        const std::string  form =
          "Method = fem solves time-dependent problems by the method of lines "
          "for residuals m(x, t) ∂u/∂t + N(x, t, u, ∇u, ∇∇u) − f (m not "
          "depending on u), and this problem's residual ";
        const std::string advice =
          "; solve it in space-time with elm, fbpinn or pinn";
        if (problem.time_derivative_order() != 1)
          throw std::invalid_argument(
            form + "is of order " +
            std::to_string(problem.time_derivative_order()) +
            " in time (second-order schemes such as Newmark are not "
            "implemented yet)" +
            advice);
        std::vector<Jet<dim>> zero(n), other(n);
        for (unsigned int f = 0; f < n; ++f)
          {
            other[f].value = 0.4 + 0.1 * f;
            for (int i = 0; i < dim; ++i)
              {
                other[f].gradient[i]   = 0.7 - 0.2 * i;
                other[f].hessian[i][i] = -0.3 + 0.2 * f;
              }
          }
        for (const double s : {0.13, 0.58, 0.91})
          {
            Point<dim> x;
            for (int i = 0; i < dim; ++i)
              x[i] = s + 0.05 * i;
            x[dim - 1] *= problem.end_time();
            for (const auto *u : {&zero, &other})
              {
                Problems::FieldLinearization<dim> l;
                problem.linearize_fields(x, *u, l);
                for (unsigned int e = 0; e < n; ++e)
                  for (unsigned int f = 0; f < n; ++f)
                    {
                      const auto &dr = l.derivative[e * n + f];
                      for (int i = 0; i < dim; ++i)
                        if (dr.d_hessian[dim - 1][i] != 0. ||
                            dr.d_hessian[i][dim - 1] != 0.)
                          throw std::invalid_argument(
                            form + "has a second or mixed time derivative" +
                            advice);
                      if (e != f && dr.d_gradient[dim - 1] != 0.)
                        throw std::invalid_argument(
                          form +
                          "has the time derivative of one field in "
                          "another field's equation" +
                          advice);
                    }
              }
            std::vector<double> m0, m1;
            mass_coefficients(problem, x, zero, m0);
            mass_coefficients(problem, x, other, m1);
            for (unsigned int e = 0; e < n; ++e)
              if (std::abs(m0[e] - m1[e]) > 1e-12 * (1. + std::abs(m0[e])))
                throw std::invalid_argument(
                  form + "has a coefficient of ∂u/∂t that depends on u" +
                  advice);
          }
      }


      /** Σ over time levels of w_k · (the squares of the norms of one
       * level), for the trapezoidal rule in time. */
      struct TimeIntegral
      {
        double error2 = 0, norm2 = 0, gradient2 = 0;

        void
        add(const ErrorNorms &e, const double weight)
        {
          error2 += weight * e.l2 * e.l2;
          gradient2 += weight * e.h1_seminorm * e.h1_seminorm;
          if (e.relative_l2 > 0.)
            norm2 += weight * std::pow(e.l2 / e.relative_l2, 2);
        }

        ErrorNorms
        norms() const
        {
          ErrorNorms n;
          n.l2            = std::sqrt(error2);
          n.relative_l2   = norm2 > 0. ? std::sqrt(error2 / norm2) :
                                         std::numeric_limits<double>::quiet_NaN();
          n.h1_seminorm   = std::sqrt(gradient2);
          n.normalized_l1 = std::numeric_limits<double>::quiet_NaN();
          return n;
        }
      };


      /** What the steps after step `steps_done` of a fixed-step run need,
       * and what its end reports: checkpoint.bin holds it. */
      struct StepState
      {
        unsigned int steps_done        = 0;
        unsigned int newton_iterations = 0;
        double       next_output       = 0;
        /** The error integrals: of all fields, then of each. */
        std::vector<TimeIntegral> integrals;
        /** uⁿ and uⁿ⁻¹ (bdf2) without ghosts. */
        const TrilinosWrappers::MPI::Vector *current  = nullptr;
        const TrilinosWrappers::MPI::Vector *previous = nullptr;
      };

      constexpr char          steps_magic[]        = "fbpinn-mol-steps";
      constexpr std::size_t   steps_magic_size     = sizeof steps_magic - 1;
      constexpr std::uint32_t steps_format_version = 1;

      /** A sum over the owned DoFs (so independent of their order and of
       * the ranks) of a hash of the index and its support point: equal only
       * for the same mesh, element and DoF numbering. */
      template <int d>
      std::uint64_t
      dof_signature(const DoFHandler<d> &dof_handler,
                    const Mapping<d>    &mapping,
                    const MPI_Comm       comm)
      {
        std::map<types::global_dof_index, Point<d>> points;
        DoFTools::map_dofs_to_support_points(mapping, dof_handler, points);
        std::uint64_t sum = 0;
        for (const types::global_dof_index i : dof_handler.locally_owned_dofs())
          {
            std::uint64_t hash =
              BinaryFile::mix(BinaryFile::hash_start, std::uint64_t(i));
            const auto p = points.find(i);
            if (p != points.end())
              for (int k = 0; k < d; ++k)
                hash = BinaryFile::mix(hash, p->second[k]);
            sum += hash;
          }
        return Utilities::MPI::sum(sum, comm);
      }

      using Snapshots =
        std::vector<std::pair<double, TrilinosWrappers::MPI::Vector>>;

      /** What a checkpoint must match: written into it, compared on
       * resume. */
      struct StepLayout
      {
        std::uint32_t dim = 0, n_fields = 0, n_steps = 0;
        std::string   scheme;
        double        end_time  = 0;
        std::uint64_t signature = 0, n_dofs = 0;
      };

      /** <directory>/checkpoint.bin of @p state, written on rank 0
       * atomically: magic, version, the layout, the state, uⁿ, uⁿ⁻¹, the
       * kept snapshots, CRC-32. */
      void
      write_step_checkpoint(const std::string &directory,
                            const StepLayout  &layout,
                            const StepState   &state,
                            const Snapshots   &snapshots,
                            const MPI_Comm     comm)
      {
        using BinaryFile::put;
        std::vector<std::vector<double>> vectors;
        vectors.push_back(Parallel::gather_on_root(*state.current, comm));
        vectors.push_back(Parallel::gather_on_root(*state.previous, comm));
        for (const auto &[t, u] : snapshots)
          vectors.push_back(Parallel::gather_on_root(u, comm));
        Parallel::on_root_collectively(comm, [&]() {
          std::string out(steps_magic, steps_magic_size);
          put<std::uint32_t>(out, steps_format_version);
          put<std::uint32_t>(out, layout.dim);
          put<std::uint32_t>(out, layout.n_fields);
          put<std::uint32_t>(out, layout.n_steps);
          put<std::uint32_t>(out, layout.scheme.size());
          out += layout.scheme;
          put<double>(out, layout.end_time);
          put<std::uint64_t>(out, layout.signature);
          put<std::uint64_t>(out, layout.n_dofs);
          put<std::uint32_t>(out, state.steps_done);
          put<std::uint32_t>(out, state.newton_iterations);
          put<double>(out, state.next_output);
          put<std::uint32_t>(out, state.integrals.size());
          for (const TimeIntegral &i : state.integrals)
            {
              put<double>(out, i.error2);
              put<double>(out, i.norm2);
              put<double>(out, i.gradient2);
            }
          put<std::uint32_t>(out, snapshots.size());
          for (std::size_t k = 0; k < vectors.size(); ++k)
            {
              if (k >= 2)
                put<double>(out, snapshots[k - 2].first);
              for (const double v : vectors[k])
                put<double>(out, v);
            }
          put<std::uint32_t>(out, BinaryFile::checksum(out.data(), out.size()));
          write_file_atomically(directory + "/checkpoint.bin", out);
        });
      }

      /** The state of <directory>/checkpoint.bin after checking it against
       * @p layout (every rank reads the file and makes the same checks, so
       * that all resume or all throw): @p current, @p previous (owned
       * entries) and @p snapshots (ghosted like @p ghosted) are set. */
      StepState
      read_step_checkpoint(const std::string                   &directory,
                           const StepLayout                    &layout,
                           const unsigned int                   n_integrals,
                           TrilinosWrappers::MPI::Vector       &current,
                           TrilinosWrappers::MPI::Vector       &previous,
                           const TrilinosWrappers::MPI::Vector &ghosted,
                           Snapshots                           &snapshots)
      {
        const std::string file = directory + "/checkpoint.bin";
        const std::string prefix =
          "subsection Time stepping, entry 'Resume from': '" + file + "' ";
        const auto read = BinaryFile::read(file);
        if (!read)
          throw std::invalid_argument(
            prefix + "cannot be read; give a directory written by a run "
                     "with 'Checkpoint interval' > 0");
        const std::string &bytes = *read;
        std::size_t        pos   = 0;
        const auto         need  = [&](const std::size_t n) {
          if (bytes.size() < pos + 4 + n)
            throw std::invalid_argument(
              prefix + "is truncated: the file is corrupted; resume from "
                                "another checkpoint");
        };
        const auto get_u32 = [&]() {
          need(4);
          return BinaryFile::get<std::uint32_t>(bytes, pos);
        };
        const auto get_u64 = [&]() {
          need(8);
          return BinaryFile::get<std::uint64_t>(bytes, pos);
        };
        const auto get_double = [&]() {
          need(8);
          return BinaryFile::get<double>(bytes, pos);
        };
        if (bytes.compare(0, steps_magic_size, steps_magic) != 0)
          throw std::invalid_argument(
            prefix +
            "is not a checkpoint of the method of lines (it does "
            "not begin with '" +
            std::string(steps_magic) + "')");
        pos                         = steps_magic_size;
        const std::uint32_t version = get_u32();
        if (version != steps_format_version)
          throw std::invalid_argument(prefix + "has format version " +
                                      std::to_string(version) +
                                      "; this fbpinn reads version " +
                                      std::to_string(steps_format_version));
        {
          std::size_t tail = bytes.size() - 4;
          if (BinaryFile::get<std::uint32_t>(bytes, tail) !=
              BinaryFile::checksum(bytes.data(), bytes.size() - 4))
            throw std::invalid_argument(
              prefix + "fails its CRC-32 checksum: the file is corrupted; "
                       "resume from another checkpoint");
        }
        StepLayout stored;
        stored.dim                        = get_u32();
        stored.n_fields                   = get_u32();
        stored.n_steps                    = get_u32();
        const std::uint32_t scheme_length = get_u32();
        need(scheme_length);
        stored.scheme = bytes.substr(pos, scheme_length);
        pos += scheme_length;
        stored.end_time  = get_double();
        stored.signature = get_u64();
        stored.n_dofs    = get_u64();
        if (stored.dim != layout.dim || stored.n_fields != layout.n_fields ||
            stored.n_steps != layout.n_steps ||
            stored.scheme != layout.scheme ||
            stored.end_time != layout.end_time ||
            stored.n_dofs != layout.n_dofs)
          {
            std::ostringstream message;
            message << prefix << "was written for " << stored.dim - 1
                    << "D + t, " << stored.n_fields << " field(s), "
                    << stored.scheme << " with " << stored.n_steps
                    << " steps to t = " << stored.end_time << " and "
                    << stored.n_dofs << " DoFs; this run has " << layout.dim - 1
                    << "D + t, " << layout.n_fields << ", " << layout.scheme
                    << " with " << layout.n_steps << " steps to "
                    << layout.end_time << " and " << layout.n_dofs
                    << ": use the parameter file of that run";
            throw std::invalid_argument(message.str());
          }
        if (stored.signature != layout.signature)
          throw std::invalid_argument(
            prefix + "was written with another mesh, element or DoF "
                     "numbering: use the mesh, the FEM entries and the "
                     "number of MPI ranks of that run");
        StepState state;
        state.steps_done        = get_u32();
        state.newton_iterations = get_u32();
        state.next_output       = get_double();
        if (state.steps_done == 0 || state.steps_done >= layout.n_steps)
          throw std::invalid_argument(
            prefix + "holds " + std::to_string(state.steps_done) + " of " +
            std::to_string(layout.n_steps) +
            " time steps; there is nothing to resume");
        if (get_u32() != n_integrals)
          throw std::invalid_argument(
            prefix + "holds error integrals of another number of fields: "
                     "the file is corrupted");
        state.integrals.resize(n_integrals);
        for (TimeIntegral &i : state.integrals)
          {
            i.error2    = get_double();
            i.norm2     = get_double();
            i.gradient2 = get_double();
          }
        const std::uint32_t n_snapshots = get_u32();
        const std::size_t   n           = layout.n_dofs;
        // A vector's owned entries from the file at pos; pos moves past it.
        const auto fill = [&](TrilinosWrappers::MPI::Vector &v) {
          need(8 * n);
          for (const types::global_dof_index i : v.locally_owned_elements())
            {
              std::size_t  at    = pos + 8 * std::size_t(i);
              const double value = BinaryFile::get<double>(bytes, at);
              if (!std::isfinite(value))
                throw std::invalid_argument(
                  prefix + "holds a non-finite value: the file is corrupted");
              v(i) = value;
            }
          v.compress(VectorOperation::insert);
          pos += 8 * n;
        };
        fill(current);
        fill(previous);
        snapshots.clear();
        TrilinosWrappers::MPI::Vector owned(current);
        for (std::uint32_t k = 0; k < n_snapshots; ++k)
          {
            const double t = get_double();
            fill(owned);
            snapshots.emplace_back(t, ghosted);
            snapshots.back().second = owned;
          }
        if (pos != bytes.size() - 4)
          throw std::invalid_argument(
            prefix + "has trailing bytes: the file is corrupted; resume from "
                     "another checkpoint");
        return state;
      }
    } // namespace


    template <int dim>
    void
    MethodOfLines<dim>::parse_parameters(ParameterHandler &prm)
    {
      fem.parse_parameters(prm);
      prm.enter_subsection("Time stepping");
      scheme              = prm.get("Scheme");
      time_step           = prm.get_double("Time step");
      output_interval     = prm.get_double("Output interval");
      relative_tolerance  = prm.get_double("Relative tolerance");
      absolute_tolerance  = prm.get_double("Absolute tolerance");
      maximum_order       = prm.get_integer("Maximum order");
      checkpoint_interval = prm.get_integer("Checkpoint interval");
      resume_from         = prm.get("Resume from");
      prm.leave_subsection();
      if (scheme == "arkode" &&
          (checkpoint_interval > 0 || !resume_from.empty()))
        throw std::invalid_argument(
          "subsection Time stepping, entry 'Scheme' = arkode with "
          "'Checkpoint interval' > 0 or 'Resume from': SUNDIALS keeps "
          "ARKode's step history, which a checkpoint cannot restore exactly; "
          "use a fixed-step scheme (bdf2, crank-nicolson, implicit-euler) "
          "or no checkpoints");
      if (!(time_step > 0.))
        throw std::invalid_argument(
          "subsection Time stepping, entry 'Time step' must be positive");
      prm.enter_subsection("Mesh");
      subdivisions = prm.get_integer("Subdivisions");
      prm.leave_subsection();
    }


    template <int dim>
    void
    MethodOfLines<dim>::solve(const Problems::Interface<dim> &space_time,
                              const parallel::TriangulationBase<dim> &mesh,
                              Timings                                &timings)
    {
      constexpr int  d    = dim - 1;
      const MPI_Comm comm = mesh.get_communicator();
      Timer          timer(comm, /*sync_lap_times=*/true);
      problem = &space_time;
      check_first_order_in_time(space_time);

      // The spatial mesh: the box of the space-time mesh without t, as
      // finely refined.
      Point<d> lower, upper;
      for (int i = 0; i < d; ++i)
        {
          lower[i] = std::numeric_limits<double>::max();
          upper[i] = -std::numeric_limits<double>::max();
        }
      const std::vector<bool> &used = mesh.get_used_vertices();
      for (unsigned int v = 0; v < mesh.n_vertices(); ++v)
        if (used[v])
          for (int i = 0; i < d; ++i)
            {
              lower[i] = std::min(lower[i], mesh.get_vertices()[v][i]);
              upper[i] = std::max(upper[i], mesh.get_vertices()[v][i]);
            }
      for (int i = 0; i < d; ++i)
        {
          lower[i] = Utilities::MPI::min(lower[i], comm);
          upper[i] = Utilities::MPI::max(upper[i], comm);
        }
      spatial_mesh = create_triangulation<d>(comm);
      GridGenerator::subdivided_hyper_rectangle(
        *spatial_mesh,
        std::vector<unsigned int>(d, subdivisions),
        lower,
        upper,
        /*colorize=*/true);
      spatial_mesh->refine_global(
        refinements >= 0 ? unsigned(refinements) : mesh.n_global_levels() - 1);

      SpatialProblem<d> now(space_time), before(space_time);
      fem.setup_time_stepping(now, *spatial_mesh);
      timer.stop();
      timings.setup += timer.last_wall_time();

      const double       end_time = space_time.end_time();
      const unsigned int n_steps =
        std::max(1., std::ceil(end_time / time_step - 1e-9));
      const double       dt = end_time / n_steps;
      const unsigned int n  = space_time.n_fields();

      // Errors at each time level, integrated by the trapezoidal rule.
      const QGauss<d> error_rule(
        n_error_points_per_direction(fem.n_assembly_points_per_direction()));
      const auto                evaluator = fem.create_evaluator(error_rule);
      const bool                measure   = space_time.has_exact_solution();
      TimeIntegral              total;
      std::vector<TimeIntegral> fields(n);
      FieldErrors               last;
      // Timed as error evaluation, not as the method's work (the other
      // methods' errors are measured after their solve and timed so too).
      const auto measure_level = [&](const double weight) {
        if (!measure)
          return;
        Timer error_timer(comm, /*sync_lap_times=*/true);
        last = compute_field_errors<d>(*spatial_mesh,
                                       now,
                                       error_rule,
                                       *evaluator,
                                       nullptr,
                                       &fem.get_mapping());
        total.add(last.total, weight);
        for (unsigned int f = 0; f < n; ++f)
          fields[f].add(last.fields[f], weight);
        error_timer.stop();
        timings.error_evaluation += error_timer.last_wall_time();
      };

      snapshots.clear();
      double     next_output = 0;
      const auto keep        = [&](const double t, const bool final) {
        if (final || t >= next_output - 1e-12 * end_time)
          {
            snapshots.emplace_back(t, fem.get_solution());
            if (output_interval > 0.)
              while (next_output <= t + 1e-12 * end_time)
                next_output += output_interval;
            else
              next_output = std::numeric_limits<double>::max();
          }
      };

      timer.restart();
      now.t = 0;
      fem.interpolate_initial_values(now);
      keep(0., false);
      timer.stop();
      timings.assembly += timer.last_wall_time();
      // (arkode measures at its output times, t = 0 among them.)
      if (scheme != "arkode")
        measure_level(0.5 * dt);

      const IndexSet &owned = fem.get_dof_handler().locally_owned_dofs();
      TrilinosWrappers::MPI::Vector current(owned, comm), previous(owned, comm),
        w(owned, comm);
      current = fem.get_solution();

      typename FEM<d>::TimeStepTerms terms;
      // With ghost entries: the history is evaluated on every cell.
      terms.history = fem.get_solution();
      // m(x, t) at the new time; once where nothing varies.
      const std::vector<Jet<dim>> zero_jets(n);
      std::vector<double>         constant_mass;
      const bool constant = !space_time.has_variable_coefficients();
      if (constant)
        mass_coefficients(space_time, Point<dim>(), zero_jets, constant_mass);
      terms.mass = [&](const Point<d> &x, std::vector<double> &m) {
        if (constant)
          m = constant_mass;
        else
          mass_coefficients(space_time, now.lift(x), zero_jets, m);
      };

      Solvers::NonlinearReport combined;
      combined.active    = !space_time.is_linear();
      combined.converged = true;
      SolverReport last_linear;
      Timer        wall(comm, /*sync_lap_times=*/true);
      const bool   root          = Utilities::MPI::this_mpi_process(comm) == 0;
      unsigned int next_progress = n_steps / 10;
      steps                      = 0;
      bool reached_end           = false;
      if (scheme == "arkode")
        {
          // SUNDIALS' ARKode (deal.II's wrapper), a DIRK method for
          //   M' y' = f(t, y),
          // y the nodal values. On the unconstrained DoFs f = −R(u) with u
          // = y there and the Dirichlet data g(t) on the constrained ones
          // (so f does not depend on y_c, and its Jacobian is −∂R/∂u of the
          // unconstrained DoFs), and the rows of M' are those of the mass
          // matrix M, which couple to the constrained DoFs through M_ic
          // y_c'. On the constrained DoFs M' = I and
          //   f_c = g'(t) + (g(t) − y_c)/τ,
          // g' by central differences (step ε = 1e-6 T) and the relaxation
          // τ = 1e-3 T only against drift, so that y_c' = g' as the
          // coupling M_ic y_c' needs. ARKode's Newton systems
          //   (M' − γ J) x = b
          // are solved by GMRES on ARKode's operator, preconditioned by the
          // exact inverse at the γ_P and y of ARKode's last setup: x_c = b_c
          // / (1 + γ/τ), and on the unconstrained DoFs FEM's step matrix
          // P = M/γ_P + ∂R/∂u (its factorisation or AMG) applied to
          // (b − M_ic x_c)/γ_P.
          if (n != 1)
            throw std::invalid_argument(
              "subsection Time stepping, entry 'Scheme' = arkode: problems "
              "with several fields are not implemented yet; use bdf2 or "
              "crank-nicolson");
          // ARKode takes the mass matrix as independent of t here.
          if (!constant)
            {
              std::vector<double> m0, m1;
              double              change = 0;
              for (const auto &cell : spatial_mesh->active_cell_iterators())
                if (cell->is_locally_owned())
                  {
                    now.t = 0.;
                    mass_coefficients(space_time,
                                      now.lift(cell->center()),
                                      zero_jets,
                                      m0);
                    now.t = end_time;
                    mass_coefficients(space_time,
                                      now.lift(cell->center()),
                                      zero_jets,
                                      m1);
                    change = std::max(change, std::abs(m1[0] - m0[0]));
                  }
              if (Utilities::MPI::max(change, comm) > 0.)
                throw std::invalid_argument(
                  "subsection Time stepping, entry 'Scheme' = arkode: the "
                  "coefficient of u_t of this problem varies in time, which "
                  "the ARKode integrator here does not support; use bdf2 or "
                  "crank-nicolson");
              now.t = 0.;
            }

          TrilinosWrappers::SparseMatrix mass_full, mass_condensed;
          fem.assemble_mass_matrices(terms, mass_full, mass_condensed);
          SolverControl                  mass_control(1, 0., false, false);
          TrilinosWrappers::SolverDirect mass_solver(
            mass_control,
            TrilinosWrappers::SolverDirect::AdditionalData(false,
                                                           "Amesos_Mumps"));
          mass_solver.initialize(mass_condensed);

          std::vector<types::global_dof_index> constrained;
          for (const types::global_dof_index i : owned)
            if (fem.get_constraints().is_constrained(i))
              constrained.push_back(i);
          const double tau     = 1e-3 * end_time;
          const double epsilon = 1e-6 * end_time;

          // The FEM solution := y with g(t) on the constrained DoFs; g(t)
          // into @p g.
          TrilinosWrappers::MPI::Vector ghosted(fem.get_solution());
          std::vector<double>           g, g_plus, g_minus;
          const auto                    set_state = [&](const double                         t,
                                     const TrilinosWrappers::MPI::Vector &y,
                                     std::vector<double> &values) {
            now.t   = t;
            ghosted = y;
            fem.set_solution(ghosted);
            fem.set_boundary_values(now);
            values.resize(constrained.size());
            for (std::size_t k = 0; k < constrained.size(); ++k)
              values[k] = fem.get_solution()(constrained[k]);
          };
          const auto set_constrained = [&](TrilinosWrappers::MPI::Vector &v,
                                           const auto &value_of) {
            for (std::size_t k = 0; k < constrained.size(); ++k)
              v(constrained[k]) = value_of(k);
            v.compress(VectorOperation::insert);
          };

          // Callbacks must not throw through SUNDIALS: they keep the
          // message and return −1 (unrecoverable); output_step, called by
          // deal.II's loop, then throws it.
          std::string failure;
          const auto  guarded = [&](const auto &body) -> int {
            try
              {
                return body();
              }
            catch (const std::exception &e)
              {
                if (failure.empty())
                  failure = one_line_message(e);
                return -1;
              }
          };

          typename SUNDIALS::ARKode<TrilinosWrappers::MPI::Vector>::
            AdditionalData                                data(0.,
                                end_time,
                                time_step,
                                time_step,
                                1e-12 * end_time,
                                maximum_order,
                                10,
                                space_time.is_linear(),
                                !space_time.has_variable_coefficients(),
                                true,
                                3,
                                absolute_tolerance,
                                relative_tolerance);
          SUNDIALS::ARKode<TrilinosWrappers::MPI::Vector> ode(data, comm);

          ode.implicit_function = [&](const double                         t,
                                      const TrilinosWrappers::MPI::Vector &y,
                                      TrilinosWrappers::MPI::Vector       &f) {
            return guarded([&]() {
              Timer      assembly(comm, true);
              const bool start = t < epsilon;
              set_state(t + epsilon, y, g_plus);
              set_state(start ? t : t - epsilon, y, g_minus);
              set_state(t, y, g);
              f                  = fem.weak_residual(now);
              const double width = start ? epsilon : 2. * epsilon;
              set_constrained(f, [&](const std::size_t k) {
                return (g_plus[k] - g_minus[k]) / width +
                       (g[k] - y(constrained[k])) / tau;
              });
              assembly.stop();
              timings.assembly += assembly.last_wall_time();
              return 0;
            });
          };
          ode.mass_times_setup  = [](const double) { return 0; };
          ode.mass_times_vector = [&](const double,
                                      const TrilinosWrappers::MPI::Vector &v,
                                      TrilinosWrappers::MPI::Vector       &Mv) {
            return guarded([&]() {
              mass_full.vmult(Mv, v);
              set_constrained(Mv, [&](const std::size_t k) {
                return v(constrained[k]);
              });
              return 0;
            });
          };
          ode.solve_mass =
            [&](
              SUNDIALS::SundialsOperator<TrilinosWrappers::MPI::Vector> &,
              SUNDIALS::SundialsPreconditioner<TrilinosWrappers::MPI::Vector> &,
              TrilinosWrappers::MPI::Vector       &x,
              const TrilinosWrappers::MPI::Vector &b,
              double) {
              return guarded([&]() {
                TrilinosWrappers::MPI::Vector bc(b), r(b);
                bc = 0.;
                set_constrained(bc, [&](const std::size_t k) {
                  return b(constrained[k]);
                });
                mass_full.vmult(r, bc);
                r.sadd(-1., 1., b);
                set_constrained(r, [](const std::size_t) { return 0.; });
                mass_solver.solve(x, r);
                set_constrained(x, [&](const std::size_t k) {
                  return b(constrained[k]);
                });
                return 0;
              });
            };

          double       setup_gamma = 0.;
          unsigned int n_setups = 0, n_gmres = 0;
          ode.jacobian_times_setup = [](const double,
                                        const TrilinosWrappers::MPI::Vector &,
                                        const TrilinosWrappers::MPI::Vector &) {
            return 0;
          };
          ode.jacobian_preconditioner_setup =
            [&](const double                         t,
                const TrilinosWrappers::MPI::Vector &y,
                const TrilinosWrappers::MPI::Vector &,
                int,
                int         &jcur,
                const double gamma) {
              return guarded([&]() {
                Timer assembly(comm, true);
                set_state(t, y, g);
                terms.mass_factor = 1. / gamma;
                terms.history     = fem.get_solution();
                fem.assemble_step_matrix(now, terms);
                setup_gamma = gamma;
                jcur        = 1;
                ++n_setups;
                assembly.stop();
                timings.assembly += assembly.last_wall_time();
                return 0;
              });
            };
          // J v on the unconstrained DoFs: −(P − M/γ_P) v, v zero on the
          // constrained ones; there −v/τ.
          ode.jacobian_times_vector =
            [&](const TrilinosWrappers::MPI::Vector &v,
                TrilinosWrappers::MPI::Vector       &Jv,
                const double,
                const TrilinosWrappers::MPI::Vector &,
                const TrilinosWrappers::MPI::Vector &) {
              return guarded([&]() {
                if (n_setups == 0)
                  throw std::logic_error("ARKode asked for J v before a setup");
                TrilinosWrappers::MPI::Vector v0(v), Mv(v);
                set_constrained(v0, [](const std::size_t) { return 0.; });
                fem.step_matrix_vmult(Jv, v0);
                mass_condensed.vmult(Mv, v0);
                Jv.sadd(-1., 1. / setup_gamma, Mv);
                set_constrained(Jv, [&](const std::size_t k) {
                  return -v(constrained[k]) / tau;
                });
                return 0;
              });
            };
          ode.jacobian_preconditioner_solve =
            [&](const double,
                const TrilinosWrappers::MPI::Vector &,
                const TrilinosWrappers::MPI::Vector &,
                const TrilinosWrappers::MPI::Vector &r,
                TrilinosWrappers::MPI::Vector       &z,
                const double                         gamma,
                double,
                int) {
              return guarded([&]() {
                Timer                         solve(comm, true);
                TrilinosWrappers::MPI::Vector zc(r), rhs(r);
                zc = 0.;
                set_constrained(zc, [&](const std::size_t k) {
                  return r(constrained[k]) / (1. + gamma / tau);
                });
                mass_full.vmult(rhs, zc);
                rhs.sadd(-1. / setup_gamma, 1. / setup_gamma, r);
                z = fem.solve_step_matrix(rhs, last_linear);
                set_constrained(z, [&](const std::size_t k) {
                  return zc(constrained[k]);
                });
                solve.stop();
                timings.solve += solve.last_wall_time();
                return last_linear.converged ? 0 : 1;
              });
            };
          ode.solve_linearized_system =
            [&](SUNDIALS::SundialsOperator<TrilinosWrappers::MPI::Vector> &op,
                SUNDIALS::SundialsPreconditioner<TrilinosWrappers::MPI::Vector>
                                                    &prec,
                TrilinosWrappers::MPI::Vector       &x,
                const TrilinosWrappers::MPI::Vector &b,
                const double                         tolerance) {
              return guarded([&]() {
                SolverControl control(50, tolerance, false, false);
                SolverGMRES<TrilinosWrappers::MPI::Vector> gmres(control);
                x = 0.;
                try
                  {
                    gmres.solve(op, x, b, prec);
                  }
                catch (const SolverControl::NoConvergence &)
                  {
                    n_gmres += control.last_step();
                    return 1; // recoverable: ARKode retries with a smaller step
                  }
                n_gmres += control.last_step();
                return 0;
              });
            };

          // Errors at the output times t_k = k Δt (ARKode interpolates), by
          // the trapezoidal rule; the first call is at t = 0.
          double       previous_time = 0.;
          unsigned int n_outputs     = 0;
          double       next_report   = 0.1 * end_time;
          ode.output_step = [&](const double                         t,
                                const TrilinosWrappers::MPI::Vector &y,
                                const unsigned int) {
            const double expected =
              n_outputs == 0 ? 0. :
                               std::min(end_time, previous_time + time_step);
            if (!failure.empty() || std::abs(t - expected) > 1e-9 * end_time)
              throw std::runtime_error(
                "ARKode stopped at t = " + std::to_string(t) +
                " before reaching " + std::to_string(expected) +
                (failure.empty() ?
                   " (too many steps, or its error test or Newton iteration "
                   "failed with the smallest step): loosen 'Relative "
                   "tolerance' or refine the mesh" :
                   ": " + failure));
            set_state(t, y, g);
            if (n_outputs > 0)
              {
                const double weight = 0.5 * (t - previous_time);
                total.add(last.total, weight);
                for (unsigned int f = 0; f < n; ++f)
                  fields[f].add(last.fields[f], weight);
                measure_level(weight);
              }
            else
              measure_level(0.);
            keep(t, t >= end_time * (1. - 1e-12));
            previous_time = t;
            ++n_outputs;
            if (root && t >= next_report - 1e-12 * end_time && t > 0.)
              {
                long int n_ode_steps = 0;
                ARKStepGetNumSteps(ode.get_arkode_memory(), &n_ode_steps);
                const double elapsed = wall.wall_time();
                std::cout << "fbpinn: arkode t = " << std::setprecision(4) << t
                          << ", " << n_ode_steps << " steps, " << std::fixed
                          << std::setprecision(1) << elapsed << " s, about "
                          << elapsed * (end_time - t) / t << " s left"
                          << std::defaultfloat << std::endl;
                next_report += 0.1 * end_time;
              }
          };

          TrilinosWrappers::MPI::Vector y(owned, comm);
          y = fem.get_solution();
          try
            {
              ode.solve_ode(y);
              long int n_ode_steps = 0, n_newton = 0, n_failures = 0;
              void    *memory = ode.get_arkode_memory();
              ARKStepGetNumSteps(memory, &n_ode_steps);
              ARKStepGetNumNonlinSolvIters(memory, &n_newton);
              ARKStepGetNumErrTestFails(memory, &n_failures);
              steps               = n_ode_steps;
              combined.iterations = n_newton;
              combined.converged  = true;
              reached_end         = true;
              if (root)
                std::cout << "fbpinn: arkode: " << n_ode_steps << " steps ("
                          << n_failures << " rejected by the error test), "
                          << n_newton << " Newton iterations, " << n_setups
                          << " matrix setups, " << n_gmres
                          << " GMRES iterations" << std::endl;
            }
          catch (const std::runtime_error &e)
            {
              combined.converged = false;
              combined.failure   = one_line_message(e);
            }
        }
      else
        {
          // A resumed run: the state after the checkpoint's step (the
          // initial values, error and output above are replaced by it).
          StepLayout layout;
          layout.dim      = dim;
          layout.n_fields = n;
          layout.n_steps  = n_steps;
          layout.scheme   = scheme;
          layout.end_time = end_time;
          layout.n_dofs   = fem.get_dof_handler().n_dofs();
          if (checkpoint_interval > 0 || !resume_from.empty())
            layout.signature =
              dof_signature(fem.get_dof_handler(), fem.get_mapping(), comm);
          unsigned int first_step = 0;
          if (!resume_from.empty())
            {
              previous              = current;
              const StepState state = read_step_checkpoint(resume_from,
                                                           layout,
                                                           n + 1,
                                                           current,
                                                           previous,
                                                           fem.get_solution(),
                                                           snapshots);
              first_step            = state.steps_done;
              steps                 = first_step;
              combined.iterations   = state.newton_iterations;
              next_output           = state.next_output;
              total                 = state.integrals[0];
              for (unsigned int f = 0; f < n; ++f)
                fields[f] = state.integrals[f + 1];
              TrilinosWrappers::MPI::Vector ghosted(fem.get_solution());
              ghosted = current;
              fem.set_solution(ghosted);
              if (n_steps >= 100)
                while (next_progress <= first_step)
                  next_progress += n_steps / 10;
              if (root)
                std::cout << "fbpinn: fem resumes after time step "
                          << first_step << '/' << n_steps
                          << " (t = " << first_step * dt << ") from '"
                          << resume_from << "'" << std::endl;
            }
          for (unsigned int k = first_step; k < n_steps; ++k)
            {
              before.t             = k * dt;
              now.t                = (k + 1) * dt;
              const bool bdf2_step = scheme == "bdf2" && k > 0;

              timer.restart();
              // a and w of the scheme; the θ-scheme (θ = ½) also needs the
              // residual at the previous time, at uⁿ.
              terms.old_residual.clear();
              if (bdf2_step)
                {
                  terms.mass_factor = 1.5 / dt;
                  w                 = current;
                  w *= 2. / dt;
                  w.add(-0.5 / dt, previous);
                }
              else if (scheme == "crank-nicolson")
                {
                  terms.mass_factor = 2. / dt;
                  w                 = current;
                  w *= 2. / dt;
                  terms.old_residual = fem.weak_residual(before);
                }
              else
                {
                  terms.mass_factor = 1. / dt;
                  w                 = current;
                  w *= 1. / dt;
                }
              terms.history = w;
              fem.set_boundary_values(now);
              timer.stop();
              timings.assembly += timer.last_wall_time();

              const Solvers::NonlinearReport newton =
                fem.solve_time_step(now, terms, last_linear, timings);
              combined.iterations += newton.iterations;
              combined.residuals = newton.residuals;
              ++steps;
              if (!newton.converged)
                {
                  std::ostringstream message;
                  message << "time step " << k + 1 << " of " << n_steps
                          << " (t = " << now.t << "): " << newton.failure;
                  combined.converged = false;
                  combined.failure   = message.str();
                  break;
                }

              previous    = current;
              current     = fem.get_solution();
              reached_end = k + 1 == n_steps;
              measure_level(k + 1 == n_steps ? 0.5 * dt : dt);
              timer.restart();
              keep(now.t, k + 1 == n_steps);
              timer.stop();
              timings.assembly += timer.last_wall_time();
              if (checkpoint_interval > 0 &&
                  (k + 1) % checkpoint_interval == 0 && k + 1 < n_steps)
                {
                  StepState state;
                  state.steps_done        = k + 1;
                  state.newton_iterations = combined.iterations;
                  state.next_output       = next_output;
                  state.integrals.push_back(total);
                  state.integrals.insert(state.integrals.end(),
                                         fields.begin(),
                                         fields.end());
                  state.current  = &current;
                  state.previous = &previous;
                  write_step_checkpoint(output_directory,
                                        layout,
                                        state,
                                        snapshots,
                                        comm);
                }

              if (root && n_steps >= 100 && k + 1 == next_progress)
                {
                  const double elapsed = wall.wall_time();
                  std::cout
                    << "fbpinn: time step " << k + 1 << '/' << n_steps
                    << ", t = " << std::setprecision(4) << now.t
                    << ", Newton iterations " << newton.iterations << ", "
                    << std::fixed << std::setprecision(1) << elapsed
                    << " s, about "
                    << elapsed * (n_steps - k - 1) / (k + 1 - first_step)
                    << " s left" << std::defaultfloat << std::endl;
                  next_progress += n_steps / 10;
                }
            }
        }

      report = nonlinear_solver_report(last_linear,
                                       scheme + "+newton",
                                       fem.linear_solver_name(),
                                       combined);
      if (!combined.active)
        {
          // A linear problem: each step is one solve; converged if every
          // step was.
          report.converged = combined.converged;
          report.nonlinear = Solvers::NonlinearReport();
          if (!combined.converged)
            report.warning = combined.failure;
        }

      errors = FieldErrors();
      errors.fields.assign(n, ErrorNorms());
      if (measure)
        {
          errors.total = total.norms();
          for (unsigned int f = 0; f < n; ++f)
            errors.fields[f] = fields[f].norms();
          errors.final_time_relative_l2 =
            reached_end ? last.total.relative_l2 :
                          std::numeric_limits<double>::quiet_NaN();
          errors.solution_finite = last.solution_finite;
        }
      else
        {
          const double nan = std::numeric_limits<double>::quiet_NaN();
          errors.total     = ErrorNorms{nan, nan, nan, nan};
          for (ErrorNorms &e : errors.fields)
            e = errors.total;
          errors.reference       = "none";
          errors.solution_finite = std::isfinite(fem.get_solution().l2_norm());
        }
    }


    template <int dim>
    ResourceEstimate
    MethodOfLines<dim>::estimate_resources(
      const double                    n_cells,
      const Problems::Interface<dim> &problem) const
    {
      // @p n_cells: those of the spatial mesh (the driver counts them for
      // the method of lines); the snapshots at most a dozen solution
      // vectors.
      std::vector<int> offsets(problem.n_fields());
      for (unsigned int f = 0; f < offsets.size(); ++f)
        offsets[f] = problem.field_degree_offset(f);
      ResourceEstimate estimate = fem.estimate_resources(n_cells, offsets);
      estimate.bytes += 12. * 8. * estimate.n_dofs;
      return estimate;
    }


    template <int dim>
    types::global_dof_index
    MethodOfLines<dim>::n_dofs() const
    {
      return fem.n_dofs();
    }


    template <int dim>
    types::global_dof_index
    MethodOfLines<dim>::n_rows() const
    {
      return fem.n_rows();
    }


    template <int dim>
    types::global_dof_index
    MethodOfLines<dim>::n_nonzeros() const
    {
      return fem.n_nonzeros();
    }


    template <int dim>
    unsigned int
    MethodOfLines<dim>::n_assembly_points_per_direction() const
    {
      return fem.n_assembly_points_per_direction();
    }


    template <int dim>
    std::unique_ptr<SolutionEvaluator<dim>>
    MethodOfLines<dim>::create_evaluator(const Quadrature<dim> &) const
    {
      throw std::logic_error(
        "the method of lines measures its errors while it steps in time "
        "(measured_errors()) and has no space-time evaluator");
    }


    template <int dim>
    void
    MethodOfLines<dim>::write_solution(const Problems::Interface<dim> &,
                                       const std::string &directory,
                                       const std::string &basename) const
    {
      SpatialProblem<dim - 1>                     at(*problem);
      const TrilinosWrappers::MPI::Vector         final = fem.get_solution();
      std::vector<std::pair<double, std::string>> records;
      // 1D in space: also u(x, t) at the snapshot times as CSV (64 samples
      // per cell), as the space-time methods write it.
      std::vector<double> slices;
      for (unsigned int k = 0; k < snapshots.size(); ++k)
        {
          at.t = snapshots[k].first;
          fem.set_solution(snapshots[k].second);
          const std::string name =
            basename + "-" + Utilities::int_to_string(k, 4);
          fem.write_solution(at, directory, name);
          records.emplace_back(at.t, name + ".pvtu");
          if constexpr (dim == 2)
            {
              const QIterated<1> samples(QMidpoint<1>(), 64);
              const auto         evaluator = fem.create_evaluator(samples);
              const MappingQ<1>  mapping(1);
              const FE_Q<1>      geometry_fe(1);
              FEValues<1>        geometry(mapping,
                                   geometry_fe,
                                   samples,
                                   update_quadrature_points);
              for (const auto &cell : spatial_mesh->active_cell_iterators())
                if (cell->is_locally_owned())
                  {
                    geometry.reinit(cell);
                    evaluator->reinit(cell);
                    for (unsigned int q = 0; q < samples.size(); ++q)
                      {
                        const double x = geometry.quadrature_point(q)[0];
                        slices.insert(slices.end(),
                                      {at.t,
                                       x,
                                       evaluator->values()[q],
                                       known_exact(*problem,
                                                   Point<2>(x, at.t))});
                      }
                  }
            }
        }
      fem.set_solution(final);
      const MPI_Comm comm = spatial_mesh->get_communicator();
      if constexpr (dim == 2)
        write_slices_csv(slices, directory + "/solution_slices.csv", comm);
      Parallel::on_root_collectively(comm, [&]() {
        std::ostringstream pvd;
        DataOutBase::write_pvd_record(pvd, records);
        write_file_atomically(directory + "/" + basename + ".pvd", pvd.str());
      });
    }


    template <int dim>
    std::vector<PointSample<dim>>
    MethodOfLines<dim>::point_samples(
      const Triangulation<dim> &,
      const std::vector<Point<dim>> &points) const
    {
      constexpr int d        = dim - 1;
      const double  end_time = problem->end_time();
      // Each point's snapshot, all found before the solution is touched.
      std::vector<const TrilinosWrappers::MPI::Vector *> kept;
      for (const Point<dim> &p : points)
        {
          const double t = p[dim - 1];
          const auto   snapshot =
            std::find_if(snapshots.begin(),
                         snapshots.end(),
                         [&](const auto &s) {
                           return std::abs(s.first - t) <= 1e-9 * end_time;
                         });
          if (snapshot == snapshots.end())
            {
              std::ostringstream message;
              message << "entry 'Point values': t = " << t
                      << " is not a time that fem's method of lines keeps "
                         "(t = 0, End time and the output times of "
                         "subsection Time stepping, 'Output interval'); "
                         "choose one of them";
              throw std::invalid_argument(message.str());
            }
          kept.push_back(&snapshot->second);
        }
      const auto                    final = fem.get_solution();
      std::vector<PointSample<dim>> samples;
      for (unsigned int k = 0; k < points.size(); ++k)
        {
          fem.set_solution(*kept[k]);
          Point<d> x;
          for (int i = 0; i < d; ++i)
            x[i] = points[k][i];
          const auto spatial =
            evaluate_at_points<d>(*spatial_mesh,
                                  fem.get_mapping(),
                                  {x},
                                  [this](const Quadrature<d> &rule) {
                                    return fem.create_evaluator(rule);
                                  });
          PointSample<dim> sample;
          sample.values = spatial[0].values;
          for (const auto &g : spatial[0].gradients)
            {
              Tensor<1, dim> full;
              for (int i = 0; i < d; ++i)
                full[i] = g[i];
              full[d] = std::numeric_limits<double>::quiet_NaN();
              sample.gradients.push_back(full);
            }
          samples.push_back(sample);
        }
      fem.set_solution(final);
      return samples;
    }


    template class MethodOfLines<2>;
    template class MethodOfLines<3>;
  } // namespace Methods
} // namespace fbpinn
