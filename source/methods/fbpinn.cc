#include <deal.II/base/quadrature_lib.h>
#include <deal.II/base/timer.h>
#include <deal.II/fe/fe_dgq.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/fe/mapping_q.h>
#include <deal.II/grid/grid_tools.h>
#include <deal.II/lac/solver_control.h>
#include <deal.II/lac/trilinos_vector.h>
#include <deal.II/numerics/data_out.h>
#include <deal.II/optimization/solver_bfgs.h>

#include <fbpinn/basis/finite_basis_values.h>
#include <fbpinn/core/random_features.h>
#include <fbpinn/methods/collocation.h>
#include <fbpinn/methods/fbpinn.h>
#include <fbpinn/network/checkpoint.h>
#include <fbpinn/plugins.h>
#include <fbpinn/postprocess/output.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <iomanip>
#include <iostream>
#include <limits>
#include <map>
#include <sstream>
#include <stdexcept>

namespace fbpinn
{
  namespace Methods
  {
    namespace
    {
      /**
       * The adjoint of b in u = a b (product rule of jets, a fixed): given
       * ū = ∂F/∂J[u], returns ∂F/∂J[b].
       */
      template <int dim>
      Jet<dim>
      product_adjoint(const Jet<dim> &a, const Jet<dim> &ubar)
      {
        Jet<dim> bbar;
        bbar.value = ubar.value * a.value;
        for (int d = 0; d < dim; ++d)
          {
            bbar.value += ubar.gradient[d] * a.gradient[d];
            bbar.gradient[d] = ubar.gradient[d] * a.value;
            for (int e = 0; e < dim; ++e)
              {
                bbar.value += ubar.hessian[d][e] * a.hessian[d][e];
                // u_de ∋ a_d b_e + a_e b_d
                bbar.gradient[e] += ubar.hessian[d][e] * a.gradient[d];
                bbar.gradient[d] += ubar.hessian[d][e] * a.gradient[e];
                bbar.hessian[d][e] = ubar.hessian[d][e] * a.value;
              }
          }
        return bbar;
      }


      template <int dim>
      Jet<dim>
      scaled(Jet<dim> u, const double s)
      {
        u.value *= s;
        for (int d = 0; d < dim; ++d)
          {
            u.gradient[d] *= s;
            for (int e = 0; e < dim; ++e)
              u.hessian[d][e] *= s;
          }
        return u;
      }


      /** The exact values u*_f of every field at @p x (NaN without an exact
       * solution); one field through the scalar known_exact(). */
      template <int dim>
      void
      known_exact_fields(const Problems::Interface<dim> &problem,
                         const Point<dim>               &x,
                         std::vector<double>            &exact)
      {
        const unsigned int n = problem.n_fields();
        if (n == 1)
          exact.assign(1, Problems::known_exact(problem, x));
        else if (problem.has_exact_solution())
          {
            std::vector<Tensor<1, dim>> gradients;
            problem.exact_fields(x, exact, gradients);
          }
        else
          exact.assign(n, std::numeric_limits<double>::quiet_NaN());
      }


      /** The forcing f_e of every equation and the exact value u*_f of every
       * field at @p x, for the PDE terms of a point. */
      template <int dim>
      void
      pde_point_data(const Problems::Interface<dim> &problem,
                     const Point<dim>               &x,
                     std::vector<double>            &forcing,
                     std::vector<double>            &exact)
      {
        if (problem.n_fields() == 1)
          forcing.assign(1, problem.forcing(x));
        else
          problem.forcing_fields(x, forcing);
        known_exact_fields(problem, x, exact);
      }


      /** A key of a box, from the bits of its centre and half-widths, for
       * rank-independent initial parameters. */
      template <int dim>
      std::uint64_t
      box_key(const std::array<double, dim> &centre,
              const std::array<double, dim> &half)
      {
        std::uint64_t key = 0x9e3779b97f4a7c15ULL;
        for (int d = 0; d < dim; ++d)
          for (const double value : {centre[d], half[d]})
            {
              std::uint64_t bits;
              std::memcpy(&bits, &value, sizeof bits);
              key = (key ^ bits) * 0x100000001b3ULL;
              key ^= key >> 29;
            }
        return key;
      }


      std::vector<unsigned int>
      parse_widths(const std::string &text)
      {
        std::vector<unsigned int> widths;
        // Split by hand: split_string_list drops a trailing empty item, so
        // "16," would pass as "16" where "32,,32" is rejected.
        std::vector<std::string> items(1);
        for (const char c : text)
          if (c == ',')
            items.emplace_back();
          else if (!std::isspace(static_cast<unsigned char>(c)))
            items.back() += c;
        if (items.size() == 1 && items.front().empty())
          items.clear();
        for (const std::string &item : items)
          {
            std::size_t end   = 0;
            int         value = -1;
            try
              {
                value = std::stoi(item, &end);
              }
            catch (const std::exception &)
              {}
            if (value <= 0 || end != item.size())
              throw std::invalid_argument(
                "subsection Network, entry 'Hidden layers' = '" + text +
                "': expected positive layer widths separated by commas, "
                "e.g. 32 or 32,32");
            widths.push_back(value);
          }
        if (widths.empty())
          throw std::invalid_argument(
            "subsection Network, entry 'Hidden layers' is empty: give at "
            "least one layer width, e.g. 32");
        return widths;
      }
    } // namespace


    template <int dim>
    FBPINN<dim>::FBPINN()
      : FBPINN(false)
    {}


    template <int dim>
    FBPINN<dim>::FBPINN(const bool single_network)
      : single_network(single_network)
    {}


    template <int dim>
    void
    FBPINN<dim>::declare_parameters(ParameterHandler &prm)
    {
      prm.enter_subsection("FBPINN");
      {
        prm.declare_entry("Overlap factor",
                          "2.0",
                          Patterns::Double(1.),
                          "δ: each subdomain's box is its cell's bounding box "
                          "scaled by δ about its centre, as in ELM (fbpinn "
                          "only; pinn has one network on the whole domain).");
        prm.declare_entry("Levels",
                          "1",
                          Patterns::Integer(1),
                          "L: the levels of the multilevel FBPINN (Dolean, "
                          "Heinlein, Mishra, Moseley 2024), the hierarchy of "
                          "ELM's 'Levels': level L − 1 is the active mesh, "
                          "each coarser level the parents of the next, one "
                          "network per subdomain of every level with the "
                          "level's own partition of unity, and u the average "
                          "of the levels' sums. L > 1 needs a uniformly "
                          "refined mesh with at least L − 1 global "
                          "refinements (fbpinn only).");
        prm.declare_entry("Collocation points per direction",
                          "8",
                          Patterns::Integer(1),
                          "n_q: collocation points per direction and cell "
                          "(n_q^dim per cell, n_q^(dim−1) per boundary face).");
        prm.declare_entry("Collocation rule",
                          "gauss",
                          Patterns::Selection("gauss|uniform"),
                          "gauss: Gauss points and weights; uniform: the "
                          "midpoints of n_q equal intervals per direction.");
        prm.declare_entry("Resampling",
                          "none",
                          Patterns::Selection("none|rad|rar"),
                          "Adaptive sampling of the PDE points every "
                          "'Resampling interval' Adam steps (Wu et al. 2023): "
                          "rad replaces them by as many points drawn from "
                          "random candidates with probability ∝ |r|^k / "
                          "mean|r|^k + c; rar adds the 'RAR points' "
                          "candidates of largest |r|. Points stay in the cell "
                          "they are drawn in; the errors of training.csv stay "
                          "at the initial points.");
        prm.declare_entry("Resampling interval",
                          "1000",
                          Patterns::Integer(1),
                          "Adam steps between resamplings.");
        prm.declare_entry("Candidate factor",
                          "4",
                          Patterns::Integer(1),
                          "Random candidates per cell and resampling: this "
                          "factor times n_q^dim.");
        prm.declare_entry("RAD exponent",
                          "1.0",
                          Patterns::Double(0.),
                          "k of rad (k = 0: uniform random points).");
        prm.declare_entry("RAD constant",
                          "1.0",
                          Patterns::Double(0.),
                          "c of rad (c → ∞: uniform random points).");
        prm.declare_entry("RAR points",
                          "100",
                          Patterns::Integer(1),
                          "The points rar adds per resampling (over all "
                          "ranks).");
        prm.declare_entry("Boundary weight",
                          "1.0",
                          Patterns::Double(0.),
                          "λ_b: the weight of each boundary and condition "
                          "term (the initial weight with 'Loss weighting' = "
                          "annealing); with quadrature, scaled as in ELM by "
                          "the squared size of the operator.");
        prm.declare_entry("Hard constraints",
                          "false",
                          Patterns::Bool(),
                          "Use the problem's hard-constraint ansatz u = g + "
                          "d·v instead of boundary terms.");
        prm.declare_entry("Seed",
                          "0",
                          Patterns::Integer(0),
                          "The key of the initial network parameters.");
        prm.declare_entry(
          "Time slabs",
          "1",
          Patterns::Integer(1),
          "S: time-dependent problems only (fbpinn). The time axis is cut "
          "into S slabs trained one after another, as the line scheduler of "
          "the FBPINNs code: a training phase of 'Steps' Adam steps (and the "
          "L-BFGS steps) per slab in which only the slab's networks are "
          "trained, on the slab's points, with the networks of the slabs "
          "before fixed; the slab's partition of unity is its own, and terms "
          "u = u_{s−1} at its start tie it to the previous slab (as ELM's "
          "'Time slabs'). The cells along t ('Time subdivisions' × "
          "2^'Global refinements') must be a multiple of S; 'Levels' = 1.");
      }
      prm.leave_subsection();

      prm.enter_subsection("Network");
      {
        prm.declare_entry("Hidden layers",
                          "32",
                          Patterns::Anything(),
                          "The widths of the hidden layers, comma separated "
                          "(e.g. 32 or 32,32); the output layer is linear.");
        prm.declare_entry("Activation",
                          "tanh",
                          Patterns::Selection("tanh|sin"),
                          "The activation of the hidden layers.");
        prm.declare_entry("Fourier features",
                          "0",
                          Patterns::Integer(0),
                          "m > 0: map the (subdomain-normalised) input y to "
                          "random Fourier features [sin(2π σ B y), cos(2π σ B "
                          "y)], B (m × dim) standard normal and fixed (Tancik "
                          "et al. 2020; Wang, Wang, Perdikaris 2021), before "
                          "the hidden layers; 0: none.");
        prm.declare_entry("Fourier scale",
                          "1.0",
                          Patterns::Double(0.),
                          "σ of the Fourier features: their frequencies are "
                          "2π σ times standard normal numbers per unit of y.");
        prm.declare_entry("Output scale",
                          "1.0",
                          Patterns::Double(),
                          "s: the one global output unnormalisation, u = s "
                          "Σ ψ_j N_j (before the ansatz).");
      }
      prm.leave_subsection();

      prm.enter_subsection("Training");
      {
        prm.declare_entry("Learning rate",
                          "1e-3",
                          Patterns::Double(0.),
                          "Adam's learning rate α_0.");
        prm.declare_entry("Steps", "1000", Patterns::Integer(0), "Adam steps.");
        prm.declare_entry("Learning rate schedule",
                          "exponential",
                          Patterns::Selection("exponential|step|cosine"),
                          "The learning rate α_k of Adam step k: exponential "
                          "α_0 γ^k; step α_0 γ^⌊k/K⌋ (K = 'Learning rate "
                          "step interval'); cosine α_f + (α_0 − α_f)(1 + "
                          "cos(π k/N))/2 over the N = 'Steps' (Loshchilov and "
                          "Hutter 2017; α_f = 'Final learning rate').");
        prm.declare_entry("Learning rate decay",
                          "1.0",
                          Patterns::Double(0., 1.),
                          "γ of the exponential (per step) and step (per "
                          "interval) schedules; 1: a constant rate.");
        prm.declare_entry("Learning rate step interval",
                          "1000",
                          Patterns::Integer(1),
                          "K: the step schedule multiplies the rate by γ "
                          "every K steps.");
        prm.declare_entry("Final learning rate",
                          "0",
                          Patterns::Double(0.),
                          "α_f: the rate the cosine schedule ends at.");
        prm.declare_entry("L-BFGS steps",
                          "0",
                          Patterns::Integer(0),
                          "Iterations of L-BFGS (deal.II SolverBFGS) after "
                          "Adam; 0: none.");
        prm.declare_entry("L-BFGS history",
                          "50",
                          Patterns::Integer(1),
                          "The number of past steps from which L-BFGS builds "
                          "its Hessian approximation (deal.II's default is 5; "
                          "on the oscillator 50 lowers the loss 4x more in "
                          "1000 iterations).");
        prm.declare_entry("Progress interval",
                          "1000",
                          Patterns::Integer(0),
                          "Every this many steps: a line on screen and a row "
                          "of training.csv; 0: only the first and last.");
        prm.declare_entry("Checkpoint interval",
                          "0",
                          Patterns::Integer(0),
                          "Every this many Adam steps, write the parameters "
                          "and the optimiser state to "
                          "<output directory>/checkpoint.bin (atomically); 0: "
                          "never.");
        prm.declare_entry("Resume from",
                          "",
                          Patterns::Anything(),
                          "A directory with a checkpoint.bin of the same "
                          "method, network and mesh: continue from its step "
                          "(on any number of ranks). The file's format, "
                          "CRC-32, network, subdomains and step are checked "
                          "first.");
        prm.declare_entry("Divergence factor",
                          "1e8",
                          Patterns::Double(1.),
                          "Stop with an error when the loss is not finite or "
                          "exceeds this factor times its smallest value so "
                          "far. A training whose final loss is above its "
                          "first also ends with an error. With 'Resampling' "
                          "(the losses at other points do not compare), the "
                          "smallest value restarts at every resampling, and "
                          "the final loss is compared with the loss of the "
                          "initial parameters at the final points.");
        prm.declare_entry(
          "Loss weighting",
          "normalized",
          Patterns::Selection("normalized|quadrature|annealing|self-adaptive"),
          "normalized: the mean over its points of each term's squared "
          "residual divided by its operator scale (PDE r/σ, condition b/σ_b), "
          "conditions weighted by 'Boundary weight'; quadrature: ELM's "
          "least-squares functional (JxW weights, conditions by σ² λ_b), as "
          "before this entry existed; annealing: normalized terms with "
          "condition weights from gradient norms (Wang, Teng, Perdikaris "
          "2021), in training.csv; self-adaptive: normalized terms times "
          "one weight per point, trained by gradient ascent with Adam at the "
          "same learning rate (McClenny and Braga-Neto 2023), their means in "
          "training.csv.");
        prm.declare_entry("Annealing average",
                          "0.9",
                          Patterns::Double(0., 1.),
                          "α: the weight of the old value in the moving "
                          "average λ ← α λ + (1 − α) max|∇L_r| / mean|∇λ L_b| "
                          "(annealing only).");
        prm.declare_entry("Annealing interval",
                          "100",
                          Patterns::Integer(1),
                          "Annealing updates the weights every this many Adam "
                          "steps (each update costs one gradient per term).");
        prm.declare_entry(
          "Causal weighting",
          "false",
          Patterns::Bool(),
          "Time-dependent problems: weight the PDE terms of time chunk i by "
          "w_i = exp(−ε Σ_{k<i} L_k), L_k the mean loss of chunk k, the "
          "weights held constant in the gradient (causal training: Wang, "
          "Sankaran and Perdikaris 2024, the rule of jaxpi), so that later "
          "times are fitted once earlier ones are; the chunks cut the time "
          "interval (with 'Time slabs' the slab being trained) into equal "
          "parts. Adam only: L-BFGS steps use weights 1. The weights go to "
          "training.csv (causal_weight_i).");
        prm.declare_entry("Causal chunks",
                          "16",
                          Patterns::Integer(2),
                          "The number of time chunks of causal weighting.");
        prm.declare_entry("Causal epsilon",
                          "1.0",
                          Patterns::Double(0.),
                          "ε of causal weighting (jaxpi's causal_tol): larger "
                          "values hold later chunks back longer.");
      }
      prm.leave_subsection();
    }


