#pragma once

#include <deal.II/base/quadrature_lib.h>
#include <deal.II/distributed/tria_base.h>
#include <deal.II/fe/fe_dgq.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/fe/mapping_q.h>
#include <deal.II/grid/grid_tools.h>

#include <fbpinn/problems/interface.h>

#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace fbpinn
{
  namespace Methods
  {
    /**
     * What the collocation methods (elm, fbpinn, pinn) share about their
     * points, so that they see the same points and weights.
     */
    namespace Collocation
    {
      using namespace dealii;

      /** The degree of the mapping of curved cells: collocation points and
       * normals on the mapped faces are then O(h⁴) from the manifold's. */
      constexpr unsigned int curved_mapping_degree = 3;

      /** The degree of the mapping the collocation methods use on @p mesh:
       * 1 for straight cells, curved_mapping_degree where a manifold other
       * than the flat one curves them (e.g. hyper-ball). */
      template <int dim>
      unsigned int
      mapping_degree(const Triangulation<dim> &mesh)
      {
        for (const types::manifold_id id : mesh.get_manifold_ids())
          if (id != numbers::flat_manifold_id)
            return curved_mapping_degree;
        return 1;
      }


      /** The collocation rule with @p n points per direction: "gauss" (Gauss
       * points and weights) or "uniform" (midpoints of n equal intervals). */
      template <int dim>
      Quadrature<dim>
      rule(const std::string &name, const unsigned int n)
      {
        if constexpr (dim == 0)
          return QGauss<dim>(1);
        else if (name == "gauss")
          return QGauss<dim>(n);
        else
          return QIterated<dim>(QMidpoint<1>(), n);
      }


      /** The points and weights of one rule on cells and on boundary faces
       * (with normals), evaluated cell by cell with @p mapping (which must
       * outlive this object). */
      template <int dim>
      struct Geometry
      {
        Geometry(const std::string  &rule_name,
                 const unsigned int  n,
                 const Mapping<dim> &mapping)
          : cell_rule(rule<dim>(rule_name, n))
          , face_rule(rule<dim - 1>(rule_name, n))
          , mapping(mapping)
          , cell(mapping,
                 fe,
                 cell_rule,
                 update_quadrature_points | update_JxW_values)
          , face(mapping,
                 fe,
                 face_rule,
                 update_quadrature_points | update_JxW_values |
                   update_normal_vectors)
        {}

        const Quadrature<dim>     cell_rule;
        const Quadrature<dim - 1> face_rule;
        const Mapping<dim>       &mapping;
        const FE_DGQ<dim>         fe{0};
        FEValues<dim>             cell;
        FEFaceValues<dim>         face;
      };


      /** The half-widths h_d of the bounding box of @p cell. */
      template <int dim, typename CellIterator>
      void
      half_widths(const CellIterator &cell, double (&h)[dim])
      {
        const auto box = cell->bounding_box();
        for (int d = 0; d < dim; ++d)
          h[d] = 0.5 * (box.get_boundary_points().second[d] -
                        box.get_boundary_points().first[d]);
      }


      /**
       * The size of row @p e of a system's linearisation @p lin (equation e,
       * or the condition on field e) on a cell of half-widths @p h:
       * Σ_f |c_f| + Σ|g_f,d|/h_d + Σ|D_f,dk|/(h_d h_k), the sum over the
       * fields f of ∂N_e/∂J[u_f] = (c_f, g_f, D_f); 0 for an empty row.
       */
      template <int dim>
      double
      row_size(const Problems::FieldLinearization<dim> &lin,
               const unsigned int                       e,
               const double (&h)[dim])
      {
        const unsigned int n    = lin.residual.size();
        double             size = 0;
        for (unsigned int f = 0; f < n; ++f)
          {
            const auto &l = lin.derivative[e * n + f];
            size += std::abs(l.d_value);
            for (int d = 0; d < dim; ++d)
              {
                size += std::abs(l.d_gradient[d]) / h[d];
                for (int k = 0; k < dim; ++k)
                  size += std::abs(l.d_hessian[d][k]) / (h[d] * h[k]);
              }
          }
        return size;
      }


      /**
       * The size of the PDE operator on @p cell (half-widths h_d),
       * σ = Σ|D_de|/(h_d h_e) + Σ|g_d|/h_d + |c|, with the coefficients at the
       * cell centre (or @p constant_operator when the problem's are
       * constant). Boundary and condition terms are scaled by it, so that λ_b
       * weighs them against PDE terms whose size grows like σ under
       * refinement; without it the conditions lose weight as h shrinks and
       * the error stalls at the boundary.
       */
      template <int dim, typename CellIterator>
      double
      operator_scale(const Problems::Interface<dim>          &problem,
                     const CellIterator                      &cell,
                     const Problems::LinearizedResidual<dim> *constant_operator)
      {
        double h[dim];
        half_widths(cell, h);
        const auto op =
          constant_operator != nullptr ?
            *constant_operator :
            problem.linearize_operator(cell->center(), Jet<dim>());
        double sigma = std::abs(op.d_value);
        for (int d = 0; d < dim; ++d)
          {
            sigma += std::abs(op.d_gradient[d]) / h[d];
            for (int e = 0; e < dim; ++e)
              sigma += std::abs(op.d_hessian[d][e]) / (h[d] * h[e]);
          }
        return sigma > 0. ? sigma : 1.;
      }


      /**
       * The problem's interior condition points that this rank adds, with
       * their cells: each point belongs to the cell with the smallest CellId
       * among those that contain it, so exactly one rank adds it.
       */
      template <int dim>
      std::vector<std::pair<typename Triangulation<dim>::active_cell_iterator,
                            Point<dim>>>
      owned_condition_points(const Problems::Interface<dim>         &problem,
                             const parallel::TriangulationBase<dim> &mesh,
                             const Mapping<dim>                     &mapping)
      {
        std::vector<std::pair<typename Triangulation<dim>::active_cell_iterator,
                              Point<dim>>>
          result;
        for (const Point<dim> &p : problem.interior_condition_points())
          {
            const auto cells = GridTools::find_all_active_cells_around_point(
              mapping,
              static_cast<const Triangulation<dim> &>(mesh),
              p);
            if (cells.empty())
              continue;
            auto owner = cells.front().first;
            for (const auto &c : cells)
              if (c.first->id() < owner->id())
                owner = c.first;
            if (owner->is_locally_owned())
              result.emplace_back(owner, p);
          }
        return result;
      }
    } // namespace Collocation
  }   // namespace Methods
} // namespace fbpinn
