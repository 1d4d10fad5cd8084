#pragma once

#include <deal.II/fe/mapping_q.h>
#include <deal.II/lac/la_parallel_vector.h>

#include <fbpinn/basis/finite_basis_space.h>
#include <fbpinn/methods/interface.h>
#include <fbpinn/network/checkpoint.h>
#include <fbpinn/network/mlp.h>

#include <memory>
#include <string>
#include <vector>

namespace fbpinn
{
  namespace Methods
  {
    /**
     * FBPINN (Moseley, Markham, Nissen-Meyer 2023) and, as its one-subdomain
     * special case, the PINN: neural networks trained by gradient methods on
     * the same mesh, collocation points and problems as ELM-FBPINN.
     *
     * FBPINN: one MLP N_j per subdomain of the FiniteBasisSpace (one per
     * active cell, the same boxes, cos² windows and partition of unity ψ_j as
     * ELM) of the subdomain-normalised coordinates y = (x − c_j)/h_j, and
     * @f[ u(x) = C\Bigl[s \sum_j \psi_j(x)\, N_j(y_j(x);\theta_j)\Bigr] @f]
     * with one global output scale s and the optional hard-constraint ansatz
     * C[v] = g + d v. PINN: one MLP on the whole domain (y normalised by the
     * domain's bounding box), no window.
     *
     * The loss ('Loss weighting', doc/design.md) is by default the mean of
     * each term's residual divided by its operator scale,
     * @f[ L(\theta) = \frac{1}{N_r}\sum_i (r_i/\sigma_i)^2 + \sum_m
     *     \frac{\lambda_m}{N_m} \sum_j (b_{m,j}/\sigma_{m,j})^2, @f]
     * with λ_m = 'Boundary weight' or annealed from gradient norms; with
     * 'quadrature' it is ELM's least-squares functional at the same points,
     * @f[ L(\theta) = \sum_i w_i\, r(x_i, J[u](x_i))^2 + \sum_b \sigma^2
     *     \lambda_b w_b\, b(x_b, J[u](x_b))^2, @f]
     * with w the collocation weights (JxW), so that for a linear problem L is
     * exactly ‖M a − h‖² of ELM with networks in place of random features.
     * The jets J[u] are exact (forward mode through the MLP), and ∂L/∂θ comes
     * from a hand-written reverse pass (Network::MLP::backward); only the
     * subdomains that cover a point take part in its term.
     *
     * Parameters θ_j are the DoFs of the FiniteBasisSpace with P = (number of
     * network parameters) "features" per subdomain, so deal.II partitions
     * them: owned by the rank that owns the subdomain's cell, ghosted where a
     * point of this rank sees the subdomain. Each step sums the gradient
     * contributions on the owners (compress(add)), updates the owned
     * parameters, and refreshes the ghosts.
     *
     * Optimisers: Adam with an exponential, step or cosine learning-rate
     * schedule, then optional L-BFGS (deal.II SolverBFGS). A line of progress
     * on screen and `training.csv` in the output directory; atomic checkpoints
     * and restart.
     */
    template <int dim>
    class FBPINN : public Interface<dim>
    {
    public:
      FBPINN();

      static void
      declare_parameters(ParameterHandler &prm);

      void
      parse_parameters(ParameterHandler &prm) override;

      void
      set_output_directory(const std::string &directory) override;

      void
      solve(const Problems::Interface<dim>         &problem,
            const parallel::TriangulationBase<dim> &triangulation,
            Timings                                &timings) override;

      ResourceEstimate
      estimate_resources(
        const double                    n_cells,
        const Problems::Interface<dim> &problem) const override;

      types::global_dof_index
      n_dofs() const override;

      types::global_dof_index
      n_subdomains() const override;

      unsigned int
      n_levels() const override;

      types::global_dof_index
      n_rows() const override;

      types::global_dof_index
      n_nonzeros() const override;

      SolverReport
      solver_report() const override;

      unsigned int
      n_assembly_points_per_direction() const override;

