package io.priorflow.engine.run;

import io.priorflow.engine.metrics.MetricNames;
import io.priorflow.engine.scenario.FilterStage;
import io.priorflow.engine.scenario.LabelStage;
import io.priorflow.engine.scenario.LineageSpec;
import io.priorflow.engine.scenario.RedTeamStage;
import io.priorflow.engine.scenario.Scenario;
import io.priorflow.engine.scenario.StageSpec;
import io.priorflow.engine.scenario.TrainStage;
import java.util.Collection;
import java.util.Set;
import java.util.LinkedHashSet;

/**
 * The metric columns a run of a scenario will fill, known when its first row is written, so that metrics.csv has the
 * same columns from its first generation on: a metric that appears only in a later generation (a method's own
 * measure, a labeller's agreement with gold, a source of ancestry) has its column, empty, from the start.
 *
 * <p>The first row (generation 0 of the first lineage) gives every metric of an evaluation and the costs; the rest
 * comes from the scenario's stages, as {@link LineageRun} and the trainers add them:
 * <pre>
 * any train stage           params.trainable, params.full, optimizer.bytes, optimizer.bytes_full
 * reward_model              reward.train_agreement, reward.heldout_pairs, reward.heldout_agreement, and reward.proxy
 * dpo, online_dpo           dpo.accuracy, dpo.margin          kto   kto.accuracy, kto.margin, kto.kl
 * gkd                       gkd.divergence, gkd.on_policy     distill_token   distill.kl
 * rlhf                      rlhf.proxy_reward, rlhf.gold_reward, rlhf.kl, and rlhf.value_loss with baseline: value
 * best_of_n                 best_of_n.reward_best, best_of_n.reward_mean, best_of_n.kl_bound
 * label by humans           labels.seconds_per_label, labels.gold_agreement.humans and .human-&lt;i&gt;,
 *                           ancestry.human:human-&lt;i&gt;
 *   (also online_dpo by humans; demonstrations without the gold agreements)
 *   prefer with overlap     labels.kappa, labels.agreement;  assisted: labels.anchored_error and
 *                           labels.gold_agreement.critic (or .assistant with assistant: classifier)
 * the critic judging        labels.gold_agreement.critic (labels, online_dpo), and the critic's sources in ancestry:
 *   (label, filter,         critic:critic, or with a constitution critic:annotators-&lt;trait&gt; per rule
 *   assisted, rlhf …)       (rlhf, best_of_n and online_dpo always critic:critic, the utility model)
 * filter by gold            ancestry.critic:gold
 * redteam                   redteam.find_rate; by humans labels.seconds_per_label and
 *                           ancestry.human:red-team-&lt;i&gt;, by ai ancestry.critic:annotators-&lt;trait&gt;; either
 *                           way ancestry.human:human-&lt;i&gt; of the writers of better responses (up to the budget)
 * evaluation.winRateAgainst winrate
 * world.knowledge.changes   knowledge.current_accuracy, knowledge.stale_rate and their _head, _torso, _tail;
 *                           with slices of two or more rates (every) also their _fast and _slow
 * retrieval (evaluation, a  cost.retrieval_queries, cost.retrieval_usd, time.retrieval_hours
 *   lineage, a generate
 *   stage or the critic)
 * analytic bandit, dpo/rlhf bandit.optimum_kl
 * </pre>
 * A metric none of these foresee (a source of ancestry this list does not know) still gets its column when it
 * first appears; the scenario library's test checks that none does. A foreseen metric that never gets a value (an
 * anchored error where no pre-label was wrong) leaves its column empty.
 */
public final class MetricColumns {
  private MetricColumns() {}

  /** The columns of changing facts, measured from the first change on ({@code knowledge.changes}). */
  private static final java.util.List<String> CHANGED_FACTS = java.util.List.of(MetricNames.KNOWLEDGE_CURRENT_ACCURACY,
      MetricNames.KNOWLEDGE_STALE_RATE, MetricNames.KNOWLEDGE_CURRENT_ACCURACY_HEAD,
      MetricNames.KNOWLEDGE_CURRENT_ACCURACY_TORSO, MetricNames.KNOWLEDGE_CURRENT_ACCURACY_TAIL,
      MetricNames.KNOWLEDGE_STALE_RATE_HEAD, MetricNames.KNOWLEDGE_STALE_RATE_TORSO,
      MetricNames.KNOWLEDGE_STALE_RATE_TAIL);

