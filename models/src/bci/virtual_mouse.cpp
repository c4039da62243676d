// One virtual mouse through calibration and all days; the order of operations is documented in
// virtual_mouse.hpp, the equations of the pieces in src/bci/*.hpp and experiment_spec.hpp.
#include "apical/models/bci/virtual_mouse.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>
#include <stdexcept>

#include "apical/engine/loop/chance.hpp"
#include "apical/engine/loop/decoder.hpp"
#include "apical/engine/loop/dff.hpp"
#include "apical/engine/loop/trial_task.hpp"
#include "apical/models/learning/learning_rules.hpp"
#include "apical/models/learning/stabilisers.hpp"
#include "basal_rate_curve.hpp"
#include "field_of_view.hpp"
#include "selection.hpp"
#include "session_light.hpp"
#include "teaching.hpp"

namespace apical::bci {

namespace {

// Stream ids and purpose tags (random_streams.hpp).
constexpr std::uint64_t stream_inputs = 0, stream_fi_inputs = 1, stream_soma_noise = 2, stream_dendrite_noise = 3,
                        stream_weights = 4, stream_misc = 5;
constexpr std::uint64_t purpose_drive = 0x6472697665ULL;       // "drive"
constexpr std::uint64_t purpose_rows = 0x726f7773ULL;          // "rows"
constexpr std::uint64_t purpose_select = 0x73656c656374ULL;    // "select"
constexpr std::uint64_t purpose_feedback = 0x6662ULL;          // "fb"
constexpr std::uint64_t purpose_perturb = 0x70657274ULL;       // "pert"
constexpr std::uint64_t purpose_calibration = 0x63616c6962ULL; // "calib"
constexpr std::uint64_t purpose_chance = 0x6368616e6365ULL;    // "chance"
constexpr std::uint64_t purpose_baseline_chance = 0x626368616e6365ULL;  // "bchance"
constexpr std::uint64_t purpose_light = 0x6c69676874ULL;       // "light"

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

double lognormal_unit_mean(double cv, double z) {
  const double s2 = std::log1p(cv * cv);
  return std::exp(std::sqrt(s2) * z - 0.5 * s2);
}

double pearson(const std::vector<double>& a, const std::vector<double>& b) {
  const std::size_t n = a.size();
  double ma = 0, mb = 0;
  for (std::size_t k = 0; k < n; ++k) ma += a[k], mb += b[k];
  ma /= static_cast<double>(n), mb /= static_cast<double>(n);
  double sab = 0, saa = 0, sbb = 0;
  for (std::size_t k = 0; k < n; ++k) {
    sab += (a[k] - ma) * (b[k] - mb);
    saa += (a[k] - ma) * (a[k] - ma);
    sbb += (b[k] - mb) * (b[k] - mb);
  }
  return saa > 0 && sbb > 0 ? sab / std::sqrt(saa * sbb) : nan;
}

// Everything that evolves while one mouse is simulated.
class MouseSimulation {
 public:
  MouseSimulation(const ExperimentSpec& spec, std::uint64_t mouse) : spec_(spec), mouse_(mouse) {
    validate(spec_);
    N_ = spec_.field_of_view.neurons();
    M_ = spec_.circuit.inputs.n_inputs;
    rule_ = builtin_learning_rules().find(spec_.learning.rule);
    rule_parameters_ = resolve_rule_parameters(spec_.learning);
    misc_ = id(stream_misc);
    setup_.mouse_id = mouse_id(mouse);
    setup_.seed = spec_.seed;
    setup_.mouse = mouse;
    setup_.inputs = M_;
    setup_.stabilisers = stabiliser_summary(spec_);
    build_weights();
    cells_ = detail::make_cell_batch(spec_.circuit, N_, spec_.dt_ms);
    build_field_of_view();
    init_plasticity();
  }

  // Steps 2–4: the f-I block if asked for, warm-up, the day-1 calibration block, roles, decoder constants.
  void prepare() {
    if (spec_.learning.basal_prediction == LearningSpec::BasalPrediction::fi_curve) measure_basal_rate();
    run_idle(static_cast<std::size_t>(std::llround(spec_.schedule.warm_up_s * frame_rate_Hz)));
    day_one_calibration();
  }