      std::unique_ptr<SolutionEvaluator<dim>>
      create_evaluator(const Quadrature<dim> &quadrature) const override;

      void
      write_solution(const Problems::Interface<dim> &problem,
                     const std::string              &directory,
                     const std::string              &basename) const override;

      /** Q1 on straight cells, Collocation::curved_mapping_degree on curved
       * ones: the collocation points, the evaluator and the errors. */
      const Mapping<dim> &
      get_mapping() const override;

      /** Training settings (subsection Training). */
      struct TrainingSettings
      {
        double       learning_rate = 1e-3;
        unsigned int steps         = 1000;
        /** 'Learning rate schedule': exponential, step or cosine. */
        std::string  learning_rate_schedule      = "exponential";
        double       learning_rate_decay         = 1.;
        unsigned int learning_rate_step_interval = 1000;
        double       final_learning_rate         = 0.;
        unsigned int lbfgs_steps                 = 0;
        unsigned int lbfgs_history               = 50;
        unsigned int progress_interval           = 1000;
        unsigned int checkpoint_interval         = 0;
        std::string  resume_from;
        double       divergence_factor = 1e8;
        /** 'Loss weighting': normalized, quadrature, annealing or
         * self-adaptive. */
        std::string loss_weighting = "normalized";
        /** α of annealing: the weight of the old value in the moving
         * average λ ← α λ + (1 − α) λ̂. */
        double annealing_average = 0.9;
        /** Annealing updates λ every this many Adam steps. */
        unsigned int annealing_interval = 100;
        /** 'Causal weighting' (time-dependent problems): the PDE terms of
         * time chunk i weighted by w_i = exp(−ε Σ_{k<i} L_k) (Wang,
         * Sankaran, Perdikaris 2024; jaxpi), ε = 'Causal epsilon', over
         * 'Causal chunks' chunks of the training window in t. */
        bool         causal         = false;
        unsigned int causal_chunks  = 16;
        double       causal_epsilon = 1.;
      };

      /** One network's contribution to one collocation term. */
      struct Contribution
      {
        Jet<dim>                psi;          // ψ_j at the point
        std::array<double, dim> y;            // normalised coordinates
        std::array<double, dim> inverse_half; // 1/h_j
        unsigned int            first;        // local index of θ_j
      };

      /**
       * One term of the loss: a collocation point and one scalar residual.
       * A problem with K > 1 fields has K terms per PDE point, one per
       * equation e, and at a boundary point one term per field with
       * boundary data (condition m = the field); the terms of one point are
       * consecutive and share its contributions [begin, end), so that the
       * networks are evaluated once per point.
       */
      struct Term
      {
        Point<dim>     x;
        Tensor<1, dim> normal;
        double         weight = 0; // w: the loss weight (without λ_m)
        double         quadrature_weight = 0; // JxW (PDE terms; errors)
        /** PDE terms: 1/σ² of the term's cell (the weight of normalized
         * weighting before the mean), for the weights after resampling. */
        double inverse_scale_squared = 1.;
        /** 'Loss weighting' = self-adaptive: the point's weight and its
         * Adam moments. */
        double adaptive = 1., adaptive_m = 0., adaptive_v = 0.;
        int    condition = -1; // −1: PDE residual; m ≥ 0: condition m
        /** The boundary id of a condition's point (interior condition
         * points and PDE terms: numbers::internal_face_boundary_id). */
        types::boundary_id boundary_id = numbers::internal_face_boundary_id;
        Jet<dim>           g, d;               // the ansatz u = g + d v
        unsigned int       begin = 0, end = 0; // contributions
        /** PDE terms: the equation e, whose forcing f_e is `forcing`, and
         * the field e, whose exact value is `exact`. */
        unsigned int equation = 0;
        double       exact    = 0; // u*_e (PDE terms; for the errors)
        double       forcing  = 0; // f_e(x) (PDE terms), computed once
        /** 'Time slabs' > 1: the slab of the term's cell. */
        unsigned int slab = 0;
        /** A term u = u_{s−1} at the start of slab s > 0 (condition 0 of
         * the slab, weighted like a Dirichlet term): `target` is the
         * previous slab's solution there, from its networks (the
         * contributions [previous_begin, previous_end) of
         * previous_contributions), set when slab s begins. */
        bool slab_start = false;
        /** Second order in time: the term ties u_t (condition 1), not u. */
        bool         slab_start_rate = false;
        double       target          = 0.;
        unsigned int previous_begin = 0, previous_end = 0;
      };

