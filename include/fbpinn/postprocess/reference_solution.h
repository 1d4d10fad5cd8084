#pragma once

#include <deal.II/base/parameter_handler.h>
#include <deal.II/base/point.h>
#include <deal.II/base/tensor.h>
#include <deal.II/distributed/tria_base.h>

#include <fbpinn/problems/interface.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace fbpinn
{
  using namespace dealii;

  /**
   * `subsection Reference solution`: what errors are measured against.
   * `Type` = auto (the exact solution where the problem has one, else none),
   * exact, fem (a finer FEM run of the same problem on the same geometry),
   * none (no errors; the summary says so).
   */
  struct ReferenceSettings
  {
    std::string  type                   = "auto";
    unsigned int additional_refinements = 2;
    unsigned int degree                 = 3;

    static void
    declare_parameters(ParameterHandler &prm);

    void
    parse_parameters(ParameterHandler &prm);
  };


  /** A solution that errors are measured against, other than the exact one:
   * values and gradients of every field at any points. */
  template <int dim>
  class ReferenceSolution
  {
  public:
    virtual ~ReferenceSolution() = default;

    /** "fem", as metrics.json's errors.reference says. */
    virtual std::string
    name() const = 0;

    /** values[f][k] and gradients[f][k] of field f at @p points[k], points
     * of this rank anywhere in the domain. Collective. */
    virtual void
    evaluate(const std::vector<Point<dim>>            &points,
             std::vector<std::vector<double>>         &values,
             std::vector<std::vector<Tensor<1, dim>>> &gradients) = 0;
  };


  /**
   * A FEM reference: the problem solved by `fem` (with subsection FEM's
   * solver entries and the reference's `Polynomial degree`) on the mesh that
   * @p make_coarse_mesh builds, refined @p n_refinements times. Problems with
   * one field only. The reference is computed once, on @p comm; its errors
   * are those of the finer FEM solution, which must be well below the
   * measured ones (the summary names the reference, the user chooses its
   * resolution). Throws a one-line invalid_argument for a system.
   */
  template <int dim>
  std::unique_ptr<ReferenceSolution<dim>>
  create_fem_reference(
    ParameterHandler                                &prm,
    const Problems::Interface<dim>                  &problem,
    const std::function<void(Triangulation<dim> &)> &make_coarse_mesh,
    const unsigned int                               n_refinements,
    const ReferenceSettings                         &settings,
    const MPI_Comm                                   comm);
} // namespace fbpinn