  [[nodiscard]] const MouseSetup& setup() const { return setup_; }
  [[nodiscard]] std::size_t neurons() const { return N_; }
  [[nodiscard]] const std::vector<double>& weights() const { return W_.w; }
  [[nodiscard]] double reward_baseline() const { return teaching_->reward_baseline(); }

  // A frame with no task and no teaching (warm-up, calibration): W changes only if the spec makes it
  // plastic during calibration.
  const detail::FrameTotals& idle_frame(bool light = false) {
    const detail::FrameTotals& t = fov_->run_frame(W_.w, light_drive(light));
    plasticity_frame(t, 0.0, spec_.learning.plastic_during_calibration);
    return t;
  }

  // The teaching history starts afresh every session; R̄, Bfb and W carry over.
  void start_session() {
    teaching_->start_session();
    teaching_T_ = 0.0;
  }

  // One task frame of the cells: the apical drive carries T from the previous frame's decision; `light`
  // is the manipulation's light at this frame.
  const detail::FrameTotals& task_frame(bool light) {
    const std::vector<double>& per_unit = teaching_->current_per_unit();
    for (std::size_t i = 0; i < N_; ++i) apical_pA_[i] = per_unit[i] * teaching_T_;
    detail::FrameDrive drive = light_drive(light);
    drive.apical_pA = apical_pA_;
    return fov_->run_frame(W_.w, drive);
  }

  // What the manipulation's light does to a frame's cells (no teaching).
  detail::FrameDrive light_drive(bool light) const {
    const OptoSpec& opto = spec_.manipulations.opto;
    detail::FrameDrive drive;
    drive.light = light;
    drive.conductance = light && opto.kind == OptoKind::apical_inhibition;
    const bool silencing = light && opto.kind == OptoKind::somatic_silencing;
    drive.somatic_reduction = drive.conductance ? opto.somatic_current_reduction
                              : silencing       ? opto.silencing_current_reduction
                                                : 0.0;
    drive.apical_excitation_pA = light && opto.kind == OptoKind::apical_excitation ? opto.excitation_pA : 0.0;
    drive.decoupled = light && opto.kind == OptoKind::apical_decoupling;
    return drive;
  }

  // The closed loop's decision on frame `t` (task frame and decoder output): δ and T for the next
  // frame, the rule's weight update and the learned feedback.
  detail::TeachingChannel::Output learn(const detail::FrameTotals& t, const loop::TaskFrame& frame,
                                        const loop::DecoderOutput& out) {
    const detail::TeachingChannel::Output teach = teaching_->step(frame, out);
    plasticity_frame(t, teach.delta, true);
    teaching_->learn_feedback(frame, out, activity_.rate_hz, activity_.rate_mean_hz, feedback_mean_weight_);
    teaching_T_ = teach.teaching;
    return teach;
  }

  MouseSetup run(const SessionSink& sink, const DayProgress& progress) {
    prepare();
    if (progress) progress(0);
    const int days = spec_.schedule.days, per_day = spec_.schedule.sessions_per_day;
    for (int day = 1; day <= days; ++day) {
      if (day > 1 && spec_.schedule.calibration_policy == CalibrationPolicy::daily) recalibrate(day);
      for (int s = 0; s < per_day; ++s) sink(setup_, run_session(day, s));
      if (progress) progress(day);
    }
    return setup_;
  }

 private:
  RandomStreamId id(std::uint64_t stream) const { return {spec_.seed, mouse_, stream}; }

  void build_weights() {
    W_.neurons = N_;
    W_.inputs = M_;
    W_.w = random_input_weights(N_, spec_.circuit.inputs, spec_.circuit.input_weights, id(stream_weights));
    W_.w_max = spec_.learning.w_max_pA_per_Hz;
    W_.clip_fraction = spec_.learning.clip_fraction;
    for (std::size_t i = 0; i < N_; ++i) {
      const double scale = lognormal_unit_mean(spec_.circuit.neuron_drive_cv, stream_rng(misc_, purpose_drive, i).normal());
      for (std::size_t j = 0; j < M_; ++j) W_.at(i, j) = std::min(W_.at(i, j) * scale, W_.w_max);
    }
    setup_.connected.resize(N_ * M_);
    for (std::size_t k = 0; k < N_ * M_; ++k) setup_.connected[k] = W_.w[k] > 0.0 ? 1 : 0;
  }

