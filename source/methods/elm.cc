#include <deal.II/base/quadrature_lib.h>
#include <deal.II/base/timer.h>
#include <deal.II/dofs/dof_tools.h>
#include <deal.II/fe/fe_dgq.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/fe/mapping_q.h>
#include <deal.II/grid/grid_tools.h>
#include <deal.II/numerics/data_out.h>

#include <fbpinn/basis/finite_basis_values.h>
#include <fbpinn/methods/collocation.h>
#include <fbpinn/methods/elm.h>
#include <fbpinn/parallel/collective.h>
#include <fbpinn/plugins.h>
#include <fbpinn/postprocess/binary_file.h>
#include <fbpinn/postprocess/output.h>

#include <Epetra_CrsMatrix.h>
#include <Epetra_Export.h>
#include <Epetra_Vector.h>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iostream>
#include <limits>
#include <numeric>
#include <sstream>
#include <stdexcept>

namespace fbpinn
{
  namespace Methods
  {
    namespace
    {
      /** ∂r/∂J : J, the linearised operator applied to a jet. */
      template <int dim>
      double
      apply(const Problems::LinearizedResidual<dim> &operator_,
            const Jet<dim>                          &u)
      {
        double result = operator_.d_value * u.value;
        for (int d = 0; d < dim; ++d)
          {
            result += operator_.d_gradient[d] * u.gradient[d];
            for (int e = 0; e < dim; ++e)
              result += operator_.d_hessian[d][e] * u.hessian[d][e];
          }
        return result;
      }


      /** The jets of g and d of the ansatz u = g + d v at x; without a hard
       * constraint g = 0 and d = 1. */
      template <int dim>
      std::pair<Jet<dim>, Jet<dim>>
      ansatz(const Problems::Interface<dim> &problem,
             const bool                      hard,
             const Point<dim>               &x)
      {
        Jet<dim> g, d;
        if (hard)
          problem.hard_constraint(x, g, d);
        else
          d.value = 1.;
        return {g, d};
      }


      /**
       * The jet of u at every point of @p values: u = g + d Σ_s ψ_s Σ_k a_sk
       * φ_sk. Shared by the error evaluator and the output.
       */
      template <int dim>
      void
      evaluate_solution(const FiniteBasisValues<dim>        &values,
                        const TrilinosWrappers::MPI::Vector &coefficients,
                        const Problems::Interface<dim>      &problem,
                        const bool                           hard,
                        std::vector<Jet<dim>>               &u,
                        const unsigned int                   field = 0)
      {
        // Field f's coefficient of basis function j is column n j + f.
        const unsigned int  n       = problem.n_fields();
        const unsigned int  K       = values.dofs_per_cell() / values.n_slots();
        const auto         &indices = values.get_dof_indices();
        std::vector<double> a(indices.size());
        for (unsigned int i = 0; i < indices.size(); ++i)
          a[i] = coefficients(n * indices[i] + field);

        u.resize(values.n_points());
        for (unsigned int q = 0; q < values.n_points(); ++q)
          {
            Jet<dim> v;
            for (unsigned int s = 0; s < values.n_slots(); ++s)
              if (values.slot_is_active(s, q))
                {
                  Jet<dim> local;
                  for (unsigned int k = 0; k < K; ++k)
                    {
                      Jet<dim> phi = values.feature_jet(s, k, q);
                      phi.value *= a[s * K + k];
                      for (int d = 0; d < dim; ++d)
                        {
                          phi.gradient[d] *= a[s * K + k];
                          for (int e = 0; e < dim; ++e)
                            phi.hessian[d][e] *= a[s * K + k];
                        }
                      local = sum(local, phi);
                    }
                  v = sum(v, product(values.partition_of_unity(s, q), local));
                }
            const auto [g, d] = ansatz(problem, hard, values.point(q));
            u[q]              = sum(g, product(d, v));
          }
      }


      /** The slots of @p values in the order of their DoFs, so that each row
       * reaches Epetra sorted (its FillComplete then sorts nothing). */
      template <int dim>
      void
      sort_slots_by_dof(const FiniteBasisValues<dim> &values,
                        const unsigned int            K,
                        std::vector<unsigned int>    &slot_order)
      {
        const auto &indices = values.get_dof_indices();
        slot_order.resize(values.n_slots());
        std::iota(slot_order.begin(), slot_order.end(), 0u);
        std::sort(slot_order.begin(),
                  slot_order.end(),
                  [&](const unsigned int a, const unsigned int b) {
                    return indices[a * K] < indices[b * K];
                  });
      }


      /** The columns of @p n fields for the space's DoFs @p dofs: n j + f
       * for every j in @p dofs and f < n. */
      IndexSet
      field_columns(const IndexSet &dofs, const unsigned int n)
      {
        if (n == 1)
          return dofs;
        IndexSet columns(n * dofs.size());
        for (auto interval = dofs.begin_intervals();
             interval != dofs.end_intervals();
             ++interval)
          columns.add_range(n * *interval->begin(), n * (interval->last() + 1));
        columns.compress();
        return columns;
      }


      /** u_h and ∇u_h of the ELM solution at the points of one quadrature. */
      template <int dim>
      class ELMEvaluator : public SolutionEvaluator<dim>
      {
      public:
        ELMEvaluator(const FiniteBasisSpace<dim>         &space,
                     const TrilinosWrappers::MPI::Vector &coefficients,
                     const Problems::Interface<dim>      &problem,
                     const bool                           hard,
                     const Mapping<dim>                  &mapping,
                     const Quadrature<dim>               &quadrature)
          : SolutionEvaluator<dim>(problem.n_fields())
          , values(space)
          , coefficients(coefficients)
          , problem(problem)
          , hard(hard)
          , geometry_fe(0)
          , geometry(mapping,
                     geometry_fe,
                     quadrature,
                     update_quadrature_points | update_JxW_values)
        {
          for (unsigned int f = 0; f < this->n_fields(); ++f)
            {
              this->field_values[f].resize(quadrature.size());
              this->field_gradients[f].resize(quadrature.size());
            }
        }

        void
        reinit(const typename Triangulation<dim>::active_cell_iterator &cell)
          override
        {
          geometry.reinit(cell);
          values.reinit(cell,
                        geometry.get_quadrature_points(),
                        geometry.get_JxW_values());
          for (unsigned int f = 0; f < this->n_fields(); ++f)
            {
              evaluate_solution(values, coefficients, problem, hard, jets, f);
              for (unsigned int q = 0; q < jets.size(); ++q)
                {
                  this->field_values[f][q] = jets[q].value;
                  for (int d = 0; d < dim; ++d)
                    this->field_gradients[f][q][d] = jets[q].gradient[d];
                }
            }
        }

      private:
        FiniteBasisValues<dim>               values;
        const TrilinosWrappers::MPI::Vector &coefficients;
        const Problems::Interface<dim>      &problem;
        const bool                           hard;
        const FE_DGQ<dim>                    geometry_fe;
        FEValues<dim>                        geometry;
        std::vector<Jet<dim>>                jets;
      };


      /**
       * Scale every column of @p matrix to unit Euclidean norm, in place, and
       * return the scaling D (M ← M D) in @p scaling. ELM columns differ in
       * norm by orders of magnitude (features whose window barely reaches a
       * cell, the 1/h² of second derivatives against the O(1) constant
       * feature); without equilibration SuiteSparseQR's rank tolerance drops
       * such columns and LSQR converges slowly. Zero columns keep scale 1.
       */
      void
      equilibrate_columns(TrilinosWrappers::SparseMatrix &matrix,
                          TrilinosWrappers::MPI::Vector  &scaling)
      {
        // deal.II exposes the Epetra matrix only as const; the matrix is ours
        // and not const, so modifying it through the cast is well defined.
        auto &epetra = const_cast<Epetra_CrsMatrix &>(matrix.trilinos_matrix());
        Epetra_Vector column_sums(epetra.ColMap());
        for (int row = 0; row < epetra.NumMyRows(); ++row)
          {
            int     n_entries;
            double *values;
            int    *columns;
            epetra.ExtractMyRowView(row, n_entries, values, columns);
            for (int k = 0; k < n_entries; ++k)
              column_sums[columns[k]] += values[k] * values[k];
          }
        Epetra_Vector squared_norms(epetra.DomainMap());
        Epetra_Export exporter(epetra.ColMap(), epetra.DomainMap());
        squared_norms.Export(column_sums, exporter, Add);

        Epetra_Vector inverse(epetra.DomainMap());
        for (int i = 0; i < inverse.MyLength(); ++i)
          inverse[i] =
            squared_norms[i] > 0. ? 1. / std::sqrt(squared_norms[i]) : 1.;
        epetra.RightScale(inverse);
        for (int i = 0; i < inverse.MyLength(); ++i)
          scaling.trilinos_vector()[0][i] = inverse[i];
      }
    } // namespace


