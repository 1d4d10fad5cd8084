#include <deal.II/base/mpi_remote_point_evaluation.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/fe/mapping_q.h>
#include <deal.II/numerics/vector_tools_evaluate.h>

#include <fbpinn/mesh/triangulation_factory.h>
#include <fbpinn/methods/fem.h>
#include <fbpinn/postprocess/reference_solution.h>

#include <stdexcept>

namespace fbpinn
{
  void
  ReferenceSettings::declare_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Reference solution");
    {
      prm.declare_entry(
        "Type",
        "auto",
        Patterns::Selection("auto|exact|fem|none"),
        "What errors are measured against. auto: the exact solution where "
        "the problem has one, else nothing (the summary says so); exact: the "
        "exact solution (an error for a problem without one); fem: a finer "
        "FEM run of the same problem on the same geometry, computed once "
        "(entries below; subsection FEM's solver entries apply to it); none: "
        "no errors.");
      prm.declare_entry("Additional refinements",
                        "2",
                        Patterns::Integer(0, 10),
                        "Type = fem: how many more global refinements the "
                        "reference mesh has than the last cycle's mesh.");
      prm.declare_entry("Polynomial degree",
                        "3",
                        Patterns::Integer(1, 6),
                        "Type = fem: the degree of the reference's FE_Q.");
    }
    prm.leave_subsection();
  }


  void
  ReferenceSettings::parse_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Reference solution");
    type                   = prm.get("Type");
    additional_refinements = prm.get_integer("Additional refinements");
    degree                 = prm.get_integer("Polynomial degree");
    prm.leave_subsection();
  }


  namespace
  {
    template <int dim>
    class FEMReference : public ReferenceSolution<dim>
    {
    public:
      FEMReference(ParameterHandler                                &prm,
                   const Problems::Interface<dim>                  &problem,
                   const std::function<void(Triangulation<dim> &)> &make_mesh,
                   const unsigned int                               refinements,
                   const ReferenceSettings                         &settings,
                   const MPI_Comm                                   comm)
        : triangulation(create_triangulation<dim>(comm))
      {
        make_mesh(*triangulation);
        triangulation->refine_global(refinements);
        fem.parse_parameters(prm);
        fem.set_degree(settings.degree);
        Timings timings;
        fem.solve(problem, *triangulation, timings);
        const SolverReport report = fem.solver_report();
        if (!report.converged)
          throw std::runtime_error(
            "the fem reference solution (subsection Reference solution) did "
            "not converge (" +
            report.name + "); change its entries or subsection FEM's solver");
      }

      std::string
      name() const override
      {
        return "fem";
      }

      void
      evaluate(const std::vector<Point<dim>>            &points,
               std::vector<std::vector<double>>         &values,
               std::vector<std::vector<Tensor<1, dim>>> &gradients) override
      {
        // deal.II's remote point evaluation finds each point's cell on
        // whichever rank owns it.
        Utilities::MPI::RemotePointEvaluation<dim> cache;
        const unsigned int n = fem.get_dof_handler().get_fe().n_components();
        switch (n)
          {
            case 1:
              values.assign(1,
                            VectorTools::point_values<1>(fem.get_mapping(),
                                                         fem.get_dof_handler(),
                                                         fem.get_solution(),
                                                         points,
                                                         cache));
              gradients.assign(
                1,
                VectorTools::point_gradients<1>(cache,
                                                fem.get_dof_handler(),
                                                fem.get_solution()));
              break;
            case 2:
              evaluate_fields<2>(points, cache, values, gradients);
              break;
            case 3:
              evaluate_fields<3>(points, cache, values, gradients);
              break;
            case 4:
              evaluate_fields<4>(points, cache, values, gradients);
              break;
            default:
              throw std::invalid_argument(
                "subsection Reference solution, entry 'Type' = fem: a fem "
                "reference for more than 4 fields is not implemented");
          }
        if (!cache.all_points_found())
          throw std::runtime_error(
            "the fem reference solution could not be evaluated at every "
            "error point (a point outside its mesh)");
      }

    private:
      /** The values and gradients of every field of the fem solution at
       * @p points, where each is found (averaged over the cells that share
       * a point on their faces). deal.II 9.4's VectorTools::point_values()
       * does not compile for several components (its average divides a
       * Tensor by a Tensor), hence the evaluation here, cell by cell with
       * FEValues at the points' reference coordinates. */
      template <int n>
      void
      evaluate_fields(const std::vector<Point<dim>>              &points,
                      Utilities::MPI::RemotePointEvaluation<dim> &cache,
                      std::vector<std::vector<double>>           &values,
                      std::vector<std::vector<Tensor<1, dim>>>   &gradients)
      {
        // Per point and cell: n values, then n gradients.
        using Data              = Tensor<1, n *(1 + dim)>;
        const auto &dof_handler = fem.get_dof_handler();
        const auto &solution    = fem.get_solution();
        cache.reinit(points,
                     dof_handler.get_triangulation(),
                     fem.get_mapping());
        std::vector<Data> output, buffer;
        cache.template evaluate_and_process<Data>(
          output,
          buffer,
          [&](
            const ArrayView<Data> &result,
            const typename Utilities::MPI::RemotePointEvaluation<dim>::CellData
              &cell_data) {
            for (unsigned int c = 0; c < cell_data.cells.size(); ++c)
              {
                const typename DoFHandler<dim>::active_cell_iterator cell(
                  &dof_handler.get_triangulation(),
                  cell_data.cells[c].first,
                  cell_data.cells[c].second,
                  &dof_handler);
                const unsigned int begin = cell_data.reference_point_ptrs[c];
                const unsigned int end = cell_data.reference_point_ptrs[c + 1];
                const std::vector<Point<dim>> unit(
                  cell_data.reference_point_values.begin() + begin,
                  cell_data.reference_point_values.begin() + end);
                FEValues<dim> fe_values(fem.get_mapping(),
                                        dof_handler.get_fe(),
                                        Quadrature<dim>(unit),
                                        update_values | update_gradients);
                fe_values.reinit(cell);
                std::vector<double>         v(unit.size());
                std::vector<Tensor<1, dim>> g(unit.size());
                for (int f = 0; f < n; ++f)
                  {
                    const FEValuesExtractors::Scalar field(f);
                    fe_values[field].get_function_values(solution, v);
                    fe_values[field].get_function_gradients(solution, g);
                    for (unsigned int q = 0; q < unit.size(); ++q)
                      {
                        result[begin + q][f] = v[q];
                        for (int i = 0; i < dim; ++i)
                          result[begin + q][n + f * dim + i] = g[q][i];
                      }
                  }
              }
          });
        const std::vector<unsigned int> &ptrs = cache.get_point_ptrs();
        values.assign(n, std::vector<double>(points.size(), 0.));
        gradients.assign(n, std::vector<Tensor<1, dim>>(points.size()));
        for (std::size_t k = 0; k + 1 < ptrs.size(); ++k)
          {
            const unsigned int count = ptrs[k + 1] - ptrs[k];
            if (count == 0)
              continue;
            Data mean;
            for (unsigned int j = ptrs[k]; j < ptrs[k + 1]; ++j)
              mean += output[j];
            mean /= count;
            for (int f = 0; f < n; ++f)
              {
                values[f][k] = mean[f];
                for (int i = 0; i < dim; ++i)
                  gradients[f][k][i] = mean[n + f * dim + i];
              }
          }
      }

      std::unique_ptr<parallel::TriangulationBase<dim>> triangulation;
      Methods::FEM<dim>                                 fem;
    };
  } // namespace


  template <int dim>
  std::unique_ptr<ReferenceSolution<dim>>
  create_fem_reference(
    ParameterHandler                                &prm,
    const Problems::Interface<dim>                  &problem,
    const std::function<void(Triangulation<dim> &)> &make_coarse_mesh,
    const unsigned int                               n_refinements,
    const ReferenceSettings                         &settings,
    const MPI_Comm                                   comm)
  {
    if (problem.is_time_dependent())
      throw std::invalid_argument(
        "subsection Reference solution, entry 'Type' = fem: a fem reference "
        "for a time-dependent problem is not implemented (fem steps it in "
        "time instead of solving it in space-time); use 'exact' or 'none'");
    return std::make_unique<FEMReference<dim>>(prm,
                                               problem,
                                               make_coarse_mesh,
                                               n_refinements,
                                               settings,
                                               comm);
  }


  template std::unique_ptr<ReferenceSolution<1>>
  create_fem_reference(ParameterHandler &,
                       const Problems::Interface<1> &,
                       const std::function<void(Triangulation<1> &)> &,
                       const unsigned int,
                       const ReferenceSettings &,
                       const MPI_Comm);
  template std::unique_ptr<ReferenceSolution<2>>
  create_fem_reference(ParameterHandler &,
                       const Problems::Interface<2> &,
                       const std::function<void(Triangulation<2> &)> &,
                       const unsigned int,
                       const ReferenceSettings &,
                       const MPI_Comm);
  template std::unique_ptr<ReferenceSolution<3>>
  create_fem_reference(ParameterHandler &,
                       const Problems::Interface<3> &,
                       const std::function<void(Triangulation<3> &)> &,
                       const unsigned int,
                       const ReferenceSettings &,
                       const MPI_Comm);
} // namespace fbpinn