    template <int dim>
    void
    FBPINN<dim>::parse_parameters(ParameterHandler &prm)
    {
      prm.enter_subsection("FBPINN");
      {
        space_settings.overlap    = prm.get_double("Overlap factor");
        space_settings.seed       = prm.get_integer("Seed");
        space_settings.subsection = "FBPINN";
        space_settings.n_levels   = prm.get_integer("Levels");
        if (single_network && space_settings.n_levels > 1)
          throw std::invalid_argument(
            "subsection FBPINN, entry 'Levels' = " +
            std::to_string(space_settings.n_levels) +
            ": the pinn has one network on the whole domain and no levels; "
            "set it to 1, or use Method = fbpinn");
        n_points_per_direction =
          prm.get_integer("Collocation points per direction");
        collocation_rule            = prm.get("Collocation rule");
        boundary_weight             = prm.get_double("Boundary weight");
        hard_constraints            = prm.get_bool("Hard constraints");
        resampling.method           = prm.get("Resampling");
        resampling.interval         = prm.get_integer("Resampling interval");
        resampling.candidate_factor = prm.get_integer("Candidate factor");
        resampling.rad_exponent     = prm.get_double("RAD exponent");
        resampling.rad_constant     = prm.get_double("RAD constant");
        resampling.rar_points       = prm.get_integer("RAR points");
        time_slabs                  = prm.get_integer("Time slabs");
        if (single_network && time_slabs > 1)
          throw std::invalid_argument(
            "subsection FBPINN, entry 'Time slabs' = " +
            std::to_string(time_slabs) +
            ": the pinn has one network on the whole domain, which no slab "
            "owns; use Method = fbpinn (one cell along x gives one network "
            "per slab, a time-marching PINN), or 'Time slabs' = 1");
        if (resampling.method == "rad" && resampling.rad_exponent == 0. &&
            resampling.rad_constant == 0.)
          throw std::invalid_argument(
            "subsection FBPINN, entries 'RAD exponent' and 'RAD constant' are "
            "both 0, which leaves rad without a distribution; set 'RAD "
            "constant' > 0");
      }
      prm.leave_subsection();
      prm.enter_subsection("Network");
      {
        architecture.input_dimension = dim;
        architecture.hidden          = parse_widths(prm.get("Hidden layers"));
        architecture.activation =
          prm.get("Activation") == "tanh" ? Activation::tanh : Activation::sin;
        output_scale                  = prm.get_double("Output scale");
        architecture.fourier_features = prm.get_integer("Fourier features");
        architecture.fourier_scale    = prm.get_double("Fourier scale");
      }
      prm.leave_subsection();
      prm.enter_subsection("Training");
      {
        training.learning_rate          = prm.get_double("Learning rate");
        training.steps                  = prm.get_integer("Steps");
        training.learning_rate_schedule = prm.get("Learning rate schedule");
        training.learning_rate_decay    = prm.get_double("Learning rate decay");
        training.learning_rate_step_interval =
          prm.get_integer("Learning rate step interval");
        training.final_learning_rate = prm.get_double("Final learning rate");
        if (training.learning_rate_schedule == "cosine" &&
            training.final_learning_rate > training.learning_rate)
          throw std::invalid_argument(
            "subsection Training, entry 'Final learning rate' = " +
            prm.get("Final learning rate") +
            " is above 'Learning rate' = " + prm.get("Learning rate") +
            ": the cosine schedule decreases the rate; lower it");
        training.lbfgs_steps         = prm.get_integer("L-BFGS steps");
        training.lbfgs_history       = prm.get_integer("L-BFGS history");
        training.progress_interval   = prm.get_integer("Progress interval");
        training.checkpoint_interval = prm.get_integer("Checkpoint interval");
        training.resume_from         = prm.get("Resume from");
        training.divergence_factor   = prm.get_double("Divergence factor");
        training.loss_weighting      = prm.get("Loss weighting");
        training.annealing_average   = prm.get_double("Annealing average");
        training.annealing_interval  = prm.get_integer("Annealing interval");
        training.causal              = prm.get_bool("Causal weighting");
        training.causal_chunks       = prm.get_integer("Causal chunks");
        training.causal_epsilon      = prm.get_double("Causal epsilon");
      }
      prm.leave_subsection();
      network = std::make_unique<Network::MLP<dim>>(architecture);
      space_settings.n_features = network->n_parameters();
    }


    template <int dim>
    types::global_dof_index
    FBPINN<dim>::parameter_index(const types::global_dof_index i) const
    {
      // The last range that begins at or before i.
      auto range =
        std::upper_bound(coefficient_ranges.begin(),
                         coefficient_ranges.end(),
                         i,
                         [](const types::global_dof_index j,
                            const CoefficientRange &r) { return j < r.begin; });
      if (range == coefficient_ranges.begin() || i >= (--range)->end)
        throw std::logic_error("FBPINN: a coefficient that no rank owns");
      return range->first_parameter + (i - range->begin);
    }


    template <int dim>
    types::global_dof_index
    FBPINN<dim>::first_parameter(
      const typename FiniteBasisSpace<dim>::Subdomain &subdomain) const
    {
      return parameter_index(subdomain.dof_indices.front());
    }


    template <int dim>
    void
    FBPINN<dim>::set_output_directory(const std::string &directory)
    {
      output_directory = directory;
    }


    template <int dim>
    void
    FBPINN<dim>::add_contributions(
      const typename Triangulation<dim>::active_cell_iterator &cell,
      const Point<dim>                                        &x,
      std::vector<Contribution>                               &out,
      const bool previous_slab) const
    {
      if (single_network)
        {
          Contribution c;
          c.psi.value = 1.;
          for (int d = 0; d < dim; ++d)
            {
              c.inverse_half[d] = 1. / domain_half[d];
              c.y[d]            = (x[d] - domain_centre[d]) / domain_half[d];
            }
          c.first = parameters.get_partitioner()->global_to_local(0);
          out.push_back(c);
          return;
        }
      FiniteBasisValues<dim> values(space);
      values.reinit(cell, {x}, {1.}, previous_slab);
      const auto        &covering = previous_slab ?
                                      space.previous_slab_subdomains(cell) :
                                      space.covering_subdomains(cell);
      const auto        &indices  = values.get_dof_indices();
      const unsigned int P        = network->n_parameters();
      for (unsigned int s = 0; s < values.n_slots(); ++s)
        if (values.slot_is_active(s, 0))
          {
            const auto &subdomain = space.subdomain(covering[s]);
            if (subdomain.dof_indices.front() != indices[s * P])
              throw std::logic_error("FBPINN: slots and covering subdomains "
                                     "are not in the same order");
            Contribution c;
            c.psi = values.partition_of_unity(s, 0);
            for (int d = 0; d < dim; ++d)
              {
                c.inverse_half[d] = 1. / subdomain.half_width[d];
                c.y[d] = (x[d] - subdomain.centre[d]) / subdomain.half_width[d];
              }
            c.first = parameters.get_partitioner()->global_to_local(
              first_parameter(subdomain));
            out.push_back(c);
          }
    }


    namespace
    {
      /**
       * Append the terms of @p source that @p keep selects to @p terms, with
       * their contributions copied from @p source_contributions to
       * @p contributions; consecutive terms that share contributions (the
       * terms of one point) share the copy.
       */
      template <typename Term, typename Contribution, typename Keep>
      void
      copy_terms(const std::vector<Term>         &source,
                 const std::vector<Contribution> &source_contributions,
                 const Keep                      &keep,
                 std::vector<Term>               &terms,
                 std::vector<Contribution>       &contributions)
      {
        unsigned int last_begin = numbers::invalid_unsigned_int;
        unsigned int begin = 0, end = 0;
        for (const Term &t : source)
          if (keep(t))
            {
              if (t.begin != last_begin)
                {
                  last_begin = t.begin;
                  begin      = contributions.size();
                  contributions.insert(contributions.end(),
                                       source_contributions.begin() + t.begin,
                                       source_contributions.begin() + t.end);
                  end = contributions.size();
                }
              terms.push_back(t);
              terms.back().begin = begin;
              terms.back().end   = end;
            }
      }
    } // namespace