    template <int dim>
    void
    ELM<dim>::declare_parameters(ParameterHandler &prm)
    {
      prm.enter_subsection("ELM");
      {
        prm.declare_entry("Features per subdomain",
                          "32",
                          Patterns::Integer(0),
                          "K: the number of functions per subdomain, K − 1 "
                          "random features plus a constant. At least 1.");
        prm.declare_entry("Overlap factor",
                          "2.0",
                          Patterns::Double(0.),
                          "δ: each support box is its cell's bounding box "
                          "scaled by δ about its centre. Must be > 1 (boxes "
                          "overlap) and < 3 (the neighbour search covers one "
                          "ring of cells; ≤ 2 on meshes with several levels).");
        prm.declare_entry("Collocation points per direction",
                          "8",
                          Patterns::Integer(1),
                          "n_q: collocation points per direction and cell; "
                          "n_q^dim per cell, n_q^(dim−1) per boundary face.");
        prm.declare_entry("Collocation rule",
                          "gauss",
                          Patterns::Selection("gauss|uniform"),
                          "gauss: Gauss points and weights; uniform: the "
                          "midpoints of n_q equal intervals per direction.");
        prm.declare_entry("Activation",
                          "tanh",
                          Patterns::Selection("tanh|sin"),
                          "The activation σ of the random features.");
        prm.declare_entry("Feature scale",
                          "1.0",
                          Patterns::Double(0.),
                          "Feature weights are uniform in ±scale/√dim, "
                          "biases uniform in ±scale (in subdomain-normalised "
                          "coordinates y ∈ [−1, 1]^dim).");
        prm.declare_entry("Levels",
                          "1",
                          Patterns::Integer(1),
                          "L: the number of levels of the decomposition. "
                          "Level L − 1 is the active mesh, and each coarser "
                          "level consists of the parents of the next; every "
                          "level carries its own partition of unity and K "
                          "features per subdomain, and u is the average of "
                          "the levels' expansions. L > 1 needs a uniformly "
                          "refined mesh with at least L − 1 global "
                          "refinements.");
        prm.declare_entry("Seed",
                          "0",
                          Patterns::Integer(0),
                          "The key of the random features.");
        prm.declare_entry("Boundary weight",
                          "1.0",
                          Patterns::Double(0.),
                          "λ_b: the weight of boundary and condition rows "
                          "relative to the PDE rows. These rows are also "
                          "scaled by the size σ of the PDE operator on their "
                          "cell (σ = Σ|D|/h² + Σ|g|/h + |c|), so that one λ_b "
                          "balances them at every resolution.");
        prm.declare_entry("Hard constraints",
                          "false",
                          Patterns::Bool(),
                          "Use the problem's hard-constraint ansatz "
                          "u = g + d·v instead of boundary rows (only for "
                          "problems that offer one).");
        prm.declare_entry("Time slabs",
                          "1",
                          Patterns::Integer(1),
                          "S: time-dependent problems only. Block time "
                          "marching: the time axis is cut into S slabs solved "
                          "one after another, each slab's space of its own, "
                          "tied to the previous slab by rows u_s = u_{s−1} at "
                          "its start. The cells along t ('Time subdivisions' "
                          "× 2^'Global refinements') must be a multiple of S; "
                          "'Levels' = 1.");
        prm.declare_entry("Checkpoint interval",
                          "0",
                          Patterns::Integer(0),
                          "Time slabs: after every this many slabs (but the "
                          "last), write the coefficients found so far to "
                          "<output directory>/checkpoint.bin (atomically); "
                          "0: never.");
        prm.declare_entry("Resume from",
                          "",
                          Patterns::Anything(),
                          "Time slabs: a directory with a checkpoint.bin of a "
                          "run with the same mesh, ELM entries, 'Time slabs' "
                          "and number of MPI ranks; the slabs it holds are "
                          "taken from it and the run goes on with the next "
                          "(the result equals that of the run without a "
                          "stop).");
      }
      prm.leave_subsection();

      prm.enter_subsection("Linear solver");
      {
        prm.declare_entry("Name",
                          "filtered-direct",
                          Patterns::Selection(
                            "lsqr|qr|normal-direct|filtered-direct|"
                            "filtered-lsqr|schwarz-cg"),
                          "The least-squares solver of ELM (default "
                          "filtered-direct, the accurate one that scales). "
                          "lsqr: Trilinos "
                          "Belos LSQR, distributed. qr: SuiteSparseQR on rank "
                          "0 (the rows are gathered), the accuracy reference "
                          "for moderate sizes. normal-direct: MᵀM solved by "
                          "MUMPS (squares the condition number; only for "
                          "well-conditioned M). filtered-direct: local "
                          "feature filtering (pivoted QR of each subdomain's "
                          "column block, small pivots dropped, blocks "
                          "orthonormalised) and MUMPS on the filtered normal "
                          "equations. filtered-lsqr: LSQR on the filtered "
                          "matrix. schwarz-cg: CG on the normal equations "
                          "preconditioned by the sum of the subdomains' local "
                          "pseudo-inverses (additive Schwarz), i.e. CG on the "
                          "filtered normal equations.");
        prm.declare_entry("Compute condition number",
                          "false",
                          Patterns::Bool(),
                          "Compute the exact condition number of the matrix "
                          "the solver works on (the filtered one for filtered "
                          "solvers) by a dense SVD on rank 0, reported as "
                          "solver.condition_number in metrics.json. Small "
                          "problems only.");
        prm.declare_entry("Filter tolerance",
                          "1e-8",
                          Patterns::Double(0., 1.),
                          "filtered-direct: a subdomain's columns whose QR "
                          "pivot is below this times its largest pivot are "
                          "dropped.");
        prm.declare_entry("Tolerance",
                          "1e-10",
                          Patterns::Double(0.),
                          "The stopping tolerance of iterative solvers.");
        prm.declare_entry("Max iterations",
                          "10000",
                          Patterns::Integer(1),
                          "The most iterations before an iterative solver "
                          "gives up (a solve that stops there did not "
                          "converge).");
      }
      prm.leave_subsection();
    }


    template <int dim>
    void
    ELM<dim>::parse_parameters(ParameterHandler &prm)
    {
      nonlinear.parse_parameters(prm);
      prm.enter_subsection("ELM");
      {
        space_settings.n_features = prm.get_integer("Features per subdomain");
        space_settings.overlap    = prm.get_double("Overlap factor");
        space_settings.activation =
          prm.get("Activation") == "tanh" ? Activation::tanh : Activation::sin;
        space_settings.feature_scale = prm.get_double("Feature scale");
        space_settings.seed          = prm.get_integer("Seed");
        space_settings.n_levels      = prm.get_integer("Levels");
        n_points_per_direction =
          prm.get_integer("Collocation points per direction");
        collocation_rule    = prm.get("Collocation rule");
        boundary_weight     = prm.get_double("Boundary weight");
        hard_constraints    = prm.get_bool("Hard constraints");
        time_slabs          = prm.get_integer("Time slabs");
        checkpoint_interval = prm.get_integer("Checkpoint interval");
        resume_from         = prm.get("Resume from");
      }
      prm.leave_subsection();
      prm.enter_subsection("Linear solver");
      {
        solver_settings.name             = prm.get("Name");
        solver_settings.tolerance        = prm.get_double("Tolerance");
        solver_settings.max_iterations   = prm.get_integer("Max iterations");
        solver_settings.filter_tolerance = prm.get_double("Filter tolerance");
        solver_settings.compute_condition_number =
          prm.get_bool("Compute condition number");
      }
      prm.leave_subsection();
      if (space_settings.n_features < 1)
        throw std::invalid_argument(
          "subsection ELM, entry 'Features per subdomain' must be at least 1");
    }