  detail::FieldOfViewConfig fov_config(bool imaging, std::uint64_t input_stream) const {
    detail::FieldOfViewConfig c;
    c.cells = cells_;
    c.inputs = spec_.circuit.inputs;
    c.indicator = spec_.imaging.indicator;
    c.noise_dFF = spec_.imaging.noise_dFF;
    c.dual_plane = spec_.imaging.dual_plane;
    c.imaging = imaging;
    c.indicator_step_ms = spec_.imaging.indicator_step_ms;
    c.dt_ms = spec_.dt_ms;
    c.rows.resize(N_);
    for (std::size_t i = 0; i < N_; ++i) c.rows[i] = std::min(stream_rng(misc_, purpose_rows, i).uniform(), 1.0 - 1e-12);
    c.inputs_id = id(input_stream);
    c.soma_noise_id = id(stream_soma_noise);
    c.dendrite_noise_id = id(stream_dendrite_noise);
    const OptoSpec& o = spec_.manipulations.opto;
    c.light_ms = o.light_ms;
    c.light_period_ms = o.light_period_ms;
    c.pmt_gate_ms = o.pmt_gate_ms;
    c.pmt_gate_in_flyback = o.pmt_gate_in_flyback;
    c.opto_tau_ms = o.tau_ms;
    c.opto_g_max_nS = o.g_max_nS;
    return c;
  }

  double rule_parameter(const char* name, double fallback) const {
    const auto& specs = rule_->info().parameters;
    for (std::size_t k = 0; k < specs.size(); ++k)
      if (specs[k].name == name) return rule_parameters_[k];
    return fallback;
  }

  void build_field_of_view() {
    detail::FieldOfViewConfig c = fov_config(true, stream_inputs);
    // Only R3 (r_basal) and R4 with cancellation (the twin's bursts and events) read the twin; it costs
    // one more cell step per step, so the others skip it.
    const bool twin_mode = spec_.learning.basal_prediction == LearningSpec::BasalPrediction::twin;
    const bool r4_cancels = spec_.learning.rule == "R4" && rule_parameter("cancellation", 0.0) > 0.5;
    if (r4_cancels && !twin_mode)
      throw std::invalid_argument("learning.basal_prediction fi_curve: R4's cancellation reads the basal-only twin; "
                                  "use basal_prediction \"twin\" or set R4's cancellation to 0");
    c.twin = twin_mode && (spec_.learning.rule == "R3" || r4_cancels);
    c.twin_inhibited = spec_.learning.twin_includes_apical_inhibition;
    if (rule_->info().perturbs_soma || rule_->info().perturbs_apical) {
      c.perturbation_sd_pA = rule_parameter("perturbation_sd", 0.0);
      c.perturbation_tau_ms = 1000.0 * rule_parameter("perturbation_tau", 0.075);
      c.perturbation_apical = rule_->info().perturbs_apical || rule_parameter("exploration_site", 0.0) > 0.5;
      c.perturbation_key = stream_key(misc_, purpose_perturb, 0);
    }
    fov_ = std::make_unique<detail::FieldOfView>(c, N_);
    twin_ = c.twin;
    dff_soma_ = std::make_unique<loop::DeltaFOverF>(N_, spec_.imaging.dff);
    dff_dendrite_ = std::make_unique<loop::DeltaFOverF>(N_, spec_.imaging.dff);
  }

  void init_plasticity() {
    FrameActivity& a = activity_;
    a.presynaptic_trace.assign(M_, 0.0);
    for (auto* v : {&a.rate_hz, &a.rate_mean_hz, &a.basal_rate_hz, &a.event_rate_hz, &a.burst_rate_hz,
                    &a.basal_event_rate_hz, &a.basal_burst_rate_hz, &a.burst_fraction_mean, &a.apical_sign, &a.ca_gate,
                    &a.perturbation})
      v->assign(N_, 0.0);
    rate_mean_.assign(N_, 0.0);
    event_mean_.assign(N_, 0.0);
    burst_mean_.assign(N_, 0.0);
    plasticity_.eligibility.assign(N_ * M_, 0.0);
    burst_tau_s_ = rule_parameter("burst_fraction_tau", 10.0);
    stabilisers_.activity_cost = spec_.learning.activity_cost;
    stabilisers_.synaptic_scaling_tau_s = spec_.learning.synaptic_scaling_tau_s;
    stabilised_ = stabilisers_.activity_cost > 0.0 || stabilisers_.synaptic_scaling_tau_s > 0.0;
    set_point_hz_.assign(N_, 0.0);
    apical_pA_.assign(N_, 0.0);
    feedback_mean_weight_ = 1.0 - std::exp(-1.0 / (frame_rate_Hz * spec_.learning.rate_mean_tau_s));
    setup_.initial_weights = W_.w;  // replaced at the start of day 1
  }