      /** Adaptive sampling of the PDE collocation points (subsection
       * FBPINN): 'Resampling' = none, rad or rar. */
      struct ResamplingSettings
      {
        std::string  method   = "none";
        unsigned int interval = 1000;
        /** Candidates per cell: this factor times n_q^dim. */
        unsigned int candidate_factor = 4;
        /** RAD: p(x) ∝ |r|^k / mean|r|^k + c. */
        double rad_exponent = 1., rad_constant = 1.;
        /** RAR: the points added per round. */
        unsigned int rar_points = 100;
      };

    protected:
      /** @p single_network: PINN (one network, no windows). */
      explicit FBPINN(const bool single_network);

    private:
      using Vector = LinearAlgebra::distributed::Vector<double>;

      /** L(θ) and, if @p gradient is not null, ∂L/∂θ summed on the owners.
       * @p theta must have its ghosts up to date. With @p only ≥ −1, only
       * the terms of that kind (−1: PDE, m ≥ 0: condition m) and without
       * their weight λ_m: the parts L_r, L_m that annealing balances. */
      double
      loss_and_gradient(const Vector &theta,
                        Vector       *gradient,
                        const int     only = -2) const;

      /** Adam's learning rate α_k at @p step ('Learning rate schedule'). */
      double
      learning_rate(const unsigned int step) const;

      /** Annealing (Wang, Teng, Perdikaris 2021): λ_m ← α λ_m + (1 − α)
       * max|∇θ L_r| / mean|∇θ λ_m L_m| for every condition m, the mean over
       * the parameters that L_m reaches; @p gradient is work space. */
      void
      anneal_weights(const Vector &theta, Vector &gradient);

      /** Relative L2 and normalized L1 errors at the PDE collocation points. */
      std::pair<double, double>
      collocation_errors(const Vector &theta) const;

      /** <output directory>/collocation_points.csv: the PDE collocation
       * points (x, y, z, |r|/σ) after training, gathered on rank 0 (with
       * resampling only). */
      void
      write_collocation_points(const Vector &theta) const;

      /** The ansatz u = g + d v at @p x: the problem's hard constraint, or
       * g = 0, d = 1. */
      void
      ansatz(const Point<dim> &x, Jet<dim> &g, Jet<dim> &d) const;

      /** The jets of the K fields at @p x in @p cell with the parameters
       * @p theta, in @p u[0, K). */
      void
      solution_jets(
        const Vector                                            &theta,
        const typename Triangulation<dim>::active_cell_iterator &cell,
        const Point<dim>                                        &x,
        Jet<dim>                                                *u) const;

      /** The number of PDE collocation points over all ranks. */
      types::global_dof_index
      n_global_pde_points() const;

      /** The jets of the K fields at x from the contributions [begin, end)
       * in @p u[0, K). */
      void
      evaluate(const Vector       &theta,
               const Jet<dim>     &g,
               const Jet<dim>     &d,
               const Contribution *begin,
               const Contribution *end,
               Jet<dim>           *u) const;

      /** The PDE residuals r_e = N_e[u](x) − f_e(x) of the K equations for
       * the field jets @p u. */
      void
      pde_residuals(const Point<dim>    &x,
                    const Jet<dim>      *u,
                    std::vector<double> &r) const;

      void
      set_up_terms(const Problems::Interface<dim>         &problem,
                   const parallel::TriangulationBase<dim> &triangulation);

      /** The contributions of each network, for the batched passes, and
       * the global numbers of terms and contributions. */
      void
      build_batches();