    template <int dim>
    void
    ELM<dim>::assemble_system(
      const Problems::Interface<dim>         &problem,
      const parallel::TriangulationBase<dim> &triangulation,
      const TrilinosWrappers::MPI::Vector    *current,
      const TrilinosWrappers::MPI::Vector    *damping,
      const bool                              residual_only)
    {
      if (problem.n_fields() > 1)
        {
          assemble_field_system(problem,
                                triangulation,
                                current,
                                damping,
                                residual_only);
          return;
        }
      const MPI_Comm     comm = triangulation.get_communicator();
      const unsigned int K    = space_settings.n_features;

      Collocation::Geometry<dim> geometry(collocation_rule,
                                          n_points_per_direction,
                                          *mapping);
      const auto                &cell_rule     = geometry.cell_rule;
      auto                      &cell_geometry = geometry.cell;
      auto                      &face_geometry = geometry.face;

      const auto condition_points =
        Collocation::owned_condition_points(problem, triangulation, *mapping);

      // Count the rows of this rank: cell points, boundary points × conditions,
      // condition points × conditions.
      types::global_dof_index n_local_rows = 0;
      for (const auto &cell : triangulation.active_cell_iterators())
        if (cell->is_locally_owned() && in_selection(cell))
          {
            n_local_rows += cell_rule.size();
            n_local_rows += n_slab_start_rows(cell, geometry.face_rule.size());
            if (!hard_constraints)
              for (const unsigned int f : cell->face_indices())
                if (cell->face(f)->at_boundary())
                  {
                    face_geometry.reinit(cell, f);
                    for (const Point<dim> &x :
                         face_geometry.get_quadrature_points())
                      n_local_rows += problem.n_boundary_conditions(
                        cell->face(f)->boundary_id(),
                        x);
                  }
          }
      if (!hard_constraints)
        for (const auto &[cell, p] : condition_points)
          n_local_rows +=
            problem.n_boundary_conditions(numbers::internal_face_boundary_id,
                                          p);
      const types::global_dof_index n_point_rows = n_local_rows;
      types::global_dof_index       first_row    = 0;
      const IndexSet                rows =
        start_rows(comm, damping != nullptr, n_local_rows, first_row);

      const IndexSet &columns = owned_unknowns;

      unsigned int max_slots = 1;
      for (const auto &cell : triangulation.active_cell_iterators())
        if (cell->is_locally_owned() && in_selection(cell))
          max_slots =
            std::max<unsigned int>(max_slots,
                                   space.covering_subdomains(cell).size());
      // A matrix with a dynamic sparsity pattern of at most max_slots · K
      // entries per row: the entries are known only once they are computed.
      if (!residual_only)
        matrix =
          std::make_unique<TrilinosWrappers::SparseMatrix>(rows,
                                                           columns,
                                                           comm,
                                                           max_slots * K);
      rhs.reinit(rows, comm);

      // Linearised once where nothing varies: a linear operator without x.
      const bool constant =
        current == nullptr && !problem.has_variable_coefficients();
      const Problems::LinearizedResidual<dim> constant_operator =
        problem.linearize_operator(Point<dim>(), Jet<dim>());

      FiniteBasisValues<dim>               values(space);
      std::vector<types::global_dof_index> row_columns;
      std::vector<double>                  row_values;
      std::vector<unsigned int>            slot_order;
      std::vector<Jet<dim>>                current_jets;
      types::global_dof_index              row = first_row;

      // σ, the size of the PDE operator on a cell
      // (Collocation::operator_scale).
      const auto operator_scale = [&](const auto &cell) {
        return Collocation::operator_scale(problem,
                                           cell,
                                           constant ? &constant_operator :
                                                      nullptr);
      };

      // The size σ_b of a natural condition's row (Φ·n ~ u/h): its rows are
      // weighted by σ/σ_b, so that they weigh like Dirichlet rows (σ_b = 1).
      // Conditions of the problem's own (an ODE's u'(0)) keep the weight σ.
      const auto natural_scale =
        [&](const auto                              &cell,
            const types::boundary_id                 id,
            const Problems::LinearizedResidual<dim> &op) {
          if (!problem.conditions_by_boundary_id() ||
              problem.boundary_conditions().kind(id, 0) ==
                Problems::BoundaryKind::dirichlet)
            return 1.;
          return Collocation::operator_scale(problem, cell, &op);
        };

      // One row: weight · (∂r/∂J : J[C(ψφ)]) for the active functions at q.
      const auto add_row = [&](const unsigned int                       q,
                               const Problems::LinearizedResidual<dim> &op,
                               const Jet<dim>                          &d,
                               const double                             weight,
                               const double                             value) {
        if (residual_only)
          {
            rhs(row) = weight * value;
            ++row;
            return;
          }
        row_columns.clear();
        row_values.clear();
        const auto &indices = values.get_dof_indices();
        sort_slots_by_dof(values, K, slot_order);
        for (const unsigned int s : slot_order)
          if (values.slot_is_active(s, q))
            for (unsigned int k = 0; k < K; ++k)
              {
                const Jet<dim> basis = product(values.partition_of_unity(s, q),
                                               values.feature_jet(s, k, q));
                row_columns.push_back(unknown(indices[s * K + k]));
                row_values.push_back(
                  weight *
                  apply(op, hard_constraints ? product(d, basis) : basis));
              }
        matrix->set(row,
                    row_columns.size(),
                    row_columns.data(),
                    row_values.data());
        rhs(row) = weight * value;
        ++row;
      };

      // The rows u_s = u_{s−1} at the start of slab s > 0: the previous
      // slab's solution (fixed) as Dirichlet data, weighted like Dirichlet
      // rows; also with hard constraints, whose ansatz ties only t = 0.
      FiniteBasisValues<dim> previous(space);
      std::vector<Jet<dim>>  previous_jets;
      // Second order in time: also u_t,s = u_t,s−1 (as the initial u_t).
      Problems::LinearizedResidual<dim> value_operator, rate_operator;
      value_operator.d_value            = 1.;
      rate_operator.d_gradient[dim - 1] = 1.;
      const bool tie_rates              = problem.time_derivative_order() == 2;
      const auto add_slab_start_rows    = [&](const auto  &cell,
                                           const double sigma) {
        const unsigned int face = 2 * (dim - 1);
        face_geometry.reinit(cell, face);
        values.reinit(cell,
                      face_geometry.get_quadrature_points(),
                      face_geometry.get_JxW_values());
        previous.reinit(cell,
                        face_geometry.get_quadrature_points(),
                        face_geometry.get_JxW_values(),
                        /*previous_slab=*/true);
        evaluate_solution(previous,
                          coefficients,
                          problem,
                          hard_constraints,
                          previous_jets);
        if (current != nullptr)
          evaluate_solution(values,
                            *current,
                            problem,
                            hard_constraints,
                            current_jets);
        for (unsigned int q = 0; q < values.n_points(); ++q)
          {
            const auto [g, d] =
              ansatz(problem, hard_constraints, values.point(q));
            const Jet<dim> &u = current != nullptr ? current_jets[q] : g;
            const double    weight =
              sigma * std::sqrt(boundary_weight * values.JxW(q));
            add_row(q,
                    value_operator,
                    d,
                    weight,
                    previous_jets[q].value - u.value);
            if (tie_rates)
              add_row(q,
                      rate_operator,
                      d,
                      weight,
                      previous_jets[q].gradient[dim - 1] - u.gradient[dim - 1]);
          }
      };

      for (const auto &cell : triangulation.active_cell_iterators())
        if (cell->is_locally_owned() && in_selection(cell))
          {
            cell_geometry.reinit(cell);
            values.reinit(cell,
                          cell_geometry.get_quadrature_points(),
                          cell_geometry.get_JxW_values());
            if (current != nullptr)
              evaluate_solution(values,
                                *current,
                                problem,
                                hard_constraints,
                                current_jets);
            for (unsigned int q = 0; q < values.n_points(); ++q)
              {
                const Point<dim> &x = values.point(q);
                const auto [g, d]   = ansatz(problem, hard_constraints, x);
                if (current != nullptr)
                  {
                    const auto op = problem.linearize(x, current_jets[q]);
                    add_row(q, op, d, std::sqrt(values.JxW(q)), -op.residual);
                    continue;
                  }
                const auto op = constant ?
                                  constant_operator :
                                  problem.linearize_operator(x, Jet<dim>());
                add_row(q,
                        op,
                        d,
                        std::sqrt(values.JxW(q)),
                        -problem.residual(x, g));
              }

            // σ only where condition rows follow (not with hard constraints
            // away from a slab's start).
            const bool slab_start = n_slab_start_rows(cell, 1) > 0;
            if (hard_constraints && !slab_start)
              continue;
            const double sigma = operator_scale(cell);
            if (slab_start)
              add_slab_start_rows(cell, sigma);
            if (hard_constraints)
              continue;
            for (const unsigned int f : cell->face_indices())
              if (cell->face(f)->at_boundary())
                {
                  face_geometry.reinit(cell, f);
                  values.reinit(cell,
                                face_geometry.get_quadrature_points(),
                                face_geometry.get_JxW_values());
                  if (current != nullptr)
                    evaluate_solution(values,
                                      *current,
                                      problem,
                                      false,
                                      current_jets);
                  const types::boundary_id id = cell->face(f)->boundary_id();
                  for (unsigned int q = 0; q < values.n_points(); ++q)
                    {
                      const Point<dim> &x = values.point(q);
                      for (unsigned int m = 0;
                           m < problem.n_boundary_conditions(id, x);
                           ++m)
                        {
                          const auto op = problem.linearize_boundary_condition(
                            m,
                            id,
                            x,
                            face_geometry.normal_vector(q),
                            current != nullptr ? current_jets[q] : Jet<dim>());
                          add_row(q,
                                  op,
                                  Jet<dim>(),
                                  sigma / natural_scale(cell, id, op) *
                                    std::sqrt(boundary_weight * values.JxW(q)),
                                  -op.residual);
                        }
                    }
                }
          }

      if (!hard_constraints)
        for (const auto &[cell, p] : condition_points)
          {
            values.reinit(cell, {p}, {1.});
            if (current != nullptr)
              evaluate_solution(values, *current, problem, false, current_jets);
            for (unsigned int m = 0; m < problem.n_boundary_conditions(
                                           numbers::internal_face_boundary_id,
                                           p);
                 ++m)
              {
                const auto op = problem.linearize_boundary_condition(
                  m,
                  numbers::internal_face_boundary_id,
                  p,
                  Tensor<1, dim>(),
                  current != nullptr ? current_jets[0] : Jet<dim>());
                add_row(0,
                        op,
                        Jet<dim>(),
                        operator_scale(cell) * std::sqrt(boundary_weight),
                        -op.residual);
              }
          }

      AssertThrow(row == first_row + n_point_rows, ExcInternalError());
      finish_rows(row, first_row + n_local_rows, damping, residual_only);
    }