  // 2. The basal-only rate curve φ.
  void measure_basal_rate() {
    const LearningSpec& l = spec_.learning;
    detail::FieldOfView fi(fov_config(false, stream_fi_inputs), N_);
    detail::BasalRateBins bins(l.fi_bin_pA);
    std::vector<double> scaled(W_.w.size());
    const auto warm = static_cast<std::size_t>(std::llround(0.5 * frame_rate_Hz));
    const auto block = static_cast<std::size_t>(std::llround(l.fi_block_s * frame_rate_Hz));
    detail::FrameDrive drive;
    drive.dendritic_background = !l.fi_without_dendritic_noise;
    for (std::size_t s = 0; s < l.fi_scales; ++s) {
      const double factor = 0.2 * static_cast<double>(s + 1);
      for (std::size_t k = 0; k < W_.w.size(); ++k) scaled[k] = W_.w[k] * factor;
      for (std::size_t f = 0; f < warm + block; ++f) {
        const detail::FrameTotals& t = fi.run_frame(scaled, drive);
        if (f < warm) continue;
        for (std::size_t i = 0; i < N_; ++i)
          bins.add(t.I_syn_sum_pA[i] / static_cast<double>(t.steps), t.spikes[i] / t.duration_s);
      }
    }
    phi_ = bins.curve();
    have_phi_ = true;
    setup_.fi_current_pA = phi_.current_pA();
    setup_.fi_rate_hz = phi_.rate_Hz();
  }

  // Frame bookkeeping shared by every block: running traces, FrameActivity, optional W update.
  void plasticity_frame(const detail::FrameTotals& t, double delta, bool update) {
    FrameActivity& a = activity_;
    const double dur = t.duration_s;
    a.frame_s = dur;
    const double d_pre = std::exp(-dur / spec_.learning.presynaptic_tau_s);
    for (std::size_t j = 0; j < M_; ++j) a.presynaptic_trace[j] = relax(a.presynaptic_trace[j], t.input_spikes[j] / dur, d_pre);
    const double d_rate = std::exp(-dur / spec_.learning.rate_mean_tau_s);
    const double d_burst = std::exp(-dur / burst_tau_s_);
    const double inv_steps = 1.0 / static_cast<double>(t.steps);
    for (std::size_t i = 0; i < N_; ++i) {
      const double r = t.spikes[i] / dur, E = t.events[i] / dur, B = t.bursts[i] / dur;
      const double P = event_mean_[i] > 0.0 ? burst_mean_[i] / event_mean_[i] : 0.0;
      a.rate_hz[i] = r;
      a.rate_mean_hz[i] = rate_mean_[i];
      a.basal_rate_hz[i] = twin_ ? t.twin_spikes[i] / dur : have_phi_ ? phi_(t.I_syn_sum_pA[i] * inv_steps) : r;
      a.event_rate_hz[i] = E;
      a.burst_rate_hz[i] = B;
      a.basal_event_rate_hz[i] = twin_ ? t.twin_events[i] / dur : E;
      a.basal_burst_rate_hz[i] = twin_ ? t.twin_bursts[i] / dur : B;
      a.burst_fraction_mean[i] = P;
      a.apical_sign[i] = t.events[i] > 0.0 ? t.bursts[i] / t.events[i] - P : 0.0;
      a.ca_gate[i] = t.f_max[i];
      a.perturbation[i] = t.xi_sum_pA[i] * inv_steps;
      rate_mean_[i] = relax(rate_mean_[i], r, d_rate);
      event_mean_[i] = relax(event_mean_[i], E, d_burst);
      burst_mean_[i] = relax(burst_mean_[i], B, d_burst);
    }
    a.reward_prediction_error = delta;
    if (!update) return;
    rule_->update(rule_parameters_, a, plasticity_, W_);
    if (stabilised_) apply_stabilisers(stabilisers_, a, set_point_hz_, W_);
    if (!spec_.circuit.plastic_unconnected)
      for (std::size_t k = 0; k < W_.w.size(); ++k) W_.w[k] = setup_.connected[k] ? W_.w[k] : 0.0;
  }