      /** σ_e² of the PDE residual of each equation e on @p cell: the
       * squared size of its operator (as ELM's rows), in @p sigma2[0, K).
       */
      void
      pde_scales_squared(
        const typename Triangulation<dim>::active_cell_iterator &cell,
        std::vector<double>                                     &sigma2) const;

      /** Adaptive sampling, round @p round (Wu, Zhu, Tan, Kartha, Lu 2023):
       * evaluate the PDE residual at 'Candidate factor' × n_q^dim random
       * points per cell (keyed on the cell, the round and 'Seed', so the
       * same on any number of ranks); RAD replaces the PDE points by as
       * many candidates drawn without replacement with probability ∝
       * |r|^k/mean|r|^k + c, RAR adds the 'RAR points' candidates of
       * largest |r|. A chosen point stays in the cell it was drawn in. */
      void
      resample(const Vector &theta, const unsigned int round);

      /** The contributions of the networks that cover @p x in @p cell. */
      void
      add_contributions(
        const typename Triangulation<dim>::active_cell_iterator &cell,
        const Point<dim>                                        &x,
        std::vector<Contribution>                               &out,
        const bool previous_slab = false) const;

      /** 'Time slabs' > 1: make the terms of slab @p s (of all_terms, with
       * their contributions) the ones training sees, with the targets of
       * its slab-start terms from the trained networks of slab s − 1. */
      void
      select_slab(const unsigned int s);

      /** The index in the parameter vector of coefficient @p i of the
       * space (see solve(): contiguous per rank). */
      types::global_dof_index
      parameter_index(const types::global_dof_index i) const;

      /** The parameter index of the first parameter of @p subdomain. */
      types::global_dof_index
      first_parameter(
        const typename FiniteBasisSpace<dim>::Subdomain &subdomain) const;

      /** The header of this run's checkpoints (step 0): method, network,
       * subdomain layout and sizes. */
      Network::CheckpointHeader
      checkpoint_header() const;

      /** The checkpoint of @p step (parameters, Adam moments, history) in
       * <output directory>/checkpoint.bin, gathered on rank 0 by global
       * index and written atomically. */
      void
      write_checkpoint(const unsigned int step,
                       const Vector      &m,
                       const Vector      &v) const;

      /** Restore the parameters, m, v and history from
       * <directory>/checkpoint.bin after Network::parse_checkpoint() has
       * checked it against this run; returns its step. */
      unsigned int
      read_checkpoint(const std::string &directory, Vector &m, Vector &v);

      void
      write_history() const;

      const bool single_network;

      typename FiniteBasisSpace<dim>::Settings space_settings;
      unsigned int                             n_points_per_direction = 8;
      std::string                              collocation_rule       = "gauss";
      double                                   boundary_weight        = 1.;
      bool                                     hard_constraints       = false;
      Network::Architecture                    architecture;
      double                                   output_scale = 1.;
      TrainingSettings                         training;
      std::string                              output_directory;