    template <int dim>
    void
    FBPINN<dim>::set_up_terms(
      const Problems::Interface<dim>         &problem,
      const parallel::TriangulationBase<dim> &triangulation)
    {
      terms.clear();
      contributions.clear();
      previous_contributions.clear();
      Collocation::Geometry<dim> geometry(collocation_rule,
                                          n_points_per_direction,
                                          *mapping);
      const auto                &cell_rule     = geometry.cell_rule;
      const auto                &face_rule     = geometry.face_rule;
      auto                      &cell_geometry = geometry.cell;
      auto                      &face_geometry = geometry.face;
      const unsigned int         K             = n_fields;
      const bool quadrature = training.loss_weighting == "quadrature";
      // The size σ_b of condition m at x on the cell: the operator scale of
      // its linearisation (a u + g·∇u + ...) with the cell's half-widths.
      const auto condition_scale_squared = [&](const auto              &cell,
                                               const unsigned int       m,
                                               const types::boundary_id id,
                                               const Point<dim>        &x,
                                               const Tensor<1, dim> &normal) {
        const auto op =
          problem.linearize_boundary_condition(m, id, x, normal, Jet<dim>());
        const double sigma = Collocation::operator_scale(problem, cell, &op);
        return sigma * sigma;
      };
      // With quadrature weighting, a natural condition of the boundary
      // descriptor (Φ·n ~ u/h) is divided by its own size σ_b² so that it
      // weighs like a Dirichlet term (σ_b = 1); the problem's own conditions
      // keep σ².
      const auto natural_scale_squared = [&](const auto              &cell,
                                             const unsigned int       m,
                                             const types::boundary_id id,
                                             const Point<dim>        &x,
                                             const Tensor<1, dim>    &normal) {
        if (!problem.conditions_by_boundary_id() ||
            problem.boundary_conditions().kind(id, 0) ==
              Problems::BoundaryKind::dirichlet)
          return 1.;
        return condition_scale_squared(cell, m, id, x, normal);
      };
      // The contributions of the networks at x, shared by the terms of x
      // that follow (see Term).
      unsigned int begin = 0, end = 0;
      // The time slab of the current cell ('Time slabs' > 1).
      unsigned int cell_slab = 0;
      const auto   add_point = [&](const auto &cell, const Point<dim> &x) {
        begin = contributions.size();
        add_contributions(cell, x, contributions);
        end = contributions.size();
      };
      // The loss weight of a term, before normalized weighting divides it
      // by the number of points of its kind (below).
      const auto add_term = [&](const Point<dim>        &x,
                                const double             weight,
                                const double             quadrature_weight,
                                const int                condition,
                                const Tensor<1, dim>    &normal,
                                const types::boundary_id id =
                                  numbers::internal_face_boundary_id) {
        Term t;
        t.boundary_id       = id;
        t.x                 = x;
        t.normal            = normal;
        t.weight            = weight;
        t.quadrature_weight = quadrature_weight;
        t.condition         = condition;
        t.slab              = cell_slab;
        ansatz(x, t.g, t.d);
        t.begin = begin;
        t.end   = end;
        terms.push_back(t);
      };

      std::vector<double>               sigma2(K), forcing(K), exact(K);
      const std::vector<Jet<dim>>       zero(K);
      Problems::FieldLinearization<dim> boundary_op;
      std::vector<unsigned int>         conditioned_fields;
      for (unsigned int f = 0; f < K; ++f)
        if (K == 1 || problem.field_has_boundary_data(f))
          conditioned_fields.push_back(f);
      for (const auto &cell : triangulation.active_cell_iterators())
        if (cell->is_locally_owned())
          {
            cell_geometry.reinit(cell);
            cell_slab = time_slabs > 1 ? space.slab_of_cell(cell) : 0;
            pde_scales_squared(cell, sigma2);
            // σ²: the largest equation's, which quadrature weighting scales
            // the conditions by (as ELM's rows).
            const double sigma2_max =
              *std::max_element(sigma2.begin(), sigma2.end());
            for (unsigned int q = 0; q < cell_rule.size(); ++q)
              {
                const Point<dim> &x = cell_geometry.quadrature_point(q);
                add_point(cell, x);
                pde_point_data(problem, x, forcing, exact);
                for (unsigned int e = 0; e < K; ++e)
                  {
                    add_term(x,
                             quadrature ? cell_geometry.JxW(q) : 1. / sigma2[e],
                             cell_geometry.JxW(q),
                             -1,
                             Tensor<1, dim>());
                    Term &t                 = terms.back();
                    t.equation              = e;
                    t.inverse_scale_squared = 1. / sigma2[e];
                    t.forcing               = forcing[e];
                    t.exact                 = exact[e];
                  }
              }
            // The terms u = u_{s−1} on the lower face of a cell at the start
            // of slab s > 0 (also with hard constraints, whose ansatz ties
            // only t = 0): condition 0 of the slab, with the size of a
            // Dirichlet term, as ELM's slab-start rows.
            const unsigned int lower_face = 2 * (dim - 1);
            if (time_slabs > 1 && space.starts_slab(cell))
              {
                face_geometry.reinit(cell, lower_face);
                for (unsigned int q = 0; q < face_rule.size(); ++q)
                  {
                    const Point<dim> &x = face_geometry.quadrature_point(q);
                    add_point(cell, x);
                    add_term(x,
                             quadrature ? sigma2_max * boundary_weight *
                                            face_geometry.JxW(q) :
                                          1.,
                             face_geometry.JxW(q),
                             0,
                             face_geometry.normal_vector(q));
                    Term &t          = terms.back();
                    t.slab_start     = true;
                    t.previous_begin = previous_contributions.size();
                    add_contributions(cell,
                                      x,
                                      previous_contributions,
                                      /*previous_slab=*/true);
                    t.previous_end = previous_contributions.size();
                    if (problem.time_derivative_order() == 2)
                      {
                        // u_t = u_t,s−1: condition 1 (as the initial u_t),
                        // of its own size 1/h_t; the same contributions.
                        Problems::LinearizedResidual<dim> rate;
                        rate.d_gradient[dim - 1] = 1.;
                        const double sigma_b =
                          Collocation::operator_scale(problem, cell, &rate);
                        Term copy            = terms.back();
                        copy.condition       = 1;
                        copy.slab_start_rate = true;
                        // (Quadrature weighting: the weight of the u term,
                        // as for the initial u_t, a Dirichlet id's.)
                        if (!quadrature)
                          copy.weight = 1. / (sigma_b * sigma_b);
                        terms.push_back(copy);
                      }
                  }
              }
            if (hard_constraints)
              continue;
            double h[dim];
            Collocation::half_widths(cell, h);
            for (const unsigned int f : cell->face_indices())
              if (cell->face(f)->at_boundary() &&
                  !problem.boundary_conditions().is_free(
                    cell->face(f)->boundary_id()))
                {
                  face_geometry.reinit(cell, f);
                  const types::boundary_id id = cell->face(f)->boundary_id();
                  for (unsigned int q = 0; q < face_rule.size(); ++q)
                    {
                      const Point<dim> &x = face_geometry.quadrature_point(q);
                      const Tensor<1, dim> &normal =
                        face_geometry.normal_vector(q);
                      const double JxW = face_geometry.JxW(q);
                      if (K == 1)
                        {
                          const unsigned int n_conditions =
                            problem.n_boundary_conditions(id, x);
                          // One field: each condition with contributions
                          // of its own, as before systems existed (sharing
                          // them reorders the sums of the reverse pass, and
                          // round-off changes the Adam trajectory of the
                          // oscillator's soft case from L1 2.1e-3 to 3.2e-3).
                          for (unsigned int m = 0; m < n_conditions; ++m)
                            {
                              add_point(cell, x);
                              add_term(x,
                                       quadrature ?
                                         sigma2_max * boundary_weight * JxW /
                                           natural_scale_squared(cell,
                                                                 m,
                                                                 id,
                                                                 x,
                                                                 normal) :
                                         1. / condition_scale_squared(cell,
                                                                      m,
                                                                      id,
                                                                      x,
                                                                      normal),
                                       JxW,
                                       m,
                                       normal,
                                       id);
                            }
                          continue;
                        }
                      // A system: one term per field with boundary data
                      // (condition m = the field), Dirichlet of size 1,
                      // natural ones of their own size (as ELM's rows).
                      add_point(cell, x);
                      problem.linearize_boundary_fields(id,
                                                        x,
                                                        normal,
                                                        zero,
                                                        boundary_op);
                      for (const unsigned int field : conditioned_fields)
                        {
                          double size =
                            problem.boundary_conditions().kind(id, field) ==
                                Problems::BoundaryKind::dirichlet ?
                              1. :
                              Collocation::row_size(boundary_op, field, h);
                          if (!(size > 0.))
                            size = 1.;
                          add_term(x,
                                   quadrature ? sigma2_max * boundary_weight *
                                                  JxW / (size * size) :
                                                1. / (size * size),
                                   JxW,
                                   field,
                                   normal,
                                   id);
                        }
                    }
                }
          }
      // Interior condition points (the rank of the smallest containing cell;
      // one field only, see solve()).
      if (!hard_constraints)
        for (const auto &[owner, p] :
             Collocation::owned_condition_points(problem,
                                                 triangulation,
                                                 *mapping))
          {
            std::vector<double> owner_sigma2(K);
            pde_scales_squared(owner, owner_sigma2);
            for (unsigned int m = 0; m < problem.n_boundary_conditions(
                                           numbers::internal_face_boundary_id,
                                           p);
                 ++m)
              {
                add_point(owner, p);
                add_term(p,
                         quadrature ? owner_sigma2[0] * boundary_weight :
                                      1. / condition_scale_squared(
                                             owner,
                                             m,
                                             numbers::internal_face_boundary_id,
                                             p,
                                             Tensor<1, dim>()),
                         1.,
                         m,
                         Tensor<1, dim>());
              }
          }
      build_batches();
      const MPI_Comm comm = triangulation.get_communicator();

      // The conditions m = 0, ..., M − 1 and, for normalized weighting, the
      // mean over the points of each kind: w /= (number of its points).
      int n_conditions = 0;
      for (const Term &t : terms)
        n_conditions = std::max(n_conditions, t.condition + 1);
      n_conditions = Utilities::MPI::max(n_conditions, comm);
      // (A PDE point counts once, whatever its number of equations.) With
      // time slabs the means are over the points of each slab, the loss
      // one slab's training phase sees.
      std::vector<double> counts(time_slabs * (n_conditions + 1), 0.);
      const auto          kind = [&](const Term &t) {
        return t.slab * (n_conditions + 1) + t.condition + 1;
      };
      for (const Term &t : terms)
        counts[kind(t)] += t.condition >= 0 || t.equation == 0;
      Utilities::MPI::sum(ArrayView<const double>(counts.data(), counts.size()),
                          comm,
                          ArrayView<double>(counts.data(), counts.size()));
      if (!quadrature)
        for (Term &t : terms)
          t.weight /= counts[kind(t)];
      // Quadrature weighting has λ_b in the term weights already.
      condition_weights.assign(n_conditions, quadrature ? 1. : boundary_weight);

      // With resampling, the errors stay at the initial PDE points.
      error_terms.clear();
      error_contributions.clear();
      domain_measure = 0.;
      if (resampling.method != "none")
        {
          copy_terms(
            terms,
            contributions,
            [](const Term &t) { return t.condition < 0; },
            error_terms,
            error_contributions);
          for (const Term &t : error_terms)
            if (t.equation == 0)
              domain_measure += t.quadrature_weight;
          domain_measure = Utilities::MPI::sum(domain_measure, comm);
        }
    }


    template <int dim>
    void
    FBPINN<dim>::build_batches()
    {
      std::map<unsigned int, std::vector<unsigned int>> by_network;
      for (unsigned int i = 0; i < contributions.size(); ++i)
        by_network[contributions[i].first].push_back(i);
      batches.clear();
      for (auto &[first, members] : by_network)
        batches.push_back({first, std::move(members)});
      batch_tapes.clear();

      const MPI_Comm comm = triangulation_in_use->get_communicator();
      n_global_terms =
        Utilities::MPI::sum<types::global_dof_index>(terms.size(), comm);
      n_global_contributions =
        Utilities::MPI::sum<types::global_dof_index>(contributions.size(),
                                                     comm);
    }


    template <int dim>
    void
    FBPINN<dim>::select_slab(const unsigned int s)
    {
      // The targets u_{s−1} of the slab-start terms: the networks of slab
      // s − 1 are trained (or s = 0, which has none).
      for (Term &t : all_terms)
        if (t.slab == s && t.slab_start)
          {
            Jet<dim> u;
            evaluate(parameters,
                     t.g,
                     t.d,
                     previous_contributions.data() + t.previous_begin,
                     previous_contributions.data() + t.previous_end,
                     &u);
            t.target = t.slab_start_rate ? u.gradient[dim - 1] : u.value;
          }
      terms.clear();
      contributions.clear();
      copy_terms(
        all_terms,
        all_contributions,
        [s](const Term &t) { return t.slab == s; },
        terms,
        contributions);
      build_batches();
    }


    template <int dim>
    types::global_dof_index
    FBPINN<dim>::n_global_pde_points() const
    {
      types::global_dof_index n = 0;
      for (const Term &t : terms)
        n += t.condition < 0 && t.equation == 0;
      return Utilities::MPI::sum(n, triangulation_in_use->get_communicator());
    }


    template <int dim>
    void
    FBPINN<dim>::pde_scales_squared(
      const typename Triangulation<dim>::active_cell_iterator &cell,
      std::vector<double>                                     &sigma2) const
    {
      const Problems::Interface<dim> &problem = *problem_in_use;
      sigma2.resize(n_fields);
      if (n_fields == 1)
        {
          const auto constant_operator =
            problem.linearize_operator(Point<dim>(), Jet<dim>());
          const double sigma =
            Collocation::operator_scale(problem,
                                        cell,
                                        !problem.has_variable_coefficients() ?
                                          &constant_operator :
                                          nullptr);
          sigma2[0] = sigma * sigma;
          return;
        }
      // Each equation's own size at the zero jets, at the cell centre
      // where the coefficients vary.
      const std::vector<Jet<dim>> zero(n_fields);
      problem.linearize_fields(problem.has_variable_coefficients() ?
                                 cell->center() :
                                 Point<dim>(),
                               zero,
                               point_linearization);
      double h[dim];
      Collocation::half_widths(cell, h);
      for (unsigned int e = 0; e < n_fields; ++e)
        {
          const double sigma = Collocation::row_size(point_linearization, e, h);
          sigma2[e]          = sigma > 0. ? sigma * sigma : 1.;
        }
    }


    template <int dim>
    void
    FBPINN<dim>::pde_residuals(const Point<dim>    &x,
                               const Jet<dim>      *u,
                               std::vector<double> &r) const
    {
      const Problems::Interface<dim> &problem = *problem_in_use;
      r.resize(n_fields);
      if (n_fields == 1)
        {
          r[0] = problem.linearize(x, u[0]).residual;
          return;
        }
      point_jets.assign(u, u + n_fields);
      problem.linearize_fields(x, point_jets, point_linearization);
      std::vector<double> forcing;
      problem.forcing_fields(x, forcing);
      for (unsigned int e = 0; e < n_fields; ++e)
        r[e] = point_linearization.residual[e] - forcing[e];
    }