  // Idle frames; raw F and spike counts optionally kept.
  void run_idle(std::size_t frames, bool light = false, std::vector<double>* soma_f = nullptr,
                std::vector<double>* dendrite_f = nullptr, std::vector<double>* spike_counts = nullptr) {
    for (std::size_t f = 0; f < frames; ++f) {
      const detail::FrameTotals& t = idle_frame(light);
      if (soma_f) soma_f->insert(soma_f->end(), t.soma_F.begin(), t.soma_F.end());
      if (dendrite_f) dendrite_f->insert(dendrite_f->end(), t.dendrite_F.begin(), t.dendrite_F.end());
      if (spike_counts)
        for (std::size_t i = 0; i < N_; ++i) (*spike_counts)[i] += t.spikes[i];
    }
  }

  // A calibration block: raw F of both planes → ΔF/F (soma returned, frames × N). The online ΔF/F
  // objects end the block with their windows over its last frames. With seed_from_block, F0 is first
  // seeded from the block's first W frames (day 1); otherwise it keeps sliding from before.
  std::vector<double> calibration_block(bool seed_from_block, bool light) {
    const std::size_t frames = spec_.calibration_frames();
    std::vector<double> soma_f, dendrite_f;
    soma_f.reserve(frames * N_);
    dendrite_f.reserve(frames * N_);
    std::vector<double> spikes(N_, 0.0);
    run_idle(frames, light, &soma_f, &dendrite_f, &spikes);
    if (seed_from_block)  // day 1: each neuron's scaling set point is its calibration rate
      for (std::size_t i = 0; i < N_; ++i) set_point_hz_[i] = spikes[i] * frame_rate_Hz / static_cast<double>(frames);
    if (seed_from_block) {
      const std::size_t head = std::min(frames, spec_.imaging.dff.baseline.window) * N_;
      dff_soma_->seed(loop::FrameBlock(std::span<const double>(soma_f.data(), head), N_));
      dff_dendrite_->seed(loop::FrameBlock(std::span<const double>(dendrite_f.data(), head), N_));
    }
    std::vector<double> soma_dff(frames * N_), dendrite_dff(N_);
    for (std::size_t k = 0; k < frames; ++k) {
      dff_soma_->step(std::span<const double>(soma_f.data() + k * N_, N_), std::span<double>(soma_dff.data() + k * N_, N_));
      dff_dendrite_->step(std::span<const double>(dendrite_f.data() + k * N_, N_), dendrite_dff);
    }
    return soma_dff;
  }

  loop::Calibration calibrate_block(const std::vector<double>& soma_dff, std::uint64_t index) const {
    loop::CalibrationParams params = spec_.loop.calibration;
    params.seed = stream_key(misc_, purpose_calibration, index);
    return loop::calibrate(loop::FrameBlock(soma_dff, N_), roles_, spec_.loop.decoder, params);
  }

  loop::ChanceParams chance_params(std::uint64_t purpose, std::uint64_t index) const {
    loop::ChanceParams params;
    params.repetitions = spec_.loop.chance_repetitions;
    params.min_shift_frames = spec_.loop.chance_min_shift_frames;
    params.seed = stream_key(misc_, purpose, index);
    params.task = spec_.loop.task;
    return params;
  }

  // The chance level of a calibration block with its own calibration: what the shift procedure gives on
  // baseline activity, before any learning (validate() checked that the block is long enough).
  double baseline_chance(const std::vector<double>& soma_dff, const loop::Calibration& calibration,
                         std::uint64_t index) const {
    if (spec_.loop.chance_repetitions == 0) return nan;
    return loop::chance_level(loop::FrameBlock(soma_dff, N_), roles_, calibration, spec_.loop.decoder,
                              chance_params(purpose_baseline_chance, index))
        .chance;
  }