      const Problems::Interface<dim> *problem_in_use = nullptr;
      /** The mapping of the run's cells (see get_mapping()). */
      std::unique_ptr<MappingQ<dim>> mapping =
        std::make_unique<MappingQ<dim>>(1);
      /** K: the problem's fields, one network output each. */
      unsigned int                            n_fields             = 1;
      const parallel::TriangulationBase<dim> *triangulation_in_use = nullptr;
      FiniteBasisSpace<dim>                   space;
      std::unique_ptr<Network::MLP<dim>>      network;
      /** PINN: the domain's centre and half-widths. */
      std::array<double, dim> domain_centre{}, domain_half{};
      Vector                  parameters;
      /** A range [begin, end) of coefficients of the space that one rank
       * owns, and the parameter index of its first (fbpinn). */
      struct CoefficientRange
      {
        types::global_dof_index begin, end, first_parameter;
      };
      /** The ranges of all ranks, sorted by begin. */
      std::vector<CoefficientRange> coefficient_ranges;
      std::vector<Term>             terms;
      std::vector<Contribution>     contributions;
      /** S of 'Time slabs' (fbpinn): the slabs trained one after another. */
      unsigned int time_slabs = 1;
      /** Time slabs: the terms of all slabs (terms holds one slab's while
       * it trains), their contributions, and the previous slab's
       * contributions at the slab-start terms. */
      std::vector<Term>         all_terms;
      std::vector<Contribution> all_contributions, previous_contributions;
      ResamplingSettings        resampling;
      /** With resampling: the initial PDE terms, where training.csv's
       * errors are measured (resampled points are not a quadrature). */
      std::vector<Term>         error_terms;
      std::vector<Contribution> error_contributions;
      /** ∫1 over the domain: the quadrature weight of a resampled point is
       * this over the number of PDE points (Monte Carlo). */
      double                  domain_measure         = 0.;
      types::global_dof_index n_global_terms         = 0;
      types::global_dof_index n_global_contributions = 0;
      SolverReport            report;
      /** The contributions of one network (its local first parameter). */
      struct Batch
      {
        unsigned int              first;
        std::vector<unsigned int> members;
      };
      std::vector<Batch> batches;
      /** Work arrays of loss_and_gradient(), kept between steps. */
      mutable std::vector<typename Network::MLP<dim>::BatchTape> batch_tapes;
      /** The jets and adjoints of the K outputs of each contribution, at
       * [contribution K + f]. */
      mutable std::vector<Jet<dim>> network_jets, network_adjoints, batch_jets;
      /** The jets of the K fields at one point, and the outputs of one
       * network there (reused). */
      mutable std::vector<Jet<dim>> point_jets, point_outputs;
      /** The linearisation of the K equations or conditions at one point. */
      mutable Problems::FieldLinearization<dim> point_linearization;
      mutable std::vector<double>               batch_inputs;
      /** Self-adaptive weighting: each term's loss without its weight λ_k,
       * ∂L/∂λ_k, from the last loss_and_gradient() with a gradient. */
      mutable std::vector<double> term_losses;
      /** Self-adaptive or causal weighting: the loss without those
       * weights, from the last loss_and_gradient(). */
      mutable double plain_loss = 0.;
      /** Causal weighting: the weights w_i of the time chunks from the
       * last loss_and_gradient() (all 1 while it is off), the chunks'
       * window [begin, end] in t (the whole interval, or the time slab
       * being trained), and whether the weights are applied (not during
       * L-BFGS, whose line search needs a loss whose gradient is exact). */
      mutable std::vector<double> causal_weights;
      /** Causal weighting with one field: the residual and linearisation of
       * each PDE term from the first pass of loss_and_gradient(). */
      mutable std::vector<double>                            causal_residuals;
      mutable std::vector<Problems::LinearizedResidual<dim>> causal_rows;
      double causal_begin = 0., causal_end = 1.;
      bool   causal_active = false;
      /** The forward tapes of the networks of one point (reused). */
      mutable std::vector<typename Network::MLP<dim>::Workspace> tapes;
      /** λ_m, the weights of the conditions m = 0, ..., M − 1 (the PDE
       * terms have weight 1): 'Boundary weight' or annealed. */
      std::vector<double> condition_weights;
      /** step, wall time, loss, normalized L1, relative L2, then the
       * weights: 1 (PDE) and λ_m. */
      std::vector<std::vector<double>> history;
      /** The columns of a history row before the λ_m. */
      static constexpr unsigned int history_columns       = 6;
      double                        elapsed_before_resume = 0.;
      /** A rank-independent signature of the subdomain boxes and of the
       * global index of each network's first parameter (checkpoints). */
      std::uint64_t layout_signature = 0;
    };


    /** PINN: FBPINN with one network over the whole domain. */
    template <int dim>
    class PINN : public FBPINN<dim>
    {
    public:
      PINN()
        : FBPINN<dim>(true)
      {}

      /** The entries are FBPINN's (declared there). */
      static void
      declare_parameters(ParameterHandler &)
      {}
    };
  } // namespace Methods
} // namespace fbpinn