    template <int dim>
    IndexSet
    ELM<dim>::start_rows(const MPI_Comm           comm,
                         const bool               damped,
                         types::global_dof_index &n_local_rows,
                         types::global_dof_index &first_row)
    {
      // The damping rows, one per owned column, come after the point rows.
      if (damped)
        n_local_rows += owned_unknowns.n_elements();
      first_row = 0;
      MPI_Exscan(&n_local_rows,
                 &first_row,
                 1,
                 Utilities::MPI::mpi_type_id_for_type<types::global_dof_index>,
                 MPI_SUM,
                 comm);
      if (Utilities::MPI::this_mpi_process(comm) == 0)
        first_row = 0;
      n_global_rows = Utilities::MPI::sum(n_local_rows, comm);
      n_point_rows  = n_global_rows - (damped ? owned_unknowns.size() : 0);
      IndexSet rows(n_global_rows);
      rows.add_range(first_row, first_row + n_local_rows);
      rows.compress();
      return rows;
    }


    template <int dim>
    void
    ELM<dim>::finish_rows(types::global_dof_index              row,
                          const types::global_dof_index        end,
                          const TrilinosWrappers::MPI::Vector *damping,
                          const bool                           residual_only)
    {
      // The Levenberg–Marquardt rows √μ D_j δ_j = 0, one per owned column.
      if (damping != nullptr)
        for (const types::global_dof_index j : owned_unknowns)
          {
            const double value = (*damping)(j);
            matrix->set(row, 1, &j, &value);
            rhs(row) = 0.;
            ++row;
          }
      AssertThrow(row == end, ExcInternalError());
      if (!residual_only)
        matrix->compress(VectorOperation::insert);
      rhs.compress(VectorOperation::insert);
    }


    template <int dim>
    void
    ELM<dim>::assemble_field_system(
      const Problems::Interface<dim>         &problem,
      const parallel::TriangulationBase<dim> &triangulation,
      const TrilinosWrappers::MPI::Vector    *current,
      const TrilinosWrappers::MPI::Vector    *damping,
      const bool                              residual_only)
    {
      // The rows of a linear system of n fields: n equations at every
      // collocation point (weight √JxW), and at every boundary point one
      // Dirichlet row per field with data, weighted like a scalar problem's
      // by σ √(λ_b face JxW), σ the largest size of an equation's operator on
      // the cell.
      const MPI_Comm     comm = triangulation.get_communicator();
      const unsigned int K    = space_settings.n_features;
      const unsigned int n    = problem.n_fields();
      if (!problem.interior_condition_points().empty() ||
          !problem.conditions_by_boundary_id())
        throw std::invalid_argument(
          "Method = elm: a system with conditions of its own (not by "
          "boundary id) is not implemented yet");
      std::vector<unsigned int> conditioned_fields;
      for (unsigned int f = 0; f < n; ++f)
        if (problem.field_has_boundary_data(f))
          conditioned_fields.push_back(f);

      Collocation::Geometry<dim> geometry(collocation_rule,
                                          n_points_per_direction,
                                          *mapping);
      const auto                &cell_rule     = geometry.cell_rule;
      auto                      &cell_geometry = geometry.cell;
      auto                      &face_geometry = geometry.face;

      types::global_dof_index n_local_rows = 0;
      unsigned int            max_slots    = 1;
      for (const auto &cell : triangulation.active_cell_iterators())
        if (cell->is_locally_owned())
          {
            n_local_rows += n * cell_rule.size();
            for (const unsigned int f : cell->face_indices())
              if (cell->face(f)->at_boundary() &&
                  !problem.boundary_conditions().is_free(
                    cell->face(f)->boundary_id()))
                n_local_rows +=
                  conditioned_fields.size() * geometry.face_rule.size();
            max_slots =
              std::max<unsigned int>(max_slots,
                                     space.covering_subdomains(cell).size());
          }
      const types::global_dof_index n_point_rows = n_local_rows;
      types::global_dof_index       first_row    = 0;
      const IndexSet                rows =
        start_rows(comm, damping != nullptr, n_local_rows, first_row);
      if (!residual_only)
        matrix =
          std::make_unique<TrilinosWrappers::SparseMatrix>(rows,
                                                           owned_unknowns,
                                                           comm,
                                                           max_slots * K * n);
      rhs.reinit(rows, comm);

      // Linearised once where nothing varies: a linear operator without x.
      const bool constant =
        current == nullptr && !problem.has_variable_coefficients();
      Problems::FieldLinearization<dim> op, constant_op, boundary_op;
      const std::vector<Jet<dim>>       zero(n);
      problem.linearize_fields(Point<dim>(), zero, constant_op);

      FiniteBasisValues<dim>               values(space);
      std::vector<types::global_dof_index> row_columns;
      std::vector<double>                  row_values;
      std::vector<unsigned int>            slot_order;
      std::vector<double>                  forcing;
      std::vector<bool>                    couples(n);
      std::vector<std::vector<Jet<dim>>>   field_jets(n);
      std::vector<Jet<dim>>                point_jets(n);
      types::global_dof_index              row = first_row;

      // The jets of every field at the points of `values`, at the current
      // coefficients (zero for a linear problem).
      const auto evaluate_fields = [&]() {
        if (current != nullptr)
          for (unsigned int f = 0; f < n; ++f)
            evaluate_solution(values,
                              *current,
                              problem,
                              false,
                              field_jets[f],
                              f);
      };
      const auto jets_at =
        [&](const unsigned int q) -> const std::vector<Jet<dim>> & {
        if (current == nullptr)
          return zero;
        for (unsigned int f = 0; f < n; ++f)
          point_jets[f] = field_jets[f][q];
        return point_jets;
      };

      // One row of equation (or condition) e of @p lin: weight ·
      // Σ_f ∂N_e/∂J[u_f] : J[ψφ] in field f's columns. A PDE row has entries
      // in every field's columns (zeros included: filtered-direct on several
      // ranks needs every column of a subdomain block present in its PDE
      // rows, and fails in MUMPS otherwise); a condition row (@p condition)
      // only in the fields it couples to.
      const auto add_row = [&](const Problems::FieldLinearization<dim> &lin,
                               const unsigned int                       q,
                               const unsigned int                       e,
                               const bool   condition,
                               const double weight,
                               const double value) {
        if (residual_only)
          {
            rhs(row) = weight * value;
            ++row;
            return;
          }
        for (unsigned int f = 0; f < n; ++f)
          {
            const auto &l = lin.derivative[e * n + f];
            couples[f]    = !condition || l.d_value != 0. ||
                         l.d_gradient.norm() != 0. || l.d_hessian.norm() != 0.;
          }
        row_columns.clear();
        row_values.clear();
        const auto &indices = values.get_dof_indices();
        sort_slots_by_dof(values, K, slot_order);
        for (const unsigned int s : slot_order)
          if (values.slot_is_active(s, q))
            for (unsigned int k = 0; k < K; ++k)
              {
                const Jet<dim> basis = product(values.partition_of_unity(s, q),
                                               values.feature_jet(s, k, q));
                for (unsigned int f = 0; f < n; ++f)
                  if (couples[f])
                    {
                      row_columns.push_back(
                        unknown(n * indices[s * K + k] + f));
                      row_values.push_back(
                        weight * apply(lin.derivative[e * n + f], basis));
                    }
              }
        matrix->set(row,
                    row_columns.size(),
                    row_columns.data(),
                    row_values.data());
        rhs(row) = weight * value;
        ++row;
      };

      for (const auto &cell : triangulation.active_cell_iterators())
        if (cell->is_locally_owned())
          {
            cell_geometry.reinit(cell);
            values.reinit(cell,
                          cell_geometry.get_quadrature_points(),
                          cell_geometry.get_JxW_values());
            evaluate_fields();
            for (unsigned int q = 0; q < values.n_points(); ++q)
              {
                const Point<dim> &x = values.point(q);
                if (constant)
                  op = constant_op;
                else
                  problem.linearize_fields(x, jets_at(q), op);
                problem.forcing_fields(x, forcing);
                for (unsigned int e = 0; e < n; ++e)
                  add_row(op,
                          q,
                          e,
                          false,
                          std::sqrt(values.JxW(q)),
                          forcing[e] - op.residual[e]);
              }

            // σ: the largest size of an equation's operator on the cell.
            double h[dim];
            Collocation::half_widths(cell, h);
            if (!constant)
              problem.linearize_fields(cell->center(), zero, op);
            double sigma = 0;
            for (unsigned int e = 0; e < n; ++e)
              sigma = std::max(
                sigma,
                Collocation::row_size(constant ? constant_op : op, e, h));
            if (!(sigma > 0.))
              sigma = 1.;

            // A condition row per field with data: Dirichlet rows weigh σ,
            // natural ones (Φ·n ~ u/h) σ/σ_b with σ_b their own size.
            for (const unsigned int face : cell->face_indices())
              if (cell->face(face)->at_boundary() &&
                  !problem.boundary_conditions().is_free(
                    cell->face(face)->boundary_id()))
                {
                  const types::boundary_id id = cell->face(face)->boundary_id();
                  face_geometry.reinit(cell, face);
                  values.reinit(cell,
                                face_geometry.get_quadrature_points(),
                                face_geometry.get_JxW_values());
                  evaluate_fields();
                  for (unsigned int q = 0; q < values.n_points(); ++q)
                    {
                      problem.linearize_boundary_fields(
                        id,
                        values.point(q),
                        face_geometry.normal_vector(q),
                        jets_at(q),
                        boundary_op);
                      for (const unsigned int f : conditioned_fields)
                        {
                          const double size =
                            problem.boundary_conditions().kind(id, f) ==
                                Problems::BoundaryKind::dirichlet ?
                              1. :
                              Collocation::row_size(boundary_op, f, h);
                          add_row(boundary_op,
                                  q,
                                  f,
                                  true,
                                  sigma / (size > 0. ? size : 1.) *
                                    std::sqrt(boundary_weight * values.JxW(q)),
                                  -boundary_op.residual[f]);
                        }
                    }
                }
          }
      AssertThrow(row == first_row + n_point_rows, ExcInternalError());
      finish_rows(row, first_row + n_local_rows, damping, residual_only);
    }