  // 3–4. Day-1 calibration block, roles, frozen decoder constants.
  void day_one_calibration() {
    const bool lit = opto_lights_calibration(spec_.manipulations.opto, 1);
    const std::vector<double> soma_dff = calibration_block(true, lit);
    const loop::FrameBlock block(soma_dff, N_);
    setup_.calibration_transient_rate_per_min = detail::transient_rate_per_min(block, spec_.selection, frame_rate_Hz);
    CounterRng select_rng = stream_rng(misc_, purpose_select, 0);
    try {
      roles_ = detail::select_roles(setup_.calibration_transient_rate_per_min, spec_.field_of_view, spec_.selection, select_rng);
    } catch (const std::runtime_error& e) {
      if (!lit) throw;
      throw std::runtime_error(std::string(e.what()) + " (the calibration block was under the light of manipulations.opto; "
                               "calibration_lit = false calibrates it dark)");
    }
    setup_.roles = roles_;
    calibration_ = calibrate_block(soma_dff, 0);
    setup_.calibration = calibration_;
    chance_baseline_ = baseline_chance(soma_dff, calibration_, 0);
    setup_.chance_baseline = chance_baseline_;
    // Baseline correlation of the population means (learning_rules.md pitfall 15).
    const loop::PopulationDifference population(roles_);
    std::vector<double> plus(block.frames()), minus(block.frames());
    for (std::size_t k = 0; k < block.frames(); ++k) {
      const auto m = population.means(block.row(k));
      plus[k] = m.plus;
      minus[k] = m.minus;
    }
    setup_.baseline_corr_plus_minus = pearson(plus, minus);
    if (spec_.record.calibration_dff) setup_.calibration_soma_dff = soma_dff;
    CounterRng feedback_rng = stream_rng(misc_, purpose_feedback, 0);
    teaching_ = std::make_unique<detail::TeachingChannel>(spec_, roles_, spec_.loop.calibration.p_cal, feedback_rng);
    setup_.initial_weights = W_.w;
  }

  // Daily policy: a fresh calibration block before the day's first session (roles fixed).
  void recalibrate(int day) {
    const std::vector<double> soma_dff = calibration_block(false, opto_lights_calibration(spec_.manipulations.opto, day));
    const std::uint64_t index = setup_.recalibrations.size() + 1;
    calibration_ = calibrate_block(soma_dff, index);
    setup_.recalibrations.push_back(calibration_);
    chance_baseline_ = baseline_chance(soma_dff, calibration_, index);
    setup_.recalibration_chance_baseline.push_back(chance_baseline_);
  }