  /**
   * True when the scenario retrieves: {@code evaluation.retrieval}, a lineage's {@code retrieval}, a generate stage's
   * {@code retrieval} or the critic's ({@code actors.critics.retrieval}).
   */
  public static boolean retrieves(Scenario s) {
    return s.analytic() == null && (s.evaluation().retrieval() != null
        || s.actors().critics().retrieval() != null
        || s.lineages().stream().anyMatch(l -> l.retrieval() != null) || s.lineages().stream().flatMap(l ->
        l.stages().stream()).anyMatch(st -> st instanceof io.priorflow.engine.scenario.GenerateStage g
        && g.retrieval() != null));
  }

  /** The columns of a run of {@code s} whose first row has the metrics {@code firstRow}. */
  public static Set<String> expected(Scenario s, Collection<String> firstRow) {
    Set<String> m = new LinkedHashSet<>(firstRow); // trait columns keep the order the world gives them
    if (s.analytic() != null) {
      // a bandit's policy steps toward a closed-form optimum under dpo and rlhf, from generation 1 on
      boolean tilts = s.analytic() instanceof io.priorflow.engine.scenario.AnalyticSpec.Bandit
          && s.lineages().stream().flatMap(l -> l.stages().stream()).anyMatch(st -> st instanceof TrainStage t
              && (t.method() == TrainStage.Method.DPO || t.method() == TrainStage.Method.RLHF));
      if (tilts) m.add(MetricNames.BANDIT_OPTIMUM_KL);
      return m;
    }
    if (s.evaluation().measuresWinRate()) m.add(MetricNames.WIN_RATE);
    if (s.world() != null && !s.world().knowledge().changes().isEmpty()) {
      m.addAll(CHANGED_FACTS);
      if (s.world().knowledge().changes().stream().mapToInt(c -> c.every()).distinct().count() > 1) {
        m.addAll(java.util.List.of(MetricNames.KNOWLEDGE_CURRENT_ACCURACY_FAST,
            MetricNames.KNOWLEDGE_CURRENT_ACCURACY_SLOW, MetricNames.KNOWLEDGE_STALE_RATE_FAST,
            MetricNames.KNOWLEDGE_STALE_RATE_SLOW));
      }
    }
    if (retrieves(s)) {
      m.add(MetricNames.COST_RETRIEVAL_QUERIES);
      m.add(MetricNames.COST_RETRIEVAL_USD);
      m.add(MetricNames.TIME_RETRIEVAL_HOURS);
    }
    for (LineageSpec l : s.lineages()) {
      for (StageSpec st : l.stages()) {
        switch (st) {
          case TrainStage t -> {
            train(t, m);
            boolean byCritic = t.method() == TrainStage.Method.RLHF || t.method() == TrainStage.Method.BEST_OF_N
                || (t.method() == TrainStage.Method.ONLINE_DPO && t.byOrDefault() == LabelStage.By.CRITIC);
            if (byCritic) m.add(MetricNames.ancestry("critic:" + ScenarioRun.CRITIC)); // the critic's utility model
            if (t.method() == TrainStage.Method.ONLINE_DPO) {
              if (t.byOrDefault() == LabelStage.By.CRITIC) {
                m.add(MetricNames.GOLD_AGREEMENT_PREFIX + ScenarioRun.CRITIC);
              } else {
                humans(s, Integer.MAX_VALUE, true, m);
              }
            }
          }
          case LabelStage lb -> {
            if (lb.by() == LabelStage.By.CRITIC) {
              m.add(MetricNames.GOLD_AGREEMENT_PREFIX + ScenarioRun.CRITIC);
              m.addAll(criticJudge(s));
              continue;
            }
            humans(s, lb.sample(), lb.task() != LabelStage.Task.DEMONSTRATE, m);
            if (lb.task() == LabelStage.Task.PREFER && lb.overlap() > 0) {
              m.add(MetricNames.LABELS_KAPPA);
              m.add(MetricNames.LABELS_AGREEMENT);
            }
            if (lb.assisted()) {
              m.add(MetricNames.LABELS_ANCHORED_ERROR);
              if (lb.assistantOrDefault() == LabelStage.Assistant.CLASSIFIER) {
                m.add(MetricNames.GOLD_AGREEMENT_PREFIX + ScenarioRun.ASSISTANT);
              } else {
                m.add(MetricNames.GOLD_AGREEMENT_PREFIX + ScenarioRun.CRITIC);
                m.addAll(criticJudge(s));
              }
            }
          }
          case FilterStage f -> {
            if (f.by() == FilterStage.By.CRITIC) m.addAll(criticJudge(s));
            else m.add(MetricNames.ancestry("critic:gold")); // the gold filter's keep labels
          }
          case RedTeamStage r -> {
            m.add(MetricNames.REDTEAM_FIND_RATE);
            var rt = s.actors().redTeamers();
            if (r.by() == RedTeamStage.By.HUMAN) {
              m.add(MetricNames.LABELS_SECONDS_PER_LABEL);
              for (int i = 0; i < Math.min(rt.count(), rt.budget()); i++) {
                m.add(MetricNames.ancestry("human:" + ScenarioRun.redTeamerId(i)));
              }
            } else {
              m.add(MetricNames.ancestry("critic:annotators-" + r.trait())); // its trait classifier's labellers
            }
            // the humans who write the better responses: find q to human q mod count, so at most min(count, budget)
            var humans = s.actors().humans();
            for (int h = 0; h < Math.min(humans.count(), rt.budget()); h++) {
              if (!humans.absent(h)) m.add(MetricNames.ancestry("human:" + ScenarioRun.humanId(h)));
            }
          }
          default -> { }
        }
      }
    }
    return m;
  }