    template <int dim>
    void
    ELM<dim>::solve(const Problems::Interface<dim>         &problem,
                    const parallel::TriangulationBase<dim> &triangulation,
                    Timings                                &timings)
    {
      const MPI_Comm     comm     = triangulation.get_communicator();
      const unsigned int n_fields = problem.n_fields();
      problem_in_use              = &problem;
      check_hard_constraints(problem,
                             hard_constraints,
                             "subsection ELM, entry 'Hard constraints'");
      // Curved cells: a higher-order mapping for the points, and subdomain
      // boxes that hold the mapped cells.
      const unsigned int degree = Collocation::mapping_degree(
        static_cast<const Triangulation<dim> &>(triangulation));
      mapping                = std::make_unique<MappingQ<dim>>(degree);
      space_settings.mapping = degree > 1 ? mapping.get() : nullptr;

      check_time_dependence(problem, "elm", "ELM", time_slabs);
      if (time_slabs == 1 && (!resume_from.empty() || checkpoint_interval > 0))
        throw std::invalid_argument(
          "subsection ELM, entries 'Checkpoint interval' and 'Resume from' "
          "need 'Time slabs' > 1 (a single solve has nothing to resume)");
      space_settings.time_slabs = time_slabs;
      space_settings.end_time =
        problem.is_time_dependent() ? problem.end_time() : 0.;

      Timer timer(comm, /*sync_lap_times=*/true);
      space.reinit(triangulation, space_settings);
      // K features per field per subdomain: field f's coefficient of the
      // space's basis function j is column n j + f, so that a subdomain's
      // n K columns stay contiguous (one block for the filtered solvers).
      owned_columns    = field_columns(space.locally_owned_dofs(), n_fields);
      relevant_columns = field_columns(space.locally_relevant_dofs(), n_fields);
      selected_slab    = numbers::invalid_unsigned_int;
      owned_unknowns   = owned_columns;
      timer.stop();
      timings.setup += timer.last_wall_time();

      if (time_slabs > 1)
        {
          solve_time_slabs(problem, triangulation, timings);
          return;
        }
      coefficients.reinit(owned_columns, relevant_columns, comm);
      if (!problem.is_linear())
        solve_gauss_newton(problem, triangulation, timings);
      else
        {
          // Without slabs the unknowns are the columns. (A named copy: a
          // move assignment would drop the ghost entries.)
          const TrilinosWrappers::MPI::Vector solution =
            solve_linear(problem, triangulation, timings);
          coefficients = solution;
        }
    }


    template <int dim>
    TrilinosWrappers::MPI::Vector
    ELM<dim>::solve_linear(
      const Problems::Interface<dim>         &problem,
      const parallel::TriangulationBase<dim> &triangulation,
      Timings                                &timings)
    {
      const MPI_Comm comm = triangulation.get_communicator();
      Timer          timer(comm, /*sync_lap_times=*/true);
      // (assemble_system() takes systems to assemble_field_system().)
      assemble_system(problem, triangulation);
      timer.stop();
      timings.assembly += timer.last_wall_time();
      check_sampling(comm);
      timer.restart();
      TrilinosWrappers::MPI::Vector solution(owned_unknowns, comm);
      least_squares_step(comm, solution);
      timer.stop();
      timings.solve += timer.last_wall_time();
      return solution;
    }


    template <int dim>
    TrilinosWrappers::MPI::Vector
    ELM<dim>::least_squares_step(const MPI_Comm                 comm,
                                 TrilinosWrappers::MPI::Vector &step)
    {
      const IndexSet               &owned = owned_unknowns;
      TrilinosWrappers::MPI::Vector column_scaling(owned, comm);
      equilibrate_columns(*matrix, column_scaling);
      // The column blocks of the owned subdomains (of the selected slab),
      // for filtered solvers.
      std::vector<std::vector<types::global_dof_index>> column_blocks;
      const unsigned int n = problem_in_use->n_fields();
      for (const unsigned int j : space.owned_subdomains())
        if (selected_slab == numbers::invalid_unsigned_int ||
            space.subdomain(j).slab == selected_slab)
          {
            column_blocks.emplace_back();
            for (const types::global_dof_index i :
                 space.subdomain(j).dof_indices)
              for (unsigned int f = 0; f < n; ++f)
                column_blocks.back().push_back(unknown(n * i + f));
          }
      solver_settings.column_blocks = &column_blocks;
      report =
        Solvers::solve_least_squares(*matrix, rhs, step, solver_settings);
      solver_settings.column_blocks = nullptr;
      // The solve was for b = D⁻¹a with M D; recover a = D b.
      step.scale(column_scaling);
      TrilinosWrappers::MPI::Vector norms(owned, comm);
      for (const types::global_dof_index j : owned)
        norms(j) = 1. / column_scaling(j);
      norms.compress(VectorOperation::insert);
      return norms;
    }