  SessionRecord run_session(int day, int session) {
    const std::size_t frames = spec_.session_frames();
    const OptoSpec& opto = spec_.manipulations.opto;
    SessionRecord rec;
    rec.mouse_id = setup_.mouse_id;
    rec.day = day;
    rec.session = session;
    rec.frame_rate_hz = frame_rate_Hz;
    for (auto* v : {&rec.decoder_z, &rec.error, &rec.angle_deg, &rec.teaching, &rec.reward_prediction_error}) v->resize(frames);
    rec.state.resize(frames);
    rec.flags.assign(frames, 0);
    rec.opto.assign(frames, 0);
    std::vector<double> soma_dff(frames * N_), dendrite_dff;
    std::vector<double> soma_f, dendrite_f;
    if (spec_.record.dendrite_dff) dendrite_dff.resize(frames * N_);
    if (spec_.record.raw_f) {
      soma_f.resize(frames * N_);
      dendrite_f.resize(frames * N_);
    }
    std::vector<double> dendrite_row(N_), spikes(N_, 0.0), events(N_, 0.0), bursts(N_, 0.0);

    loop::Decoder decoder(roles_, calibration_, spec_.loop.decoder);
    loop::TrialTask task(spec_.loop.task);
    detail::SessionLight session_light(opto, day, frame_rate_Hz, stream_rng(misc_, purpose_light, session_counter_));
    start_session();
    for (std::size_t k = 0; k < frames; ++k) {
      const bool light = session_light.next_lit();
      const detail::FrameTotals& t = task_frame(light);

      const std::span<double> row(soma_dff.data() + k * N_, N_);
      dff_soma_->step(t.soma_F, row);
      dff_dendrite_->step(t.dendrite_F, spec_.record.dendrite_dff ? std::span<double>(dendrite_dff.data() + k * N_, N_)
                                                                  : std::span<double>(dendrite_row));
      if (spec_.record.raw_f) {
        std::copy(t.soma_F.begin(), t.soma_F.end(), soma_f.begin() + static_cast<std::ptrdiff_t>(k * N_));
        std::copy(t.dendrite_F.begin(), t.dendrite_F.end(), dendrite_f.begin() + static_cast<std::ptrdiff_t>(k * N_));
      }
      const loop::DecoderOutput out = decoder.step(row);
      const loop::TaskFrame frame = task.step(out.at_target, out.angle_deg);
      const detail::TeachingChannel::Output teach = learn(t, frame, out);
      session_light.observe(frame, out);

      for (std::size_t i = 0; i < N_; ++i) {
        spikes[i] += t.spikes[i];
        events[i] += t.events[i];
        bursts[i] += t.bursts[i];
      }
      rec.decoder_z[k] = out.z;
      rec.error[k] = out.error;
      rec.angle_deg[k] = out.angle_deg;
      rec.state[k] = frame.state;
      rec.flags[k] = static_cast<std::uint8_t>((frame.hit ? frame_flag::hit : 0) | (frame.reward_command ? frame_flag::reward : 0));
      rec.opto[k] = light ? 1 : 0;
      rec.teaching[k] = teach.teaching;
      rec.reward_prediction_error[k] = teach.delta;
    }

    // Per-neuron traces.
    const double seconds = static_cast<double>(frames) / frame_rate_Hz;
    rec.neurons.resize(N_);
    for (std::size_t i = 0; i < N_; ++i) {
      NeuronTrace& n = rec.neurons[i];
      n.id = static_cast<std::int32_t>(i);
      n.role = roles_[i];
      n.soma_dff.resize(frames);
      for (std::size_t k = 0; k < frames; ++k) n.soma_dff[k] = soma_dff[k * N_ + i];
      if (spec_.record.dendrite_dff) {
        n.dendrite_dff.resize(frames);
        for (std::size_t k = 0; k < frames; ++k) n.dendrite_dff[k] = dendrite_dff[k * N_ + i];
      }
      if (spec_.record.raw_f) {
        n.soma_f.resize(frames);
        n.dendrite_f.resize(frames);
        for (std::size_t k = 0; k < frames; ++k) {
          n.soma_f[k] = soma_f[k * N_ + i];
          n.dendrite_f[k] = dendrite_f[k * N_ + i];
        }
      }
      n.rate_hz = spikes[i] / seconds;
      n.event_rate_hz = events[i] / seconds;
      n.burst_rate_hz = bursts[i] / seconds;
    }

    // Trials.
    const std::size_t open = spec_.loop.task.open_frames;
    std::size_t rewards = 0;
    for (const loop::TrialRecord& r : task.records()) {
      TrialRow row;
      row.start_frame = static_cast<std::int64_t>(r.start_frame);
      if (r.hit_frame) row.hit_frame = static_cast<std::int64_t>(*r.hit_frame);
      if (r.reward_frame) {
        row.reward_frame = static_cast<std::int64_t>(*r.reward_frame);
        ++rewards;
      }
      if (r.end_frame) row.last_frame = static_cast<std::int64_t>(*r.end_frame);
      switch (r.outcome) {
        case loop::Outcome::hit:
          row.outcome = TrialOutcome::hit;
          row.end_frame = row.hit_frame;
          ++rec.hits;
          break;
        case loop::Outcome::fail:
          row.outcome = TrialOutcome::miss;
          row.end_frame = static_cast<std::int64_t>(r.start_frame + open);
          ++rec.misses;
          break;
        case loop::Outcome::pending: row.outcome = TrialOutcome::incomplete; break;
      }
      rec.trials.push_back(row);
    }
    const std::size_t decided = rec.hits + rec.misses;
    rec.accuracy = decided ? static_cast<double>(rec.hits) / static_cast<double>(decided) : nan;
    rec.rewards_per_min = static_cast<double>(rewards) / (seconds / 60.0);
    rec.chance = nan;
    if (spec_.loop.chance_repetitions > 0)
      rec.chance = loop::chance_level(loop::FrameBlock(soma_dff, N_), roles_, calibration_, spec_.loop.decoder,
                                      chance_params(purpose_chance, session_counter_))
                       .chance;
    rec.chance_baseline = chance_baseline_;
    ++session_counter_;
    rec.reward_baseline = teaching_->reward_baseline();
    rec.weights = W_.w;
    rec.feedback = teaching_->delivered_feedback();
    return rec;
  }