    template <int dim>
    void
    FBPINN<dim>::resample(const Vector &theta, const unsigned int round)
    {
      const Problems::Interface<dim>         &problem = *problem_in_use;
      const parallel::TriangulationBase<dim> &triangulation =
        *triangulation_in_use;
      const MPI_Comm     comm = triangulation.get_communicator();
      const bool         rad  = resampling.method == "rad";
      const unsigned int n_candidates =
        resampling.candidate_factor *
        Utilities::fixed_power<dim>(n_points_per_direction);

      // The candidates of this rank's cells and their scores
      // (Σ_e r_e²/σ_e²)^½, with the 1/σ_e² of their cell.
      struct Candidate
      {
        typename Triangulation<dim>::active_cell_iterator cell;
        Point<dim>                                        x;
        unsigned int                                      cell_index;
        double                                            score;
        std::uint64_t                                     key;
      };
      std::vector<Candidate>           candidates;
      std::vector<std::vector<double>> inverse_scales2;
      std::vector<Jet<dim>>            u(n_fields);
      std::vector<double>              r;
      for (const auto &cell : triangulation.active_cell_iterators())
        if (cell->is_locally_owned())
          {
            std::vector<double> sigma2;
            pde_scales_squared(cell, sigma2);
            for (double &s2 : sigma2)
              s2 = 1. / s2;
            inverse_scales2.push_back(sigma2);
            const auto &inverse_scale2 = inverse_scales2.back();
            const auto  id             = cell->id().template to_binary<dim>();
            for (unsigned int c = 0; c < n_candidates; ++c)
              {
                KeyedRandom random;
                random.absorb(space_settings.seed).absorb(round);
                for (const unsigned int word : id)
                  random.absorb(word);
                random.absorb(c);
                Point<dim> unit;
                for (int d = 0; d < dim; ++d)
                  unit[d] = KeyedRandom(random).absorb(d).uniform();
                const Point<dim> x =
                  mapping->transform_unit_to_real_cell(cell, unit);
                solution_jets(theta, cell, x, u.data());
                pde_residuals(x, u.data(), r);
                double score2 = 0.;
                for (unsigned int e = 0; e < n_fields; ++e)
                  score2 += r[e] * r[e] * inverse_scale2[e];
                std::uint64_t key;
                const double  tie = KeyedRandom(random).absorb(dim).uniform();
                std::memcpy(&key, &tie, sizeof key);
                candidates.push_back(
                  {cell,
                   x,
                   static_cast<unsigned int>(inverse_scales2.size() - 1),
                   std::sqrt(score2),
                   key});
              }
          }
      if (!std::all_of(candidates.begin(),
                       candidates.end(),
                       [](const Candidate &c) {
                         return std::isfinite(c.score);
                       }))
        throw std::runtime_error(
          "resampling at round " + std::to_string(round) +
          ": the PDE residual is not finite at a candidate point; lower the "
          "Learning rate");

      // The priority of each candidate: RAD the key log(u)/p of weighted
      // sampling without replacement (Efraimidis and Spirakis 2006), RAR
      // the score; the chosen are the largest over all ranks, ties broken by
      // a keyed number, so the choice does not depend on the ranks.
      std::size_t n_chosen = 0;
      if (rad)
        {
          double sum = 0.;
          for (const Candidate &c : candidates)
            sum += std::pow(c.score, resampling.rad_exponent);
          sum = Utilities::MPI::sum(sum, comm);
          const double n_total =
            Utilities::MPI::sum(double(candidates.size()), comm);
          const double mean = sum / n_total;
          for (Candidate &c : candidates)
            {
              const double p =
                (mean > 0. ? std::pow(c.score, resampling.rad_exponent) / mean :
                             0.) +
                resampling.rad_constant;
              double u;
              std::memcpy(&u, &c.key, sizeof u);
              // u in [0, 1): log(1 − u) ≤ 0; p > 0 unless |r| = 0 and c = 0.
              c.score = p > 0. ? std::log1p(-u) / p :
                                 -std::numeric_limits<double>::infinity();
            }
          n_chosen = n_global_pde_points();
        }
      else
        n_chosen = resampling.rar_points;

      std::vector<std::pair<double, std::uint64_t>> priorities;
      priorities.reserve(candidates.size());
      for (const Candidate &c : candidates)
        priorities.emplace_back(c.score, c.key);
      std::vector<std::pair<double, std::uint64_t>> all;
      for (auto &part : Utilities::MPI::all_gather(comm, priorities))
        all.insert(all.end(), part.begin(), part.end());
      n_chosen = std::min(n_chosen, all.size());
      std::pair<double, std::uint64_t> threshold{
        std::numeric_limits<double>::infinity(),
        0};
      if (n_chosen > 0)
        {
          std::nth_element(all.begin(),
                           all.begin() + (n_chosen - 1),
                           all.end(),
                           std::greater<>());
          threshold = all[n_chosen - 1];
        }

      // The new terms: the conditions (and for RAR the PDE points) kept, the
      // chosen candidates added; PDE weights are the mean over the new set
      // (normalized: 1/σ² of the cell; quadrature: |Ω| each).
      std::vector<Term>         old_terms;
      std::vector<Contribution> old_contributions;
      old_terms.swap(terms);
      old_contributions.swap(contributions);
      copy_terms(
        old_terms,
        old_contributions,
        [rad](const Term &t) { return t.condition >= 0 || !rad; },
        terms,
        contributions);
      std::vector<double> forcing(n_fields), exact(n_fields);
      for (const Candidate &c : candidates)
        if (std::make_pair(c.score, c.key) >= threshold)
          {
            Term t;
            t.x         = c.x;
            t.condition = -1;
            ansatz(c.x, t.g, t.d);
            pde_point_data(problem, c.x, forcing, exact);
            t.begin = contributions.size();
            add_contributions(c.cell, c.x, contributions);
            t.end = contributions.size();
            for (unsigned int e = 0; e < n_fields; ++e)
              {
                t.equation              = e;
                t.inverse_scale_squared = inverse_scales2[c.cell_index][e];
                t.forcing               = forcing[e];
                t.exact                 = exact[e];
                terms.push_back(t);
              }
          }
      const double n_global_pde = std::max(double(n_global_pde_points()), 1.);
      const bool   quadrature   = training.loss_weighting == "quadrature";
      for (Term &t : terms)
        if (t.condition < 0)
          {
            t.quadrature_weight = domain_measure / n_global_pde;
            t.weight            = quadrature ? t.quadrature_weight :
                                               t.inverse_scale_squared / n_global_pde;
          }
      build_batches();
    }


    template <int dim>
    void
    FBPINN<dim>::ansatz(const Point<dim> &x, Jet<dim> &g, Jet<dim> &d) const
    {
      g = Jet<dim>();
      d = Jet<dim>();
      if (hard_constraints)
        problem_in_use->hard_constraint(x, g, d);
      else
        d.value = 1.;
    }


    template <int dim>
    void
    FBPINN<dim>::solution_jets(
      const Vector                                            &theta,
      const typename Triangulation<dim>::active_cell_iterator &cell,
      const Point<dim>                                        &x,
      Jet<dim>                                                *u) const
    {
      std::vector<Contribution> local;
      add_contributions(cell, x, local);
      Jet<dim> g, d;
      ansatz(x, g, d);
      evaluate(theta, g, d, local.data(), local.data() + local.size(), u);
    }


    template <int dim>
    void
    FBPINN<dim>::evaluate(const Vector       &theta,
                          const Jet<dim>     &g,
                          const Jet<dim>     &d,
                          const Contribution *begin,
                          const Contribution *end,
                          Jet<dim>           *u) const
    {
      if (tapes.empty())
        {
          tapes.resize(1);
          network->initialize(tapes[0]);
        }
      const unsigned int K = n_fields;
      point_outputs.resize(K);
      for (unsigned int f = 0; f < K; ++f)
        u[f] = Jet<dim>();
      // v_f = Σ_c ψ_c N_c,f(y_c) in u, then u_f = g + d s v_f.
      for (const Contribution *c = begin; c != end; ++c)
        {
          if (K == 1)
            point_outputs[0] =
              network->forward(theta.begin() + c->first, c->y, tapes[0]);
          else
            network->forward(theta.begin() + c->first,
                             c->y,
                             tapes[0],
                             point_outputs.data());
          for (unsigned int f = 0; f < K; ++f)
            {
              Jet<dim> &n = point_outputs[f];
              for (int a = 0; a < dim; ++a)
                {
                  n.gradient[a] *= c->inverse_half[a];
                  for (int b = 0; b < dim; ++b)
                    n.hessian[a][b] *= c->inverse_half[a] * c->inverse_half[b];
                }
              u[f] = sum(u[f], product(c->psi, n));
            }
        }
      for (unsigned int f = 0; f < K; ++f)
        u[f] = sum(g, product(d, scaled(u[f], output_scale)));
    }