    template <int dim>
    void
    ELM<dim>::solve_gauss_newton(
      const Problems::Interface<dim>         &problem,
      const parallel::TriangulationBase<dim> &triangulation,
      Timings                                &timings)
    {
      const MPI_Comm  comm  = triangulation.get_communicator();
      const IndexSet &owned = owned_unknowns;
      Timer           timer(comm, /*sync_lap_times=*/true);
      // The owned copy of the coefficients (norms need one without ghosts);
      // with slabs it holds the previous slabs' too.
      TrilinosWrappers::MPI::Vector current(owned_columns, comm);
      current = coefficients;

      // ‖r(u)‖ of the weighted collocation rows at the coefficients @p a.
      const auto residual_norm = [&](const TrilinosWrappers::MPI::Vector &a) {
        timer.restart();
        assemble_system(problem, triangulation, &a, nullptr, true);
        timer.stop();
        timings.assembly += timer.last_wall_time();
        return rhs.l2_norm();
      };

      Solvers::NonlinearReport gauss_newton;
      double                   norm = residual_norm(coefficients);
      check_sampling(comm);
      gauss_newton.start(norm);

      // Levenberg–Marquardt: the rows √μ D δ = 0 with Marquardt's scaling
      // D_j = ‖M_j‖ (the column norms of the first, undamped Jacobian), so
      // that after equilibration the damping is the same for every column.
      // μ = 0 is plain Gauss–Newton; a step that does not lower ‖r‖ is
      // rejected and retried with μ raised, an accepted one lowers μ.
      double                        mu = 0.;
      TrilinosWrappers::MPI::Vector scaling(owned, comm), damping(owned, comm);
      bool                          have_scaling    = false;
      unsigned int                  rejections      = 0;
      unsigned int                  small_decreases = 0;
      SolverReport                  last_linear;
      double flops = std::numeric_limits<double>::quiet_NaN();
      while (gauss_newton.proceed(norm, nonlinear))
        {
          if (mu > 0.)
            {
              damping = scaling;
              damping *= std::sqrt(mu);
            }
          timer.restart();
          assemble_system(problem,
                          triangulation,
                          &coefficients,
                          mu > 0. ? &damping : nullptr);
          timer.stop();
          timings.assembly += timer.last_wall_time();

          timer.restart();
          TrilinosWrappers::MPI::Vector       step(owned, comm);
          const TrilinosWrappers::MPI::Vector norms =
            least_squares_step(comm, step);
          timer.stop();
          timings.solve += timer.last_wall_time();
          last_linear = report;
          if (std::isfinite(report.flops))
            flops = (std::isfinite(flops) ? flops : 0.) + report.flops;
          if (!have_scaling)
            {
              scaling      = norms;
              have_scaling = true;
            }
          if (!report.converged)
            {
              gauss_newton.failure =
                "the least-squares solver '" + report.name +
                "' did not converge on a Gauss–Newton step";
              break;
            }
          // The collocation residual of a least-squares problem does not
          // vanish at its solution, so the iteration has converged when its
          // step does: ‖δ‖ ≤ tolerance · ‖a‖.
          // Nor does it once the linear model predicts no decrease: with
          // ρ = ‖r + Jδ‖/‖r‖ of a step with little damping (μ ≤ 1e-2 against
          // the unit columns), 1 − ρ² ≤ tolerance means a stationary point of
          // ‖r‖² (to that tolerance). Filtered solvers need this: their steps
          // wander in the directions they drop and do not shrink.
          const double step_norm = step.l2_norm();
          if (mu <= 1e-2 &&
              (step_norm <= nonlinear.tolerance *
                              std::max(selected_norm(current, comm), 1e-300) ||
               1. - report.residual * report.residual <= nonlinear.tolerance))
            break;

          TrilinosWrappers::MPI::Vector trial(current);
          add_step(trial, step);
          TrilinosWrappers::MPI::Vector trial_ghosted(owned_columns,
                                                      relevant_columns,
                                                      comm);
          trial_ghosted           = trial;
          const double trial_norm = residual_norm(trial_ghosted);
          if (trial_norm < norm)
            {
              // The least-squares floor: three accepted steps in a row with
              // little damping that each lower ‖r‖ by less than 1%. Gauss–
              // Newton converges only linearly where the residual does not
              // vanish (slowly on a steep front, e.g. Burgers), and the
              // floor is what the discretisation allows.
              small_decreases = mu <= 1e-2 && norm - trial_norm < 1e-2 * norm ?
                                  small_decreases + 1 :
                                  0;
              coefficients    = trial_ghosted;
              current         = trial;
              norm            = trial_norm;
              mu              = mu / 3. < 1e-12 ? 0. : mu / 3.;
              rejections      = 0;
              ++gauss_newton.iterations;
              gauss_newton.residuals.push_back(norm);
              if (small_decreases == 3)
                break;
            }
          else
            {
              mu = mu == 0. ? 1e-4 : 4. * mu;
              if (++rejections > nonlinear.max_line_search_steps)
                {
                  gauss_newton.failure =
                    "no step lowered the residual with the damping raised "
                    "'Max line search steps' = " +
                    std::to_string(nonlinear.max_line_search_steps) +
                    " times (the iteration stalled)";
                  break;
                }
            }
        }

      report       = nonlinear_solver_report(last_linear,
                                       "gauss-newton",
                                       solver_settings.name,
                                       gauss_newton);
      report.flops = flops;
    }


    template <int dim>
    void
    ELM<dim>::solve_time_slabs(
      const Problems::Interface<dim>         &problem,
      const parallel::TriangulationBase<dim> &triangulation,
      Timings                                &timings)
    {
      const MPI_Comm comm = triangulation.get_communicator();
      const bool     root = Utilities::MPI::this_mpi_process(comm) == 0;
      Timer          timer(comm, /*sync_lap_times=*/true);
      coefficients.reinit(owned_columns, relevant_columns, comm);
      TrilinosWrappers::MPI::Vector solution(owned_columns, comm);

      // The slabs' reports: converged only if every slab's solve converged;
      // iterations, flops, rows and nonzeros summed, the worst residual.
      SolverReport             total;
      Solvers::NonlinearReport nonlinear_total;
      std::vector<std::string> sampling;
      slab_rows               = 0;
      slab_nonzeros           = 0;
      total.converged         = true;
      total.residual          = 0.;
      unsigned int first_slab = 0;
      if (!resume_from.empty())
        {
          first_slab   = read_slab_checkpoint(solution, comm);
          coefficients = solution;
          if (root)
            std::cout << "fbpinn: ELM resumes after time slab " << first_slab
                      << '/' << time_slabs << " from '" << resume_from << "'"
                      << std::endl;
        }
      for (unsigned int s = first_slab; s < time_slabs; ++s)
        {
          timer.restart();
          select_slab(s, comm);
          timer.stop();
          timings.setup += timer.last_wall_time();

          if (problem.is_linear())
            {
              add_step(solution, solve_linear(problem, triangulation, timings));
              coefficients = solution;
            }
          else
            {
              solve_gauss_newton(problem, triangulation, timings);
              solution               = coefficients;
              nonlinear_total.active = true;
              nonlinear_total.iterations += report.nonlinear.iterations;
              nonlinear_total.residuals.insert(
                nonlinear_total.residuals.end(),
                report.nonlinear.residuals.begin(),
                report.nonlinear.residuals.end());
              if (!report.nonlinear.failure.empty() &&
                  nonlinear_total.failure.empty())
                nonlinear_total.failure = "time slab " + std::to_string(s) +
                                          ": " + report.nonlinear.failure;
            }
          if (!sampling_warning.empty())
            sampling.push_back(sampling_warning);
          slab_rows += n_point_rows;
          slab_nonzeros += matrix ? matrix->n_nonzero_elements() : 0;

          total.name = report.name;
          total.iterations += report.iterations;
          total.converged = total.converged && report.converged;
          total.residual  = std::max(total.residual, report.residual);
          total.condition_estimate =
            std::isnan(total.condition_estimate) ?
              report.condition_estimate :
              std::max(total.condition_estimate, report.condition_estimate);
          total.filtered_columns += report.filtered_columns;
          if (std::isfinite(report.flops))
            total.flops =
              (std::isfinite(total.flops) ? total.flops : 0.) + report.flops;
          if (total.warning.empty() && !report.warning.empty())
            total.warning =
              "time slab " + std::to_string(s) + ": " + report.warning;
          if (root)
            std::cout << "fbpinn: ELM time slab " << s + 1 << '/' << time_slabs
                      << ", t in [" << space.slab_start(s) << ", "
                      << space.slab_start(s + 1)
                      << "]: " << owned_unknowns.size() << " unknowns, "
                      << n_point_rows << " rows, " << report.name << ' '
                      << report.iterations << " iterations, residual "
                      << report.residual << std::endl;
          if (!report.converged)
            break;
          if (checkpoint_interval > 0 && (s + 1) % checkpoint_interval == 0 &&
              s + 1 < time_slabs)
            write_slab_checkpoint(s + 1, solution, comm);
        }
      if (nonlinear_total.active)
        {
          nonlinear_total.converged = nonlinear_total.failure.empty();
          total.nonlinear           = nonlinear_total;
        }
      sampling_warning = sampling.empty() ? "" : sampling.front();
      report           = total;
      selected_slab    = numbers::invalid_unsigned_int;
      owned_unknowns   = owned_columns;
    }


    namespace
    {
      constexpr char          slab_magic[]        = "fbpinn-elm-slabs";
      constexpr std::size_t   slab_magic_size     = sizeof slab_magic - 1;
      constexpr std::uint32_t slab_format_version = 1;
      // magic, version, dim, K, fields, S, slabs done, signature, columns
      constexpr std::size_t slab_header_size = slab_magic_size + 6 * 4 + 2 * 8;

      using BinaryFile::checksum;
      using BinaryFile::get;
      using BinaryFile::mix;
      using BinaryFile::put;
    } // namespace


    template <int dim>
    std::uint64_t
    ELM<dim>::layout_signature(const MPI_Comm comm) const
    {
      // A sum over the owned subdomains, so independent of their order; each
      // term hashes the cell, its first DoF (the numbering), its box and
      // first feature.
      std::uint64_t sum = 0;
      for (const unsigned int j : space.owned_subdomains())
        {
          const auto   &subdomain = space.subdomain(j);
          std::uint64_t hash      = BinaryFile::hash_start;
          hash = mix(hash, std::uint64_t(subdomain.global_index));
          hash = mix(hash, std::uint64_t(subdomain.dof_indices[0]));
          for (int d = 0; d < dim; ++d)
            {
              hash = mix(hash, subdomain.centre[d]);
              hash = mix(hash, subdomain.half_width[d]);
            }
          if (!subdomain.weights.empty())
            hash = mix(mix(hash, subdomain.weights[0]), subdomain.biases[0]);
          sum += hash;
        }
      return Utilities::MPI::sum(sum, comm);
    }