  /** Columns of human labellers' work on up to {@code sample} items (with or without judgements against gold). */
  private static void humans(Scenario s, int sample, boolean judged, Set<String> m) {
    var humans = s.actors().humans();
    m.add(MetricNames.LABELS_SECONDS_PER_LABEL);
    if (judged) m.add(MetricNames.GOLD_AGREEMENT_PREFIX + "humans");
    for (int i = 0; i < Math.min(humans.count(), sample); i++) {
      if (humans.absent(i)) continue;
      if (judged) m.add(MetricNames.GOLD_AGREEMENT_PREFIX + ScenarioRun.humanId(i));
      m.add(MetricNames.ancestry("human:" + ScenarioRun.humanId(i)));
    }
  }

  /**
   * The sources of the critic's judgement: its utility model ({@code critic:critic}), or with a constitution each
   * rule's trait classifier, whose labels came from {@code annotators-<trait>}.
   */
  private static Set<String> criticJudge(Scenario s) {
    var c = s.actors().critics().constitution();
    Set<String> out = new LinkedHashSet<>();
    if (c == null) {
      out.add(MetricNames.ancestry("critic:" + ScenarioRun.CRITIC));
    } else {
      c.rules().forEach(r -> out.add(MetricNames.ancestry("critic:annotators-" + r.trait())));
    }
    return out;
  }

  private static void train(TrainStage t, Set<String> m) {
    m.add(MetricNames.PARAMS_TRAINABLE);
    m.add(MetricNames.PARAMS_FULL);
    m.add(MetricNames.OPTIMIZER_BYTES);
    m.add(MetricNames.OPTIMIZER_BYTES_FULL);
    switch (t.method()) {
      case REWARD_MODEL -> {
        m.add(MetricNames.REWARD_TRAIN_AGREEMENT);
        m.add(MetricNames.REWARD_HELDOUT_PAIRS);
        m.add(MetricNames.REWARD_HELDOUT_AGREEMENT);
        m.add(MetricNames.REWARD_PROXY);
      }
      case DPO, ONLINE_DPO -> {
        m.add(MetricNames.DPO_ACCURACY);
        m.add(MetricNames.DPO_MARGIN);
      }
      case KTO -> {
        m.add(MetricNames.KTO_ACCURACY);
        m.add(MetricNames.KTO_MARGIN);
        m.add(MetricNames.KTO_KL);
      }
      case GKD -> {
        m.add(MetricNames.GKD_DIVERGENCE);
        m.add(MetricNames.GKD_ON_POLICY);
      }
      case DISTILL_TOKEN -> m.add(MetricNames.DISTILL_KL);
      case RLHF -> {
        m.add(MetricNames.RLHF_PROXY_REWARD);
        m.add(MetricNames.RLHF_GOLD_REWARD);
        m.add(MetricNames.RLHF_KL);
        if (t.baselineOrDefault() == TrainStage.Baseline.VALUE) m.add(MetricNames.RLHF_VALUE_LOSS);
      }
      case BEST_OF_N -> {
        m.add(MetricNames.BEST_OF_N_REWARD_BEST);
        m.add(MetricNames.BEST_OF_N_REWARD_MEAN);
        m.add(MetricNames.BEST_OF_N_KL_BOUND);
      }
      default -> { }
    }
  }
}