    template <int dim>
    double
    FBPINN<dim>::loss_and_gradient(const Vector &theta,
                                   Vector       *gradient,
                                   const int     only) const
    {
      // Three passes, so that each network is evaluated for all its points
      // at once (forward_batch/backward_batch, SIMD across points): (1) the
      // jets of every network at its points; (2) per term u, the residual and
      // the adjoint of each network's jet; (3) the reverse pass per network.
      // The tapes of (1) are kept for (3) when they fit in 256 MB, else
      // recomputed.
      const Problems::Interface<dim> &problem = *problem_in_use;
      if (gradient)
        *gradient = 0.;
      const unsigned int n_batches = batches.size();
      if (batch_tapes.size() < n_batches)
        batch_tapes.resize(n_batches);
      // The tape of forward_batch() per contribution: a, ∇a, ∇∇a, ∇z, ∇∇z,
      // σ', σ'', σ''' of every layer's units.
      std::size_t units = dim;
      for (const unsigned int w : architecture.hidden)
        units += w;
      const unsigned int K            = n_fields;
      const std::size_t  tape_doubles = std::size_t(contributions.size()) *
                                       (units + K) *
                                       (4 + 2 * dim + 2 * dim * dim);
      const bool keep_tapes = tape_doubles * sizeof(double) < (256u << 20);
      network_jets.resize(K * contributions.size());
      network_adjoints.resize(K * contributions.size());
      if (gradient)
        std::fill(network_adjoints.begin(), network_adjoints.end(), Jet<dim>());
      for (unsigned int k = 0; k < n_batches; ++k)
        {
          const auto        &batch = batches[k];
          const unsigned int B     = batch.members.size();
          batch_inputs.resize(dim * B);
          for (unsigned int b = 0; b < B; ++b)
            for (int d = 0; d < dim; ++d)
              batch_inputs[d * B + b] = contributions[batch.members[b]].y[d];
          batch_jets.resize(K * B);
          auto &tape = batch_tapes[keep_tapes ? k : 0];
          network->forward_batch(theta.begin() + batch.first,
                                 batch_inputs.data(),
                                 B,
                                 tape,
                                 batch_jets.data());
          for (unsigned int b = 0; b < B; ++b)
            {
              const Contribution &c = contributions[batch.members[b]];
              for (unsigned int f = 0; f < K; ++f)
                {
                  Jet<dim> &n = batch_jets[b * K + f];
                  for (int a = 0; a < dim; ++a)
                    {
                      n.gradient[a] *= c.inverse_half[a];
                      for (int e = 0; e < dim; ++e)
                        n.hessian[a][e] *=
                          c.inverse_half[a] * c.inverse_half[e];
                    }
                  network_jets[batch.members[b] * K + f] = n;
                }
            }
        }

      double     loss          = 0.;
      const bool self_adaptive = training.loss_weighting == "self-adaptive";
      const bool causal        = causal_active && only < 0;
      double     plain         = 0.; // without self-adaptive, causal weights
      if (self_adaptive && gradient)
        term_losses.resize(terms.size());
      // The jets of the fields at the point of the current term, and (K > 1)
      // the linearisation of its equations or conditions, computed once for
      // the terms of one point (they share their contributions).
      point_jets.resize(K);
      unsigned int point_begin  = numbers::invalid_unsigned_int;
      bool         point_is_pde = false;
      Problems::LinearizedResidual<dim> scalar_op;
      // The residual r of term t (PDE: minus its forcing) and its rows
      // ∂r/∂J[u_f], f < K, in @p rows.
      const auto term_residual =
        [&](const Term &t, const Problems::LinearizedResidual<dim> *&rows) {
          const bool pde = t.condition < 0;
          if (t.begin != point_begin || pde != point_is_pde)
            {
              point_begin  = t.begin;
              point_is_pde = pde;
              for (unsigned int f = 0; f < K; ++f)
                {
                  Jet<dim> v;
                  for (unsigned int i = t.begin; i < t.end; ++i)
                    v = sum(v,
                            product(contributions[i].psi,
                                    network_jets[i * K + f]));
                  point_jets[f] =
                    sum(t.g, product(t.d, scaled(v, output_scale)));
                }
              if (K > 1)
                {
                  if (pde)
                    problem.linearize_fields(t.x,
                                             point_jets,
                                             point_linearization);
                  else
                    problem.linearize_boundary_fields(t.boundary_id,
                                                      t.x,
                                                      t.normal,
                                                      point_jets,
                                                      point_linearization);
                }
            }
          double residual;
          if (t.slab_start)
            {
              // u − u_{s−1}, or u_t − u_t,s−1 (one field: see solve()).
              scalar_op = Problems::LinearizedResidual<dim>();
              if (t.slab_start_rate)
                {
                  scalar_op.residual =
                    point_jets[0].gradient[dim - 1] - t.target;
                  scalar_op.d_gradient[dim - 1] = 1.;
                }
              else
                {
                  scalar_op.residual = point_jets[0].value - t.target;
                  scalar_op.d_value  = 1.;
                }
              residual = scalar_op.residual;
              rows     = &scalar_op;
            }
          else if (K == 1)
            {
              scalar_op = pde ?
                            problem.linearize_operator(t.x, point_jets[0]) :
                            problem.linearize_boundary_condition(t.condition,
                                                                 t.boundary_id,
                                                                 t.x,
                                                                 t.normal,
                                                                 point_jets[0]);
              residual  = scalar_op.residual;
              rows      = &scalar_op;
            }
          else
            {
              const unsigned int e = pde ? t.equation : t.condition;
              residual             = point_linearization.residual[e];
              rows                 = &point_linearization.derivative[e * K];
            }
          if (pde)
            residual -= t.forcing;
          return residual;
        };
      // Causal weighting: a first pass over the PDE terms for the losses
      // L_i of the time chunks (without the self-adaptive weights), then
      // w_i = exp(−ε Σ_{k<i} M L_k), M L_k being chunk k's mean when the
      // chunks hold equal numbers of points (jaxpi's mean over a chunk).
      const unsigned int n_chunks = training.causal_chunks;
      const auto         chunk_of = [&](const Term &t) {
        const double s = (t.x[dim - 1] - causal_begin) /
                         (causal_end - causal_begin) * n_chunks;
        return std::min<unsigned int>(n_chunks - 1,
                                      s > 0. ? static_cast<unsigned int>(s) :
                                                       0u);
      };
      if (causal)
        {
          // With one field the PDE terms' linearisations are kept for the
          // second pass (they are most of its cost).
          std::vector<double> chunk_losses(n_chunks, 0.);
          if (K == 1)
            {
              causal_residuals.resize(terms.size());
              causal_rows.resize(terms.size());
            }
          const Problems::LinearizedResidual<dim> *rows;
          for (unsigned int k = 0; k < terms.size(); ++k)
            if (terms[k].condition < 0)
              {
                const double r = term_residual(terms[k], rows);
                chunk_losses[chunk_of(terms[k])] += terms[k].weight * r * r;
                if (K == 1)
                  {
                    causal_residuals[k] = r;
                    causal_rows[k]      = *rows;
                  }
              }
          Utilities::MPI::sum(ArrayView<const double>(chunk_losses.data(),
                                                      n_chunks),
                              theta.get_mpi_communicator(),
                              ArrayView<double>(chunk_losses.data(), n_chunks));
          causal_weights.resize(n_chunks);
          double before = 0.;
          for (unsigned int i = 0; i < n_chunks; ++i)
            {
              causal_weights[i] = std::exp(-training.causal_epsilon * before);
              before += n_chunks * chunk_losses[i];
            }
          point_begin = numbers::invalid_unsigned_int;
        }
      const bool plain_wanted = self_adaptive || causal;
      for (unsigned int k = 0; k < terms.size(); ++k)
        {
          const Term &t = terms[k];
          if (only >= -1 && t.condition != only)
            continue;
          const bool pde = t.condition < 0;
          // w λ_m: λ_m of condition m (1 for the PDE terms, and for the
          // parts L_r, L_m), with the self-adaptive weight λ_k and the
          // causal weight w_i of the PDE terms.
          const double unadapted = t.condition < 0 || only >= -1 ?
                                     t.weight :
                                     t.weight * condition_weights[t.condition];
          double weight = self_adaptive ? unadapted * t.adaptive : unadapted;
          if (causal && pde)
            weight *= causal_weights[chunk_of(t)];
          const Problems::LinearizedResidual<dim> *rows;
          const bool   kept = causal && pde && K == 1;
          const double residual =
            kept ? causal_residuals[k] : term_residual(t, rows);
          if (kept)
            rows = &causal_rows[k];
          loss += weight * residual * residual;
          // The term without λ_k: a part of the loss without the weights,
          // and ∂L/∂λ_k (with the causal weight).
          const double unadapted_term =
            weight / t.adaptive * residual * residual;
          if (plain_wanted)
            plain += causal ? unadapted * residual * residual : unadapted_term;
          if (!gradient)
            continue;
          if (self_adaptive)
            term_losses[k] = unadapted_term;

          // ū_f = 2 w r ∂r/∂J[u_f], pulled back through u_f = g + d s v_f
          // and v_f = Σ ψ_c N_c,f(y_c(x)).
          const double r2 = 2. * weight * residual;
          for (unsigned int f = 0; f < K; ++f)
            {
              const auto &op = rows[f];
              Jet<dim>    ubar;
              ubar.value = r2 * op.d_value;
              for (int a = 0; a < dim; ++a)
                {
                  ubar.gradient[a] = r2 * op.d_gradient[a];
                  for (int b = 0; b < dim; ++b)
                    ubar.hessian[a][b] = r2 * op.d_hessian[a][b];
                }
              const Jet<dim> vbar =
                scaled(product_adjoint(t.d, ubar), output_scale);
              for (unsigned int i = t.begin; i < t.end; ++i)
                {
                  const Contribution &c    = contributions[i];
                  Jet<dim>            nbar = product_adjoint(c.psi, vbar);
                  for (int a = 0; a < dim; ++a)
                    {
                      nbar.gradient[a] *= c.inverse_half[a];
                      for (int b = 0; b < dim; ++b)
                        nbar.hessian[a][b] *=
                          c.inverse_half[a] * c.inverse_half[b];
                    }
                  network_adjoints[i * K + f] =
                    sum(network_adjoints[i * K + f], nbar);
                }
            }
        }

      if (gradient)
        {
          for (unsigned int k = 0; k < n_batches; ++k)
            {
              const auto        &batch = batches[k];
              const unsigned int B     = batch.members.size();
              auto              &tape  = batch_tapes[keep_tapes ? k : 0];
              if (!keep_tapes)
                {
                  batch_inputs.resize(dim * B);
                  for (unsigned int b = 0; b < B; ++b)
                    for (int d = 0; d < dim; ++d)
                      batch_inputs[d * B + b] =
                        contributions[batch.members[b]].y[d];
                  batch_jets.resize(K * B);
                  network->forward_batch(theta.begin() + batch.first,
                                         batch_inputs.data(),
                                         B,
                                         tape,
                                         batch_jets.data());
                }
              batch_jets.resize(K * B);
              for (unsigned int b = 0; b < B; ++b)
                for (unsigned int f = 0; f < K; ++f)
                  batch_jets[b * K + f] =
                    network_adjoints[batch.members[b] * K + f];
              network->backward_batch(theta.begin() + batch.first,
                                      batch_jets.data(),
                                      tape,
                                      &gradient->local_element(batch.first));
              // The Fourier features are not trained.
              std::fill_n(&gradient->local_element(batch.first),
                          architecture.n_frozen(),
                          0.);
            }
          gradient->compress(VectorOperation::add);
        }
      if (!plain_wanted)
        return Utilities::MPI::sum(loss, theta.get_mpi_communicator());
      std::array<double, 2> sums{{loss, plain}};
      Utilities::MPI::sum(ArrayView<const double>(sums.data(), 2),
                          theta.get_mpi_communicator(),
                          ArrayView<double>(sums.data(), 2));
      plain_loss = sums[1];
      return sums[0];
    }


    template <int dim>
    double
    FBPINN<dim>::learning_rate(const unsigned int step) const
    {
      const double alpha = training.learning_rate;
      if (training.learning_rate_schedule == "cosine")
        {
          const double progress =
            training.steps > 0 ? double(step) / training.steps : 0.;
          const double alpha_f = training.final_learning_rate;
          return alpha_f +
                 0.5 * (alpha - alpha_f) * (1. + std::cos(M_PI * progress));
        }
      const double k =
        training.learning_rate_schedule == "step" ?
          std::floor(double(step) / training.learning_rate_step_interval) :
          double(step);
      return alpha * std::pow(training.learning_rate_decay, k);
    }


    template <int dim>
    void
    FBPINN<dim>::anneal_weights(const Vector &theta, Vector &gradient)
    {
      // λ̂_m = max|∇θ L_r| / mean|∇θ λ_m L_m| (Wang, Teng, Perdikaris 2021),
      // with the unweighted parts L_r, L_m; see doc/design.md for the two
      // deviations (λ_m in the mean, the mean over the reached parameters).
      const MPI_Comm comm = theta.get_mpi_communicator();
      loss_and_gradient(theta, &gradient, -1);
      double max_residual = 0.;
      for (unsigned int i = 0; i < gradient.locally_owned_size(); ++i)
        max_residual =
          std::max(max_residual, std::abs(gradient.local_element(i)));
      max_residual = Utilities::MPI::max(max_residual, comm);
      for (unsigned int m = 0; m < condition_weights.size(); ++m)
        {
          loss_and_gradient(theta, &gradient, m);
          // The mean over the parameters that L_m reaches (for fbpinn the
          // networks at its points; for pinn all), with λ_m in it.
          double reached = 0.;
          for (unsigned int i = 0; i < gradient.locally_owned_size(); ++i)
            reached += gradient.local_element(i) != 0.;
          reached = Utilities::MPI::sum(reached, comm);
          const double mean =
            condition_weights[m] * gradient.l1_norm() / std::max(reached, 1.);
          // A condition without gradient (already met exactly) keeps its
          // weight.
          if (mean > 0. && std::isfinite(max_residual / mean))
            condition_weights[m] =
              training.annealing_average * condition_weights[m] +
              (1. - training.annealing_average) * max_residual / mean;
        }
    }


    template <int dim>
    std::pair<double, double>
    FBPINN<dim>::collocation_errors(const Vector &theta) const
    {
      // The error e of field f at each PDE term of equation f (the K terms
      // of a point: the K fields); for a field determined only up to a
      // constant, e and u* without their means (a first pass). Then per
      // field ∫e², ∫u*², ∫|e|, ∫u*, ∫1, and the totals as the driver's
      // (doc/design.md): relative L2 from the sums over the fields,
      // normalized L1 Σ_f mean|e_f| / (Σ_f var u*_f)^½.
      const unsigned int K       = n_fields;
      const bool         initial = !error_terms.empty();
      const auto        &points  = initial ? error_terms : terms;
      const auto    &covering = initial ? error_contributions : contributions;
      const MPI_Comm comm     = theta.get_mpi_communicator();
      std::vector<double>   errors;
      std::vector<double>   means(3 * K, 0.); // ∫e_f, ∫u*_f, ∫1 per field
      std::vector<Jet<dim>> u(K);
      unsigned int          point_begin = numbers::invalid_unsigned_int;
      for (const Term &t : points)
        if (t.condition < 0)
          {
            if (t.begin != point_begin)
              {
                point_begin = t.begin;
                evaluate(theta,
                         t.g,
                         t.d,
                         covering.data() + t.begin,
                         covering.data() + t.end,
                         u.data());
              }
            errors.push_back(u[t.equation].value - t.exact);
            means[3 * t.equation] += t.quadrature_weight * errors.back();
            means[3 * t.equation + 1] += t.quadrature_weight * t.exact;
            means[3 * t.equation + 2] += t.quadrature_weight;
          }
      std::vector<bool> shifted(K);
      for (unsigned int f = 0; f < K; ++f)
        shifted[f] = problem_in_use->solution_up_to_constant(f);
      if (std::find(shifted.begin(), shifted.end(), true) != shifted.end())
        Utilities::MPI::sum(ArrayView<const double>(means.data(), means.size()),
                            comm,
                            ArrayView<double>(means.data(), means.size()));
      std::vector<double> s(5 * K, 0.);
      unsigned int        k = 0;
      for (const Term &t : points)
        if (t.condition < 0)
          {
            const unsigned int f = t.equation;
            double             e = errors[k++], exact = t.exact;
            if (shifted[f])
              {
                e -= means[3 * f] / means[3 * f + 2];
                exact -= means[3 * f + 1] / means[3 * f + 2];
              }
            double *sf = &s[5 * f];
            sf[0] += t.quadrature_weight * e * e;
            sf[1] += t.quadrature_weight * exact * exact;
            sf[2] += t.quadrature_weight * std::abs(e);
            sf[3] += t.quadrature_weight * exact;
            sf[4] += t.quadrature_weight;
          }
      Utilities::MPI::sum(ArrayView<const double>(s.data(), s.size()),
                          comm,
                          ArrayView<double>(s.data(), s.size()));
      double e2 = 0., u2 = 0., mean_abs = 0., variance = 0.;
      for (unsigned int f = 0; f < K; ++f)
        {
          const double *sf   = &s[5 * f];
          const double  mean = sf[3] / sf[4];
          e2 += sf[0];
          u2 += sf[1];
          mean_abs += sf[2] / sf[4];
          variance += std::max(sf[1] / sf[4] - mean * mean, 0.);
        }
      return {std::sqrt(e2 / u2), mean_abs / std::sqrt(variance)};
    }