    template <int dim>
    void
    ELM<dim>::write_slab_checkpoint(
      const unsigned int                   slabs_done,
      const TrilinosWrappers::MPI::Vector &solution,
      const MPI_Comm                       comm) const
    {
      const std::uint64_t       signature = layout_signature(comm);
      const std::vector<double> values =
        Parallel::gather_on_root(solution, comm);
      Parallel::on_root_collectively(comm, [&]() {
        const std::uint64_t n = owned_columns.size();
        std::string         out(slab_magic, slab_magic_size);
        put<std::uint32_t>(out, slab_format_version);
        put<std::uint32_t>(out, dim);
        put<std::uint32_t>(out, space_settings.n_features);
        put<std::uint32_t>(out, problem_in_use->n_fields());
        put<std::uint32_t>(out, time_slabs);
        put<std::uint32_t>(out, slabs_done);
        put<std::uint64_t>(out, signature);
        put<std::uint64_t>(out, n);
        for (const double v : values)
          put<double>(out, v);
        put<std::uint32_t>(out, checksum(out.data(), out.size()));
        write_file_atomically(output_directory + "/checkpoint.bin", out);
      });
    }


    template <int dim>
    unsigned int
    ELM<dim>::read_slab_checkpoint(TrilinosWrappers::MPI::Vector &solution,
                                   const MPI_Comm                 comm) const
    {
      const std::string file = resume_from + "/checkpoint.bin";
      const std::string prefix =
        "subsection ELM, entry 'Resume from': '" + file + "' ";
      const auto read = BinaryFile::read(file);
      if (!read)
        throw std::invalid_argument(
          prefix + "cannot be read; give a directory written by a run with "
                   "'Time slabs' > 1 and 'Checkpoint interval' > 0");
      const std::string &bytes = *read;
      // Every rank reads the same file and makes the same checks, so that
      // all resume or all throw.
      if (bytes.size() < slab_header_size + 4 ||
          bytes.compare(0, slab_magic_size, slab_magic) != 0)
        throw std::invalid_argument(
          prefix +
          "is not a checkpoint of ELM's time slabs (it does not "
          "begin with '" +
          std::string(slab_magic) + "')");
      std::size_t         pos       = slab_magic_size;
      const std::uint32_t version   = get<std::uint32_t>(bytes, pos);
      const std::uint32_t d         = get<std::uint32_t>(bytes, pos);
      const std::uint32_t K         = get<std::uint32_t>(bytes, pos);
      const std::uint32_t fields    = get<std::uint32_t>(bytes, pos);
      const std::uint32_t S         = get<std::uint32_t>(bytes, pos);
      const std::uint32_t done      = get<std::uint32_t>(bytes, pos);
      const std::uint64_t signature = get<std::uint64_t>(bytes, pos);
      const std::uint64_t n         = get<std::uint64_t>(bytes, pos);
      if (version != slab_format_version)
        throw std::invalid_argument(
          prefix + "has format version " + std::to_string(version) +
          "; this fbpinn reads version " + std::to_string(slab_format_version));
      if (n > (bytes.size() - slab_header_size - 4) / 8 ||
          bytes.size() != slab_header_size + 8 * n + 4)
        throw std::invalid_argument(
          prefix + "is truncated or has trailing bytes: the file is "
                   "corrupted; resume from another checkpoint");
      std::size_t         tail   = slab_header_size + 8 * n;
      const std::uint32_t stored = get<std::uint32_t>(bytes, tail);
      if (stored != checksum(bytes.data(), slab_header_size + 8 * n))
        throw std::invalid_argument(
          prefix + "fails its CRC-32 checksum: the file is corrupted; resume "
                   "from another checkpoint");
      if (d != dim || K != space_settings.n_features ||
          fields != problem_in_use->n_fields() || S != time_slabs ||
          n != owned_columns.size())
        throw std::invalid_argument(
          prefix + "was written for " + std::to_string(d) + "D, K = " +
          std::to_string(K) + ", " + std::to_string(fields) + " field(s), " +
          std::to_string(S) + " time slabs and " + std::to_string(n) +
          " coefficients; this run has " + std::to_string(dim) +
          "D, K = " + std::to_string(space_settings.n_features) + ", " +
          std::to_string(problem_in_use->n_fields()) + ", " +
          std::to_string(time_slabs) + " and " +
          std::to_string(owned_columns.size()) +
          ": use the parameter file of that run");
      if (signature != layout_signature(comm))
        throw std::invalid_argument(
          prefix + "was written with other subdomains, features or DoF "
                   "numbering: use the mesh, the ELM entries and the number "
                   "of MPI ranks of that run");
      if (done == 0 || done >= S)
        throw std::invalid_argument(prefix + "holds " + std::to_string(done) +
                                    " of " + std::to_string(S) +
                                    " slabs; there is nothing to resume");
      for (const types::global_dof_index i : owned_columns)
        {
          std::size_t  at    = slab_header_size + 8 * std::size_t(i);
          const double value = get<double>(bytes, at);
          if (!std::isfinite(value))
            throw std::invalid_argument(
              prefix + "holds a non-finite coefficient: the file is corrupted");
          solution(i) = value;
        }
      solution.compress(VectorOperation::insert);
      return done;
    }


    template <int dim>
    void
    ELM<dim>::select_slab(const unsigned int s, const MPI_Comm comm)
    {
      selected_slab        = s;
      const unsigned int n = problem_in_use->n_fields();
      column_of_owned_unknown.clear();
      for (const unsigned int j : space.owned_subdomains())
        if (space.subdomain(j).slab == s)
          for (const types::global_dof_index i : space.subdomain(j).dof_indices)
            for (unsigned int f = 0; f < n; ++f)
              column_of_owned_unknown.push_back(n * i + f);
      std::sort(column_of_owned_unknown.begin(), column_of_owned_unknown.end());

      // The slab's unknowns in rank order, this rank's a contiguous range.
      const types::global_dof_index n_local = column_of_owned_unknown.size();
      types::global_dof_index       first   = 0;
      MPI_Exscan(&n_local,
                 &first,
                 1,
                 Utilities::MPI::mpi_type_id_for_type<types::global_dof_index>,
                 MPI_SUM,
                 comm);
      if (Utilities::MPI::this_mpi_process(comm) == 0)
        first = 0;
      owned_unknowns = IndexSet(Utilities::MPI::sum(n_local, comm));
      owned_unknowns.add_range(first, first + n_local);
      owned_unknowns.compress();

      // The ghost columns learn their unknowns through a ghosted vector
      // (unknown + 1; 0 outside the slab), exact in doubles below 2^53.
      TrilinosWrappers::MPI::Vector numbers(owned_columns, comm);
      for (types::global_dof_index k = 0; k < n_local; ++k)
        numbers(column_of_owned_unknown[k]) = double(first + k + 1);
      numbers.compress(VectorOperation::insert);
      TrilinosWrappers::MPI::Vector ghosted(owned_columns,
                                            relevant_columns,
                                            comm);
      ghosted = numbers;
      unknown_of_column.assign(relevant_columns.n_elements(),
                               numbers::invalid_dof_index);
      for (types::global_dof_index k = 0; k < relevant_columns.n_elements();
           ++k)
        {
          const double value = ghosted(relevant_columns.nth_index_in_set(k));
          if (value > 0.)
            unknown_of_column[k] =
              static_cast<types::global_dof_index>(value) - 1;
        }
    }


    template <int dim>
    bool
    ELM<dim>::in_selection(
      const typename Triangulation<dim>::active_cell_iterator &cell) const
    {
      return selected_slab == numbers::invalid_unsigned_int ||
             space.slab_of_cell(cell) == selected_slab;
    }


    template <int dim>
    types::global_dof_index
    ELM<dim>::unknown(const types::global_dof_index column) const
    {
      if (selected_slab == numbers::invalid_unsigned_int)
        return column;
      const types::global_dof_index result =
        unknown_of_column[relevant_columns.index_within_set(column)];
      Assert(result != numbers::invalid_dof_index, ExcInternalError());
      return result;
    }


    template <int dim>
    void
    ELM<dim>::add_step(TrilinosWrappers::MPI::Vector       &columns,
                       const TrilinosWrappers::MPI::Vector &step) const
    {
      if (selected_slab == numbers::invalid_unsigned_int)
        {
          columns += step;
          return;
        }
      const types::global_dof_index first =
        owned_unknowns.n_elements() > 0 ? owned_unknowns.nth_index_in_set(0) :
                                          0;
      for (types::global_dof_index k = 0; k < column_of_owned_unknown.size();
           ++k)
        columns(column_of_owned_unknown[k]) += step(first + k);
      columns.compress(VectorOperation::add);
    }


    template <int dim>
    double
    ELM<dim>::selected_norm(const TrilinosWrappers::MPI::Vector &columns,
                            const MPI_Comm                       comm) const
    {
      if (selected_slab == numbers::invalid_unsigned_int)
        return columns.l2_norm();
      double sum = 0.;
      for (const types::global_dof_index j : column_of_owned_unknown)
        sum += columns(j) * columns(j);
      return std::sqrt(Utilities::MPI::sum(sum, comm));
    }