  const ExperimentSpec& spec_;
  std::uint64_t mouse_;
  std::size_t N_ = 0, M_ = 0;
  RandomStreamId misc_;
  std::shared_ptr<const LearningRule> rule_;
  std::vector<double> rule_parameters_;
  WeightMatrix W_;
  PlasticityState plasticity_;
  FrameActivity activity_;
  std::vector<double> rate_mean_, event_mean_, burst_mean_;
  double burst_tau_s_ = 10.0;
  StabiliserParams stabilisers_;
  bool stabilised_ = false;
  std::vector<double> set_point_hz_;  // [N] synaptic scaling set points
  bool twin_ = false, have_phi_ = false;
  std::shared_ptr<const detail::CellBatch> cells_;  // the cells, shared by every field of view of this mouse
  std::unique_ptr<detail::FieldOfView> fov_;
  std::unique_ptr<loop::DeltaFOverF> dff_soma_, dff_dendrite_;
  detail::BasalRateCurve phi_;
  std::vector<loop::Role> roles_;
  loop::Calibration calibration_;
  double chance_baseline_ = nan;  // of the calibration block in force
  std::unique_ptr<detail::TeachingChannel> teaching_;
  double teaching_T_ = 0.0;          // T(k − 1), applied over the frame being simulated
  std::vector<double> apical_pA_;    // [N] Bfb_i·gain·T
  double feedback_mean_weight_ = 0;  // per-frame weight of the learned feedback's running cursor mean
  std::uint64_t session_counter_ = 0;
  MouseSetup setup_;
};

}  // namespace

std::string mouse_id(std::uint64_t mouse) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "m%02llu", static_cast<unsigned long long>(mouse));
  return buffer;
}

struct LiveMouse::Impl {
  ExperimentSpec spec;  // MouseSimulation keeps a reference to it
  MouseSimulation simulation;
  const detail::FrameTotals* last_task_frame = nullptr;

  Impl(const ExperimentSpec& s, std::uint64_t mouse) : spec(s), simulation(spec, mouse) { simulation.prepare(); }
};

LiveMouse::LiveMouse(const ExperimentSpec& spec, std::uint64_t mouse) : impl_(std::make_unique<Impl>(spec, mouse)) {}

LiveMouse::~LiveMouse() = default;

const MouseSetup& LiveMouse::setup() const { return impl_->simulation.setup(); }

std::size_t LiveMouse::neurons() const { return impl_->simulation.neurons(); }

std::span<const double> LiveMouse::weights() const { return impl_->simulation.weights(); }

double LiveMouse::reward_baseline() const { return impl_->simulation.reward_baseline(); }

std::span<const double> LiveMouse::idle_frame() {
  impl_->last_task_frame = nullptr;
  return impl_->simulation.idle_frame().soma_F;
}

void LiveMouse::start_session() { impl_->simulation.start_session(); }

std::span<const double> LiveMouse::task_frame(bool light) {
  impl_->last_task_frame = &impl_->simulation.task_frame(light);
  return impl_->last_task_frame->soma_F;
}

void LiveMouse::learn(const loop::TaskFrame& task, const loop::DecoderOutput& decision) {
  if (!impl_->last_task_frame) throw std::logic_error("LiveMouse::learn needs a task_frame() before it");
  impl_->simulation.learn(*impl_->last_task_frame, task, decision);
  impl_->last_task_frame = nullptr;
}

MouseSetup simulate_mouse(const ExperimentSpec& spec, std::uint64_t mouse, const SessionSink& sink,
                          const DayProgress& progress) {
  MouseSimulation simulation(spec, mouse);
  return simulation.run(sink, progress);
}

MouseRecord simulate_mouse(const ExperimentSpec& spec, std::uint64_t mouse, const DayProgress& progress) {
  MouseRecord record;
  record.setup = simulate_mouse(
      spec, mouse, [&](const MouseSetup&, SessionRecord&& session) { record.sessions.push_back(std::move(session)); },
      progress);
  return record;
}

}  // namespace apical::bci