    template <int dim>
    void
    FBPINN<dim>::write_collocation_points(const Vector &theta) const
    {
      if (output_directory.empty())
        return;
      const MPI_Comm        comm = theta.get_mpi_communicator();
      std::vector<double>   local, r;
      std::vector<Jet<dim>> u(n_fields);
      // One row per point: (Σ_e r_e²/σ_e²)^½ over its K terms.
      for (unsigned int k = 0; k < terms.size(); ++k)
        {
          const Term &t = terms[k];
          if (t.condition >= 0 || t.equation != 0)
            continue;
          evaluate(theta,
                   t.g,
                   t.d,
                   contributions.data() + t.begin,
                   contributions.data() + t.end,
                   u.data());
          pde_residuals(t.x, u.data(), r);
          double score2 = 0.;
          for (unsigned int e = 0; e < n_fields; ++e)
            score2 += r[e] * r[e] * terms[k + e].inverse_scale_squared;
          for (int d = 0; d < dim; ++d)
            local.push_back(t.x[d]);
          local.push_back(std::sqrt(score2));
        }
      const auto all = Utilities::MPI::gather(comm, local, 0);
      if (Utilities::MPI::this_mpi_process(comm) != 0)
        return;
      std::ostringstream out;
      const char        *names[] = {"x", "y", "z"};
      for (int d = 0; d < dim; ++d)
        out << names[d] << ',';
      out << "residual\n" << std::setprecision(10);
      for (const auto &part : all)
        for (std::size_t k = 0; k < part.size(); k += dim + 1)
          {
            for (int d = 0; d <= dim; ++d)
              out << part[k + d] << (d < dim ? ',' : '\n');
          }
      write_file_atomically(output_directory + "/collocation_points.csv",
                            out.str());
    }


    template <int dim>
    void
    FBPINN<dim>::write_history() const
    {
      if (output_directory.empty() || Utilities::MPI::this_mpi_process(
                                        parameters.get_mpi_communicator()) != 0)
        return;
      std::ostringstream out;
      out << "step,wall_time,loss,normalized_l1,relative_l2,weight_pde";
      for (unsigned int m = 0; m < condition_weights.size(); ++m)
        out << ",weight_condition_" << m;
      if (training.causal)
        for (unsigned int i = 0; i < training.causal_chunks; ++i)
          out << ",causal_weight_" << i;
      out << '\n' << std::setprecision(10);
      for (const auto &row : history)
        {
          out << static_cast<unsigned long>(row[0]);
          for (unsigned int k = 1; k < row.size(); ++k)
            out << ',' << row[k];
          out << '\n';
        }
      write_file_atomically(output_directory + "/training.csv", out.str());
    }


    template <int dim>
    Network::CheckpointHeader
    FBPINN<dim>::checkpoint_header() const
    {
      Network::CheckpointHeader header;
      header.method          = single_network ? "pinn" : "fbpinn";
      header.input_dimension = architecture.input_dimension;
      header.hidden.assign(architecture.hidden.begin(),
                           architecture.hidden.end());
      header.activation =
        architecture.activation == Activation::tanh ? "tanh" : "sin";
      if (architecture.fourier_features > 0)
        {
          std::ostringstream fourier;
          fourier << std::setprecision(6) << "+fourier("
                  << architecture.fourier_features << ","
                  << architecture.fourier_scale << ")";
          header.activation += fourier.str();
        }
      header.n_subdomains     = n_subdomains();
      header.layout_signature = layout_signature;
      header.n_parameters     = parameters.size();
      header.n_history_rows   = history.size();
      header.history_width    = history_columns + condition_weights.size() +
                             (training.causal ? training.causal_chunks : 0);
      return header;
    }


    template <int dim>
    void
    FBPINN<dim>::write_checkpoint(const unsigned int step,
                                  const Vector      &m,
                                  const Vector      &v) const
    {
      // Gathered on rank 0 by global index, so that a run may resume on any
      // number of ranks.
      const MPI_Comm      comm  = parameters.get_mpi_communicator();
      const IndexSet      owned = parameters.locally_owned_elements();
      std::vector<double> local;
      local.reserve(4 * owned.n_elements());
      for (const auto i : owned)
        {
          local.push_back(static_cast<double>(i));
          local.push_back(parameters(i));
          local.push_back(m(i));
          local.push_back(v(i));
        }
      const auto all = Utilities::MPI::gather(comm, local, 0);
      if (Utilities::MPI::this_mpi_process(comm) != 0)
        return;
      const std::size_t   n = parameters.size();
      Network::Checkpoint checkpoint;
      checkpoint.header      = checkpoint_header();
      checkpoint.header.step = step;
      checkpoint.parameters.resize(n);
      checkpoint.m.resize(n);
      checkpoint.v.resize(n);
      for (const auto &part : all)
        for (std::size_t k = 0; k < part.size(); k += 4)
          {
            const std::size_t i      = static_cast<std::size_t>(part[k]);
            checkpoint.parameters[i] = part[k + 1];
            checkpoint.m[i]          = part[k + 2];
            checkpoint.v[i]          = part[k + 3];
          }
      for (const auto &row : history)
        checkpoint.history.insert(checkpoint.history.end(),
                                  row.begin(),
                                  row.end());
      write_file_atomically(output_directory + "/checkpoint.bin",
                            Network::serialize_checkpoint(checkpoint));
    }


    template <int dim>
    unsigned int
    FBPINN<dim>::read_checkpoint(const std::string &directory,
                                 Vector            &m,
                                 Vector            &v)
    {
      const std::string  file = directory + "/checkpoint.bin";
      std::ifstream      in(file, std::ios::binary);
      std::ostringstream bytes(std::ios::binary);
      if (in)
        bytes << in.rdbuf();
      if (!in)
        throw std::invalid_argument(
          "subsection Training, entry 'Resume from' = '" + directory +
          "': cannot read '" + file +
          "'; give a directory written with "
          "'Checkpoint interval' > 0");
      // Every rank reads the file and takes its own parameters by global
      // index; the checks (see Network::parse_checkpoint) are the same on all
      // ranks, so either all resume or all throw.
      const Network::Checkpoint checkpoint =
        Network::parse_checkpoint(bytes.str(),
                                  checkpoint_header(),
                                  training.steps,
                                  file);
      const std::size_t width = checkpoint.header.history_width;
      history.resize(checkpoint.header.n_history_rows);
      for (std::size_t r = 0; r < history.size(); ++r)
        history[r].assign(checkpoint.history.begin() + r * width,
                          checkpoint.history.begin() + (r + 1) * width);
      // Annealed weights go on from the last row of the history: the
      // weights at the checkpoint's step when no update lies between that
      // row and the step (always when 'Progress interval' divides
      // 'Annealing interval'), and then the restart is exact.
      if (training.loss_weighting == "annealing" && !history.empty())
        std::copy_n(history.back().begin() + history_columns,
                    condition_weights.size(),
                    condition_weights.begin());
      for (const auto i : parameters.locally_owned_elements())
        {
          parameters(i) = checkpoint.parameters[i];
          m(i)          = checkpoint.m[i];
          v(i)          = checkpoint.v[i];
        }
      elapsed_before_resume = history.empty() ? 0. : history.back()[1];
      return checkpoint.header.step;
    }


