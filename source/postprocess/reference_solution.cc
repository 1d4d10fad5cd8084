#include <deal.II/base/mpi_remote_point_evaluation.h>
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
        values.assign(1,
                      VectorTools::point_values<1>(fem.get_mapping(),
                                                   fem.get_dof_handler(),
                                                   fem.get_solution(),
                                                   points,
                                                   cache));
        gradients.assign(1,
                         VectorTools::point_gradients<1>(cache,
                                                         fem.get_dof_handler(),
                                                         fem.get_solution()));
        if (!cache.all_points_found())
          throw std::runtime_error(
            "the fem reference solution could not be evaluated at every "
            "error point (a point outside its mesh)");
      }

    private:
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
    if (problem.n_fields() != 1)
      throw std::invalid_argument(
        "subsection Reference solution, entry 'Type' = fem: a fem reference "
        "for a problem with several fields is not implemented yet");
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