    template <int dim>
    unsigned int
    ELM<dim>::n_slab_start_rows(
      const typename Triangulation<dim>::active_cell_iterator &cell,
      const unsigned int n_face_points) const
    {
      if (selected_slab == numbers::invalid_unsigned_int ||
          !space.starts_slab(cell))
        return 0;
      // Second order in time: u and u_t at every point.
      const unsigned int per_point =
        problem_in_use->time_derivative_order() == 2 ? 2 : 1;
      return per_point * n_face_points;
    }


    template <int dim>
    ResourceEstimate
    ELM<dim>::estimate_resources(const double                    n_cells,
                                 const Problems::Interface<dim> &problem) const
    {
      // K columns per field per subdomain on every level (the coarser levels
      // add at most 1/(2^dim − 1) of the finest); a collocation point has a
      // row per equation, and a row sees the K features of every field of at
      // least the 2^dim subdomains around its point. Each entry of M is a
      // double and an int.
      const double n_fields = problem.n_fields();
      const double n_subdomains =
        n_cells *
        (space_settings.n_levels > 1 ? 1. + 1. / (std::pow(2., dim) - 1) : 1.);
      ResourceEstimate estimate;
      estimate.n_dofs = n_fields * n_subdomains * space_settings.n_features;
      estimate.n_rows =
        n_fields * n_cells * std::pow(double(n_points_per_direction), dim);
      estimate.n_nonzeros = estimate.n_rows * n_fields *
                            space_settings.n_features * std::pow(2., dim) *
                            space_settings.n_levels;
      estimate.bytes = 12. * estimate.n_nonzeros + 8. * n_subdomains *
                                                     space_settings.n_features *
                                                     (dim + 1);
      estimate.entries =
        "subsection ELM, entries 'Features per subdomain' and 'Collocation "
        "points per direction'";
      return estimate;
    }


    template <int dim>
    types::global_dof_index
    ELM<dim>::n_dofs() const
    {
      return problem_in_use != nullptr ?
               problem_in_use->n_fields() * space.n_dofs() :
               space.n_dofs();
    }


    template <int dim>
    types::global_dof_index
    ELM<dim>::n_subdomains() const
    {
      return space.n_global_subdomains();
    }


    template <int dim>
    unsigned int
    ELM<dim>::n_levels() const
    {
      return space_settings.n_levels;
    }


    template <int dim>
    types::global_dof_index
    ELM<dim>::n_rows() const
    {
      return time_slabs > 1 ? slab_rows : n_point_rows;
    }


    template <int dim>
    types::global_dof_index
    ELM<dim>::n_nonzeros() const
    {
      if (time_slabs > 1)
        return slab_nonzeros;
      return matrix ? matrix->n_nonzero_elements() : 0;
    }


    template <int dim>
    SolverReport
    ELM<dim>::solver_report() const
    {
      SolverReport result = report;
      if (result.warning.empty())
        result.warning = sampling_warning;
      return result;
    }


    template <int dim>
    void
    ELM<dim>::check_sampling(const MPI_Comm comm)
    {
      // Every path (linear, systems, Gauss–Newton) checks its rows once.
      sampling_warning.clear();
      // The unknowns of this solve (one slab's with time slabs).
      const double n_unknowns       = owned_unknowns.size();
      const double rows_per_unknown = double(n_point_rows) / n_unknowns;
      if (rows_per_unknown >= 1.5)
        return;
      std::ostringstream text;
      text << "ELM has " << rows_per_unknown
           << " collocation rows per unknown (" << n_point_rows << " rows, "
           << n_unknowns
           << " unknowns); an under-sampled least-squares problem "
              "interpolates and can be wildly wrong between the points: "
              "raise 'Collocation points per direction' for at least 1.5";
      sampling_warning = text.str();
      if (Utilities::MPI::this_mpi_process(comm) == 0)
        std::cerr << "fbpinn: warning: " << sampling_warning << std::endl;
    }


    template <int dim>
    unsigned int
    ELM<dim>::n_assembly_points_per_direction() const
    {
      return n_points_per_direction;
    }


    template <int dim>
    std::unique_ptr<SolutionEvaluator<dim>>
    ELM<dim>::create_evaluator(const Quadrature<dim> &quadrature) const
    {
      return std::make_unique<ELMEvaluator<dim>>(space,
                                                 coefficients,
                                                 *problem_in_use,
                                                 hard_constraints,
                                                 *mapping,
                                                 quadrature);
    }


    template <int dim>
    const Mapping<dim> &
    ELM<dim>::get_mapping() const
    {
      return *mapping;
    }


    template <int dim>
    void
    ELM<dim>::write_solution(const Problems::Interface<dim> &problem,
                             const std::string              &directory,
                             const std::string              &basename) const
    {
      // The solution is sampled at the support points of a discontinuous
      // Q3 element on each cell, which DataOut then writes like any FE field.
      const auto &triangulation = space.get_dof_handler().get_triangulation();
      const MPI_Comm    comm    = space.get_dof_handler().get_communicator();
      const FE_DGQ<dim> output_fe(3);
      DoFHandler<dim>   output_dofs(triangulation);
      output_dofs.distribute_dofs(output_fe);
      const IndexSet owned = output_dofs.locally_owned_dofs();

      const unsigned int                         n = problem.n_fields();
      std::vector<TrilinosWrappers::MPI::Vector> fields(
        3 * n,
        TrilinosWrappers::MPI::Vector(owned, comm));
      TrilinosWrappers::MPI::Vector window_sum(owned, comm),
        pou_sum(owned, comm);
      std::vector<double>         exact_values;
      std::vector<Tensor<1, dim>> exact_gradients;
      const Quadrature<dim>       support(output_fe.get_unit_support_points());
      FEValues<dim>               geometry(*mapping,
                             output_fe,
                             support,
                             update_quadrature_points);
      FiniteBasisValues<dim>      values(space);
      std::vector<Jet<dim>>       jets;
      std::vector<types::global_dof_index> indices(output_fe.n_dofs_per_cell());
      Vector<float> subdomain_id(triangulation.n_active_cells());
      Vector<float> rank(triangulation.n_active_cells());
      for (const auto &cell : output_dofs.active_cell_iterators())
        if (cell->is_locally_owned())
          {
            geometry.reinit(cell);
            values.reinit(cell,
                          geometry.get_quadrature_points(),
                          std::vector<double>(support.size(), 1.));
            cell->get_dof_indices(indices);
            for (unsigned int f = 0; f < n; ++f)
              {
                evaluate_solution(values,
                                  coefficients,
                                  problem,
                                  hard_constraints,
                                  jets,
                                  f);
                for (unsigned int q = 0; q < support.size(); ++q)
                  {
                    if (problem.has_exact_solution())
                      problem.exact_fields(values.point(q),
                                           exact_values,
                                           exact_gradients);
                    else
                      exact_values
                        .assign(n, std::numeric_limits<double>::quiet_NaN());
                    fields[3 * f](indices[q])     = jets[q].value;
                    fields[3 * f + 1](indices[q]) = exact_values[f];
                    fields[3 * f + 2](indices[q]) =
                      jets[q].value - exact_values[f];
                  }
              }
            for (unsigned int q = 0; q < support.size(); ++q)
              {
                window_sum(indices[q]) = values.window_sum(q);
                pou_sum(indices[q])    = values.partition_of_unity_sum(q);
              }
            subdomain_id[cell->active_cell_index()] =
              cell->global_active_cell_index();
            rank[cell->active_cell_index()] =
              Utilities::MPI::this_mpi_process(comm);
          }
      for (auto &v : fields)
        v.compress(VectorOperation::insert);
      for (auto *v : {&window_sum, &pou_sum})
        v->compress(VectorOperation::insert);

      DataOut<dim> data_out;
      data_out.attach_dof_handler(output_dofs);
      const std::vector<std::string> names = problem.field_names();
      for (unsigned int f = 0; f < n; ++f)
        {
          // One field keeps the names u, u_exact, error.
          data_out.add_data_vector(fields[3 * f], names[f]);
          data_out.add_data_vector(fields[3 * f + 1], names[f] + "_exact");
          data_out.add_data_vector(fields[3 * f + 2],
                                   n == 1 ? "error" : "error_" + names[f]);
        }
      data_out.add_data_vector(window_sum, "window_sum");
      data_out.add_data_vector(pou_sum, "partition_of_unity_sum");
      data_out.add_data_vector(subdomain_id, "subdomain");
      data_out.add_data_vector(rank, "rank");
      data_out.build_patches(*mapping, 3);
      write_pvtu(data_out, directory, basename, comm);
    }


    template class ELM<1>;
    template class ELM<2>;
    template class ELM<3>;
  } // namespace Methods
} // namespace fbpinn

FBPINN_REGISTER_METHOD(
  fbpinn::Methods::ELM,
  "elm",
  "ELM-FBPINN: K random features (tanh or sin) times a cosine-squared "
  "partition of unity on overlapping subdomains, one per active cell; the "
  "coefficients solve the linear least-squares problem of the collocated "
  "residual (subsections ELM and Linear solver).")