    template <int dim>
    void
    FBPINN<dim>::solve(const Problems::Interface<dim>         &problem,
                       const parallel::TriangulationBase<dim> &triangulation,
                       Timings                                &timings)
    {
      const MPI_Comm    comm    = triangulation.get_communicator();
      const bool        root    = Utilities::MPI::this_mpi_process(comm) == 0;
      const std::string method  = single_network ? "pinn" : "fbpinn";
      problem_in_use            = &problem;
      triangulation_in_use      = &triangulation;
      const std::string section = "subsection FBPINN, entry 'Hard constraints'";
      check_hard_constraints(problem, hard_constraints, section);
      // A system: one network output per field (shared hidden layers).
      n_fields = problem.n_fields();
      if (n_fields > 1)
        {
          if (hard_constraints)
            throw std::invalid_argument(
              section + " = true: the ansatz is implemented for problems " +
              "with one field, and this one has " + std::to_string(n_fields) +
              "; set it to false");
          if (!problem.conditions_by_boundary_id() ||
              !problem.interior_condition_points().empty())
            throw std::invalid_argument(
              "Method = " + method +
              ": a system with conditions of its own (not by boundary id) "
              "is not implemented");
        }
      if (architecture.n_outputs != n_fields)
        {
          architecture.n_outputs = n_fields;
          network = std::make_unique<Network::MLP<dim>>(architecture);
          space_settings.n_features = network->n_parameters();
          tapes.clear();
          batch_tapes.clear();
        }
      // Curved cells: a higher-order mapping for the points, and subdomain
      // boxes that hold the mapped cells.
      const unsigned int degree = Collocation::mapping_degree(
        static_cast<const Triangulation<dim> &>(triangulation));
      mapping                = std::make_unique<MappingQ<dim>>(degree);
      space_settings.mapping = degree > 1 ? mapping.get() : nullptr;
      if (!training.resume_from.empty() &&
          training.loss_weighting == "self-adaptive")
        throw std::invalid_argument(
          "subsection Training, entry 'Resume from' = '" +
          training.resume_from +
          "' with 'Loss weighting' = self-adaptive: a checkpoint does not "
          "hold the per-point weights, so the run cannot continue exactly; "
          "use another 'Loss weighting' or start anew");
      if (!training.resume_from.empty() && resampling.method != "none")
        throw std::invalid_argument(
          "subsection Training, entry 'Resume from' = '" +
          training.resume_from +
          "' with subsection FBPINN, entry "
          "'Resampling' = " +
          resampling.method +
          ": a checkpoint does not hold the resampled points, so the run "
          "cannot continue exactly; set 'Resampling' = none or start anew");

      check_time_dependence(problem, method, "FBPINN", time_slabs);
      if (training.causal && !problem.is_time_dependent())
        throw std::invalid_argument(
          "subsection Training, entry 'Causal weighting' = true: the "
          "problem is not time-dependent, so there is no time axis to "
          "weight along; set it to false");
      if (time_slabs > 1)
        {
          const std::string entry = "subsection FBPINN, entry 'Time slabs' = " +
                                    std::to_string(time_slabs);
          if (resampling.method != "none")
            throw std::invalid_argument(
              entry + " with 'Resampling' = " + resampling.method +
              ": resampling with time slabs is not implemented; set "
              "'Resampling' = none");
          if (training.checkpoint_interval > 0 || !training.resume_from.empty())
            throw std::invalid_argument(
              entry + " with subsection Training, 'Checkpoint interval' > 0 "
                      "or 'Resume from': checkpoints of slab-by-slab training "
                      "are not implemented; set 'Checkpoint interval' = 0 and "
                      "'Resume from' empty");
        }
      space_settings.time_slabs = time_slabs;
      space_settings.end_time =
        problem.is_time_dependent() ? problem.end_time() : 0.;

      Timer              timer(comm, /*sync_lap_times=*/true);
      const unsigned int P = network->n_parameters();
      if (single_network)
        {
          // The domain's bounding box normalises the input.
          Point<dim> lower, upper;
          for (int d = 0; d < dim; ++d)
            {
              lower[d] = std::numeric_limits<double>::max();
              upper[d] = -std::numeric_limits<double>::max();
            }
          for (const auto &cell : triangulation.active_cell_iterators())
            if (cell->is_locally_owned())
              for (const unsigned int v : cell->vertex_indices())
                for (int d = 0; d < dim; ++d)
                  {
                    lower[d] = std::min(lower[d], cell->vertex(v)[d]);
                    upper[d] = std::max(upper[d], cell->vertex(v)[d]);
                  }
          for (int d = 0; d < dim; ++d)
            {
              lower[d]         = Utilities::MPI::min(lower[d], comm);
              upper[d]         = Utilities::MPI::max(upper[d], comm);
              domain_centre[d] = 0.5 * (lower[d] + upper[d]);
              domain_half[d]   = 0.5 * (upper[d] - lower[d]);
            }
          IndexSet owned(P), relevant(P);
          if (root)
            owned.add_range(0, P);
          relevant.add_range(0, P);
          parameters.reinit(owned, relevant, comm);
          if (root)
            network->initialize_parameters(space_settings.seed,
                                           box_key<dim>(domain_centre,
                                                        domain_half),
                                           &parameters.local_element(0));
        }
      else
        {
          space.reinit(triangulation, space_settings);
          // The parameters need each rank's owned indices contiguous
          // (LinearAlgebra::distributed::Vector); the space numbers the
          // coarser levels after all active-level coefficients, so with
          // 'Levels' > 1 a rank owns two or more ranges. Parameter index:
          // the rank's offset plus the position in its owned set (the
          // identity when each rank owns one range, as with one level).
          const auto all_owned =
            Utilities::MPI::all_gather(comm, space.locally_owned_dofs());
          const unsigned int rank = Utilities::MPI::this_mpi_process(comm);
          coefficient_ranges.clear();
          types::global_dof_index n = 0, first_owned = 0;
          for (unsigned int r = 0; r < all_owned.size(); ++r)
            {
              if (r == rank)
                first_owned = n;
              for (auto interval = all_owned[r].begin_intervals();
                   interval != all_owned[r].end_intervals();
                   ++interval)
                {
                  const types::global_dof_index size =
                    interval->last() + 1 - *interval->begin();
                  coefficient_ranges.push_back(
                    {*interval->begin(), interval->last() + 1, n});
                  n += size;
                }
            }
          std::sort(coefficient_ranges.begin(),
                    coefficient_ranges.end(),
                    [](const CoefficientRange &a, const CoefficientRange &b) {
                      return a.begin < b.begin;
                    });
          IndexSet owned(n), relevant(n);
          owned.add_range(first_owned,
                          first_owned +
                            space.locally_owned_dofs().n_elements());
          for (const auto i : space.locally_relevant_dofs())
            relevant.add_index(parameter_index(i));
          relevant.add_indices(owned);
          parameters.reinit(owned, relevant, comm);
          for (const unsigned int j : space.owned_subdomains())
            {
              const auto &subdomain = space.subdomain(j);
              for (unsigned int k = 1; k < P; ++k)
                if (subdomain.dof_indices[k] != subdomain.dof_indices[0] + k)
                  throw std::logic_error(
                    "FBPINN: a subdomain's parameters are not contiguous");
              network->initialize_parameters(
                space_settings.seed,
                box_key<dim>(subdomain.centre, subdomain.half_width),
                &parameters(first_parameter(subdomain)));
            }
        }
      parameters.update_ghost_values();
      // The layout signature of the checkpoints: a sum over the networks
      // (so independent of their order and of the ranks) of a key of the
      // box and of the global index of the first parameter.
      {
        const auto key = [](const std::uint64_t box,
                            const std::uint64_t first) {
          std::uint64_t z = box ^ (first * 0x9e3779b97f4a7c15ULL);
          z               = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
          z               = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
          return z ^ (z >> 31);
        };
        std::uint64_t local = 0;
        if (single_network)
          local = root ? key(box_key<dim>(domain_centre, domain_half), 0) : 0;
        else
          for (const unsigned int j : space.owned_subdomains())
            {
              const auto &subdomain = space.subdomain(j);
              local += key(box_key<dim>(subdomain.centre, subdomain.half_width),
                           first_parameter(subdomain));
            }
        layout_signature = Utilities::MPI::sum(local, comm);
      }
      set_up_terms(problem, triangulation);
      timer.stop();
      timings.setup += timer.last_wall_time();

      // Adam (Kingma and Ba 2015) with the usual β1 = 0.9, β2 = 0.999,
      // ε = 1e-8: a few lines, so our own (no library in the stack has it).
      timer.restart();
      Vector gradient, m, v;
      gradient.reinit(parameters);
      m.reinit(parameters);
      v.reinit(parameters);
      history.clear();
      elapsed_before_resume = 0.;
      Timer clock(comm, true);
      // Time slabs: one training phase per slab (fresh Adam moments, the
      // schedule and the divergence checks from its start, λ_m from their
      // initial value), the step column of training.csv counting on.
      if (time_slabs > 1)
        {
          all_terms         = std::move(terms);
          all_contributions = std::move(contributions);
        }
      const std::vector<double> initial_condition_weights = condition_weights;
      causal_weights.assign(training.causal ? training.causal_chunks : 0, 1.);
      double       total_loss       = 0.;
      unsigned int total_iterations = 0;
      std::string  warnings;
      for (unsigned int slab = 0; slab < time_slabs; ++slab)
        {
          if (time_slabs > 1)
            {
              select_slab(slab);
              m                 = 0.;
              v                 = 0.;
              condition_weights = initial_condition_weights;
            }
          // Causal weighting: the chunks cut this phase's time window.
          causal_active = training.causal;
          if (causal_active)
            {
              const double T = problem.end_time();
              causal_begin   = slab * T / time_slabs;
              causal_end     = (slab + 1) * T / time_slabs;
            }
          const unsigned int step_offset = slab * training.steps;
          // The rate of this phase's steps (the progress line).
          Timer        phase_clock(comm, true);
          unsigned int first_step = 0;
          if (!training.resume_from.empty())
            {
              first_step = read_checkpoint(training.resume_from, m, v);
              parameters.update_ghost_values();
            }
          // With resampling, the initial parameters, for the end check below.
          Vector initial_parameters;
          if (resampling.method != "none")
            {
              initial_parameters = parameters;
              initial_parameters.update_ghost_values();
            }
          const double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
          // The losses of this run (of the resumed run after a restart): the
          // first, and the smallest so far with its step.
          bool         have_first_loss = false;
          double       first_loss = 0., smallest_loss = 0.;
          unsigned int smallest_loss_step   = first_step;
          unsigned int first_loss_step      = first_step;
          unsigned int last_good_checkpoint = 0; // 0: none written by this run
          const bool self_adaptive = training.loss_weighting == "self-adaptive";
          // The loss the checks and training.csv see: with self-adaptive
          // or causal weights the loss without them (that one grows with
          // the weights).
          const auto monitored = [&](const double weighted) {
            return self_adaptive || causal_active ? plain_loss : weighted;
          };
          const auto record = [&](const unsigned int step, const double loss) {
            const auto [l2, l1] = collocation_errors(parameters);
            const double wall   = elapsed_before_resume + clock.wall_time();
            history.push_back(
              {double(step_offset + step), wall, loss, l1, l2, 1.});
            history.back().insert(history.back().end(),
                                  condition_weights.begin(),
                                  condition_weights.end());
            history.back().insert(history.back().end(),
                                  causal_weights.begin(),
                                  causal_weights.end());
            if (self_adaptive)
              {
                // The mean self-adaptive weight of each kind of term (times
                // λ_m for the conditions).
                std::vector<double> sums(2 * (condition_weights.size() + 1),
                                         0.);
                for (const Term &t : terms)
                  {
                    sums[2 * (t.condition + 1)] += t.adaptive;
                    sums[2 * (t.condition + 1) + 1] += 1.;
                  }
                Utilities::MPI::sum(
                  ArrayView<const double>(sums.data(), sums.size()),
                  comm,
                  ArrayView<double>(sums.data(), sums.size()));
                for (unsigned int c = 0; c <= condition_weights.size(); ++c)
                  history.back()[history_columns - 1 + c] *=
                    sums[2 * c] / std::max(sums[2 * c + 1], 1.);
              }
            write_history();
            if (root)
              {
                const double rate =
                  step > first_step ?
                    (step - first_step) /
                      std::max(phase_clock.wall_time(), 1e-9) :
                    0.;
                std::cout << "fbpinn: ";
                if (time_slabs > 1)
                  std::cout << "time slab " << slab + 1 << '/' << time_slabs
                            << ", ";
                std::cout << "step " << step << '/' << training.steps
                          << std::scientific << std::setprecision(3)
                          << " | loss " << loss << " | L1 " << l1 << " | L2 "
                          << l2 << std::defaultfloat << std::setprecision(4)
                          << " | " << rate << " steps/s";
                if (rate > 0 && step < training.steps)
                  std::cout << " | " << (training.steps - step) / rate
                            << " s left";
                std::cout << std::endl;
              }
          };
          const auto losses = [&]() {
            std::ostringstream text;
            text << "first loss " << first_loss << " at step "
                 << first_loss_step << ", smallest " << smallest_loss
                 << " at step " << smallest_loss_step;
            return text.str();
          };
          // Divergence during training: a non-finite loss, or one above
          // 'Divergence factor' times the smallest so far.
          const auto check_loss = [&](const unsigned int step,
                                      const double       loss) {
            if (!have_first_loss && std::isfinite(loss))
              {
                have_first_loss = true;
                first_loss = smallest_loss = loss;
                smallest_loss_step = first_loss_step = step;
              }
            if (!std::isfinite(loss) ||
                loss > training.divergence_factor * smallest_loss)
              {
                std::ostringstream message;
                message << "training diverged at step " << step
                        << ": loss = " << loss;
                if (have_first_loss)
                  message << " (" << losses() << ")";
                if (training.checkpoint_interval > 0 &&
                    last_good_checkpoint > 0)
                  message << "; the last good checkpoint, of step "
                          << last_good_checkpoint << ", is in '"
                          << output_directory
                          << "/checkpoint.bin' (resume with 'Resume from')";
                message << "; lower the Learning rate";
                throw std::runtime_error(message.str());
              }
            if (loss < smallest_loss)
              {
                smallest_loss      = loss;
                smallest_loss_step = step;
              }
          };

          double       loss      = 0.;
          unsigned int step      = first_step;
          const bool   annealing = training.loss_weighting == "annealing";
          for (; step < training.steps; ++step)
            {
              if (resampling.method != "none" && step > 0 &&
                  step % resampling.interval == 0)
                {
                  resample(parameters, step / resampling.interval);
                  // Losses at other points do not compare: the divergence
                  // checks start again from the loss at the new points.
                  have_first_loss = false;
                }
              if (annealing && step % training.annealing_interval == 0)
                anneal_weights(parameters, gradient);
              loss = monitored(loss_and_gradient(parameters, &gradient));
              check_loss(step, loss);
              // A checkpoint holds parameters whose loss has been checked, so
              // the last one written before a divergence is a good one.
              if (training.checkpoint_interval > 0 && step > first_step &&
                  step % training.checkpoint_interval == 0)
                {
                  write_checkpoint(step, m, v);
                  last_good_checkpoint = step;
                }
              if (step == first_step ||
                  (training.progress_interval > 0 &&
                   step % training.progress_interval == 0))
                record(step, loss);
              const double rate        = learning_rate(step);
              const double correction1 = 1. - std::pow(beta1, step + 1.);
              const double correction2 = 1. - std::pow(beta2, step + 1.);
              // Adam's update of the moments m, v of one number with gradient
              // g, returning its step.
              const auto adam_step = [&](const double g, double &m, double &v) {
                m = beta1 * m + (1. - beta1) * g;
                v = beta2 * v + (1. - beta2) * g * g;
                return rate * (m / correction1) /
                       (std::sqrt(v / correction2) + epsilon);
              };
              for (unsigned int i = 0; i < parameters.locally_owned_size(); ++i)
                parameters.local_element(i) -=
                  adam_step(gradient.local_element(i),
                            m.local_element(i),
                            v.local_element(i));
              // Self-adaptive weights: Adam ascent on ∂L/∂λ_k, the term's loss
              // (as the self-adaptive trainer of the FBPINNs code: the same
              // optimiser and rate, the sign flipped). That gradient is never
              // negative, so λ_k only grows from 1 and stays positive.
              if (self_adaptive)
                for (unsigned int k = 0; k < terms.size(); ++k)
                  terms[k].adaptive += adam_step(term_losses[k],
                                                 terms[k].adaptive_m,
                                                 terms[k].adaptive_v);
              parameters.update_ghost_values();
            }
          unsigned int iterations = step - first_step;
          std::string  lbfgs_warning;
          if (training.checkpoint_interval > 0 && step > first_step &&
              step % training.checkpoint_interval == 0)
            {
              // The state after the last Adam step, once its loss is checked.
              check_loss(step,
                         monitored(loss_and_gradient(parameters, nullptr)));
              write_checkpoint(step, m, v);
              last_good_checkpoint = step;
            }

          if (!have_first_loss && training.lbfgs_steps > 0)
            // No Adam step (resumed at 'Steps'): the first loss is the one
            // L-BFGS starts from.
            check_loss(step, monitored(loss_and_gradient(parameters, nullptr)));

          if (training.lbfgs_steps > 0)
            {
              // deal.II's L-BFGS on the same loss (without causal weights:
              // they depend on θ but carry no gradient, and its line search
              // needs the gradient of the loss it sees); its vectors carry no
              // ghosts, the loss is evaluated on a ghosted copy.
              causal_active = false;
              std::fill(causal_weights.begin(), causal_weights.end(), 1.);
              Vector x;
              x.reinit(parameters.locally_owned_elements(), comm);
              x = parameters;
              // The best point evaluated so far: where L-BFGS ends if its line
              // search fails (x then holds a trial point).
              Vector     best(x);
              double     best_value = std::numeric_limits<double>::infinity();
              const auto function   = [&](const Vector &y, Vector &g) {
                parameters = y;
                parameters.update_ghost_values();
                // No divergence check here: the line search tries long steps
                // on purpose; the loss after L-BFGS is checked below.
                const double value = loss_and_gradient(parameters, &gradient);
                g                  = gradient;
                if (value < best_value)
                  {
                    best_value = value;
                    best       = y;
                  }
                return value;
              };
              SolverControl control(training.lbfgs_steps, 0., false, false);
              SolverBFGS<Vector> bfgs(control,
                                      SolverBFGS<Vector>::AdditionalData(
                                        training.lbfgs_history));
              try
                {
                  bfgs.solve(function, x);
                }
              catch (const SolverControl::NoConvergence &)
                {
                  // The step budget is spent: the usual end of L-BFGS here.
                }
              catch (const std::exception &failure)
                {
                  // deal.II's line search gives up (no step that lowers the
                  // loss enough was found): L-BFGS ends at the best point it
                  // saw, as an optimiser that cannot go on does, and says so.
                  x = best;
                  // deal.II's text of it, "Could not ... iterations.", with its
                  // line breaks as spaces and without the frame of its message.
                  std::string what;
                  for (const char c : std::string(failure.what()))
                    if (!std::isspace(static_cast<unsigned char>(c)))
                      what += c;
                    else if (!what.empty() && what.back() != ' ')
                      what += ' ';
                  const auto begin = what.find("Could not");
                  what             = begin == std::string::npos ?
                                       "" :
                                       what.substr(begin, what.find('.', begin) - begin);
                  lbfgs_warning    = "L-BFGS stopped after " +
                                  std::to_string(control.last_step()) + " of " +
                                  std::to_string(training.lbfgs_steps) +
                                  " iterations: its line search failed (" +
                                  (what.empty() ? "no acceptable step" : what) +
                                  "); the result is the best point it reached";
                  if (root)
                    std::cerr << "fbpinn: warning: " << lbfgs_warning
                              << std::endl;
                }
              parameters = x;
              parameters.update_ghost_values();
              iterations += control.last_step();
            }

          loss = monitored(loss_and_gradient(parameters, nullptr));
          check_loss(step, loss);
          record(step, loss);
          if (resampling.method != "none")
            write_collocation_points(parameters);
          // The end state (L-BFGS trials are not checked, only where it ends):
          // a training that ends above where it started has gone wrong, however
          // far below 'Divergence factor' it stayed. With resampling, where it
          // started is the loss of the initial parameters at the final points.
          const double start_loss =
            initial_parameters.size() > 0 ?
              monitored(loss_and_gradient(initial_parameters, nullptr)) :
              first_loss;
          if (loss > start_loss)
            {
              std::ostringstream message;
              message << "training diverged at step " << step
                      << ": the final loss " << loss << " is above the ";
              if (initial_parameters.size() > 0)
                message << "loss " << start_loss
                        << " of the initial parameters at the same points";
              else
                message << losses();
              message << "; lower the Learning rate";
              throw std::runtime_error(message.str());
            }
          total_loss += loss;
          total_iterations += iterations;
          if (!lbfgs_warning.empty())
            warnings +=
              (warnings.empty() ? "" : "; ") +
              (time_slabs > 1 ? "time slab " + std::to_string(slab) + ": " :
                                std::string()) +
              lbfgs_warning;
        }
      causal_active = false;
      if (time_slabs > 1)
        {
          // All slabs' terms again (n_rows(), n_nonzeros()), and a last row
          // of training.csv with the errors at all points and the sum of
          // the slabs' final losses, which is the loss over all terms.
          terms         = std::move(all_terms);
          contributions = std::move(all_contributions);
          all_terms.clear();
          all_contributions.clear();
          build_batches();
          condition_weights   = initial_condition_weights;
          const auto [l2, l1] = collocation_errors(parameters);
          history.push_back({double(time_slabs * training.steps),
                             clock.wall_time(),
                             total_loss,
                             l1,
                             l2,
                             1.});
          history.back().insert(history.back().end(),
                                condition_weights.begin(),
                                condition_weights.end());
          history.back().insert(history.back().end(),
                                causal_weights.begin(),
                                causal_weights.end());
          write_history();
          if (root)
            std::cout << "fbpinn: " << time_slabs << " time slabs trained"
                      << std::scientific << std::setprecision(3) << " | loss "
                      << total_loss << " | L1 " << l1 << " | L2 " << l2
                      << std::defaultfloat << std::setprecision(6) << std::endl;
        }
      timer.stop();
      timings.solve += timer.last_wall_time();

      const double       loss       = total_loss;
      const unsigned int iterations = total_iterations;
      report                        = SolverReport();
      report.name = single_network ? "adam (pinn)" : "adam (fbpinn)";
      if (training.lbfgs_steps > 0)
        report.name += " + l-bfgs";
      report.iterations = iterations;
      report.converged  = std::isfinite(loss);
      report.residual   = std::sqrt(loss);
      report.warning    = warnings;
    }


    template <int dim>
    ResourceEstimate
    FBPINN<dim>::estimate_resources(
      const double                    n_cells,
      const Problems::Interface<dim> &problem) const
    {
      // The parameters with their gradient and Adam's two moments, and per
      // collocation point the value, gradient and Hessian of every output
      // (one per field) of the networks that cover it (one for PINN, at
      // least 2^dim for FBPINN). The network is built with one output until
      // solve() knows the problem.
      const unsigned int    n_fields    = problem.n_fields();
      Network::Architecture with_fields = architecture;
      with_fields.n_outputs             = n_fields;
      const double     P                = with_fields.n_parameters();
      ResourceEstimate estimate;
      // The coarser levels add at most 1/(2^dim − 1) of the finest level's
      // networks, and a point sees 2^dim networks on every level.
      const double L = single_network ? 1. : space_settings.n_levels;
      const double n_networks =
        single_network ?
          1. :
          n_cells * (L > 1 ? 1. + 1. / (std::pow(2., dim) - 1) : 1.);
      estimate.n_dofs = n_networks * P;
      estimate.n_rows = n_cells * std::pow(double(n_points_per_direction), dim);
      const double networks_per_point =
        single_network ? 1. : L * std::pow(2., dim);
      estimate.n_nonzeros = estimate.n_rows * networks_per_point * P;
      estimate.bytes =
        4 * 8. * estimate.n_dofs + 8. * estimate.n_rows * networks_per_point *
                                     n_fields * (1 + dim + dim * dim);
      estimate.entries =
        "subsection FBPINN, entry 'Collocation points per direction', and "
        "subsection Network, entry 'Hidden layers'";
      return estimate;
    }


    template <int dim>
    types::global_dof_index
    FBPINN<dim>::n_dofs() const
    {
      return parameters.size();
    }


    template <int dim>
    types::global_dof_index
    FBPINN<dim>::n_subdomains() const
    {
      return single_network ? 1 : space.n_global_subdomains();
    }


    template <int dim>
    unsigned int
    FBPINN<dim>::n_levels() const
    {
      return single_network ? 1 : space_settings.n_levels;
    }


    template <int dim>
    types::global_dof_index
    FBPINN<dim>::n_rows() const
    {
      return n_global_terms;
    }


    template <int dim>
    types::global_dof_index
    FBPINN<dim>::n_nonzeros() const
    {
      // The nonzeros of the Jacobian ∂r/∂θ: every (term, network) pair
      // couples all P parameters of the network.
      return n_global_contributions * network->n_parameters();
    }


    template <int dim>
    SolverReport
    FBPINN<dim>::solver_report() const
    {
      return report;
    }


    template <int dim>
    unsigned int
    FBPINN<dim>::n_assembly_points_per_direction() const
    {
      return n_points_per_direction;
    }


    namespace
    {
      /** u_h and ∇u_h of every field of the networks at the points of one
       * quadrature. */
      template <int dim>
      class NetworkEvaluator : public SolutionEvaluator<dim>
      {
      public:
        /** The jets of the fields at a point of a cell, into the pointer. */
        using Evaluate = std::function<
          void(const typename Triangulation<dim>::active_cell_iterator &,
               const Point<dim> &,
               Jet<dim> *)>;

        NetworkEvaluator(const unsigned int     n_fields,
                         const Mapping<dim>    &mapping,
                         const Quadrature<dim> &quadrature,
                         const Evaluate        &evaluate)
          : SolutionEvaluator<dim>(n_fields)
          , geometry_fe(0)
          , geometry(mapping, geometry_fe, quadrature, update_quadrature_points)
          , evaluate(evaluate)
          , jets(n_fields)
        {
          for (unsigned int f = 0; f < n_fields; ++f)
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
          for (unsigned int q = 0; q < this->field_values[0].size(); ++q)
            {
              evaluate(cell, geometry.quadrature_point(q), jets.data());
              for (unsigned int f = 0; f < jets.size(); ++f)
                {
                  this->field_values[f][q] = jets[f].value;
                  for (int d = 0; d < dim; ++d)
                    this->field_gradients[f][q][d] = jets[f].gradient[d];
                }
            }
        }

      private:
        const FE_DGQ<dim>     geometry_fe;
        FEValues<dim>         geometry;
        Evaluate              evaluate;
        std::vector<Jet<dim>> jets;
      };
    } // namespace


    template <int dim>
    const Mapping<dim> &
    FBPINN<dim>::get_mapping() const
    {
      return *mapping;
    }


    template <int dim>
    std::unique_ptr<SolutionEvaluator<dim>>
    FBPINN<dim>::create_evaluator(const Quadrature<dim> &quadrature) const
    {
      return std::make_unique<NetworkEvaluator<dim>>(
        n_fields,
        *mapping,
        quadrature,
        [this](const typename Triangulation<dim>::active_cell_iterator &cell,
               const Point<dim>                                        &x,
               Jet<dim> *u) { solution_jets(parameters, cell, x, u); });
    }


    template <int dim>
    void
    FBPINN<dim>::write_solution(const Problems::Interface<dim> &problem,
                                const std::string              &directory,
                                const std::string              &basename) const
    {
      // Sampled at the support points of a discontinuous Q3 element.
      if (triangulation_in_use == nullptr)
        return;
      const Triangulation<dim> &triangulation = *triangulation_in_use;
      const MPI_Comm            comm = parameters.get_mpi_communicator();
      const FE_DGQ<dim>         output_fe(3);
      DoFHandler<dim>           output_dofs(triangulation);
      output_dofs.distribute_dofs(output_fe);
      const IndexSet     owned = output_dofs.locally_owned_dofs();
      const unsigned int n     = n_fields;
      // u_f, u*_f, u_f − u*_f for every field f.
      std::vector<TrilinosWrappers::MPI::Vector> fields(
        3 * n,
        TrilinosWrappers::MPI::Vector(owned, comm));
      std::vector<double>   exact(n);
      const Quadrature<dim> support(output_fe.get_unit_support_points());
      const auto            evaluator = create_evaluator(support);
      FEValues<dim>         geometry(*mapping,
                             output_fe,
                             support,
                             update_quadrature_points);
      std::vector<types::global_dof_index> indices(output_fe.n_dofs_per_cell());
      dealii::Vector<float>                rank(triangulation.n_active_cells());
      for (const auto &cell : output_dofs.active_cell_iterators())
        if (cell->is_locally_owned())
          {
            geometry.reinit(cell);
            evaluator->reinit(cell);
            cell->get_dof_indices(indices);
            for (unsigned int q = 0; q < support.size(); ++q)
              {
                known_exact_fields(problem,
                                   geometry.quadrature_point(q),
                                   exact);
                for (unsigned int f = 0; f < n; ++f)
                  {
                    const double u                = evaluator->values(f)[q];
                    fields[3 * f](indices[q])     = u;
                    fields[3 * f + 1](indices[q]) = exact[f];
                    fields[3 * f + 2](indices[q]) = u - exact[f];
                  }
              }
            rank[cell->active_cell_index()] =
              Utilities::MPI::this_mpi_process(comm);
          }
      for (auto &vector : fields)
        vector.compress(VectorOperation::insert);
      DataOut<dim> data_out;
      data_out.attach_dof_handler(output_dofs);
      const std::vector<std::string> names = problem.field_names();
      for (unsigned int f = 0; f < n; ++f)
        {
          // One field keeps the names u, u_exact, error (as elm).
          data_out.add_data_vector(fields[3 * f], names[f]);
          data_out.add_data_vector(fields[3 * f + 1], names[f] + "_exact");
          data_out.add_data_vector(fields[3 * f + 2],
                                   n == 1 ? "error" : "error_" + names[f]);
        }
      data_out.add_data_vector(rank, "rank");
      data_out.build_patches(*mapping, 3);
      write_pvtu(data_out, directory, basename, comm);
    }


    template class FBPINN<1>;
    template class FBPINN<2>;
    template class FBPINN<3>;
    template class PINN<1>;
    template class PINN<2>;
    template class PINN<3>;
  } // namespace Methods
} // namespace fbpinn

FBPINN_REGISTER_METHOD(
  fbpinn::Methods::FBPINN,
  "fbpinn",
  "FBPINN: one MLP per subdomain (one per active cell) times the cosine-"
  "squared partition of unity of ELM, trained by Adam and optional L-BFGS on "
  "the collocated squared residual (subsections FBPINN, Network, Training).")

FBPINN_REGISTER_METHOD(
  fbpinn::Methods::PINN,
  "pinn",
  "PINN: one MLP on the whole domain, trained like fbpinn on the same "
  "collocation points (subsections FBPINN, Network, Training).")
