package io.priorflow.engine.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricNamesTest {

  @Test
  void columnOrderIsTraitsFixedAncestryAnalytic() {
    List<String> scrambled = List.of("linear.test_error", "ancestry.world", "reward.gold", "trait.toxic",
        "ancestry.critic-1", "knowledge.accuracy", "trait.polite", "gaussian.mean", "labels.human", "kl.base");
    assertEquals(List.of("trait.toxic", "trait.polite", "knowledge.accuracy", "kl.base", "reward.gold",
        "labels.human", "ancestry.critic-1", "ancestry.world", "gaussian.mean", "linear.test_error"),
        MetricNames.order(scrambled));
  }

  @Test
  void fixedMetricsFollowTheDesignOrder() {
    assertEquals(List.of("knowledge.accuracy", "knowledge.rare_accuracy", "knowledge.context_accuracy",
        "knowledge.heldout_accuracy", "knowledge.current_accuracy", "knowledge.stale_rate",
        "knowledge.current_accuracy_head", "knowledge.current_accuracy_torso", "knowledge.current_accuracy_tail",
        "knowledge.stale_rate_head", "knowledge.stale_rate_torso", "knowledge.stale_rate_tail",
        "knowledge.current_accuracy_fast", "knowledge.current_accuracy_slow", "knowledge.stale_rate_fast",
        "knowledge.stale_rate_slow", "diversity.entropy", "diversity.distinct2",
        "diversity.wellformed", "diversity.distinct2_wellformed", "honesty.hallucination", "honesty.abstention",
        "honesty.calibration_error", "honesty.hallucination_head", "honesty.hallucination_torso",
        "honesty.hallucination_tail", "honesty.abstention_head", "honesty.abstention_torso", "honesty.abstention_tail",
        "honesty.monofact_rate",
        "loss.world", "kl.base", "reward.gold", "reward.gold_chat", "reward.proxy", "winrate", "eval.bon_kl", "eval.bon_kl_bound", "eval.bon_fit_alpha", "eval.bon_fit_beta", "eval.bon_fit_r2", "eval.bon_fit_peak_kl", "labels.human", "labels.ai", "cost.human_usd",
        "time.human_hours"), MetricNames.FIXED);
    assertEquals(List.of("gaussian.mean", "gaussian.variance", "gaussian.variance_law", "gaussian.w2",
        "linear.test_error", "linear.test_error_law", "bandit.gold_reward", "bandit.kl_teacher", "bandit.kl_base",
        "bandit.entropy", "bandit.best_arm", "bandit.optimum_kl"), MetricNames.ANALYTIC);
  }

  @Test
  void rejectsUnknownNames() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MetricNames.order(List.of("trait.toxic", "reward.gld", "trait.")));
    assertTrue(e.getMessage().contains("reward.gld") && e.getMessage().contains("trait."), e.getMessage());
    assertFalse(MetricNames.isKnown("ancestry."));
    assertTrue(MetricNames.isKnown("ancestry.human"));
    assertThrows(IllegalArgumentException.class, () -> MetricNames.trait(""));
  }

  @Test
  void mergePutsPartsInColumnOrderAndRefusesToSetAMetricTwice() {
    Map<String, Double> eval = new LinkedHashMap<>();
    eval.put("trait.b", 0.5);
    eval.put("trait.a", 0.25);
    eval.put("reward.gold", 1.0);
    Map<String, Double> merged = MetricNames.merge(eval, new LabelCounters(3, 4, 1.5, 0.25).metrics(),
        MetricNames.ancestry(Map.of("world", 0.75, "human", 0.25)));
    assertEquals(List.of("trait.b", "trait.a", "reward.gold", "labels.human", "labels.ai", "cost.human_usd",
        "time.human_hours", "ancestry.human", "ancestry.world"), List.copyOf(merged.keySet()));
    assertEquals(3.0, merged.get("labels.human"));
    assertThrows(IllegalArgumentException.class, () -> MetricNames.merge(eval, Map.of("reward.gold", 2.0)));
  }

  @Test
  void countersAddUpAndRejectNegatives() {
    assertEquals(new LabelCounters(3, 5, 2.5, 1.0),
        new LabelCounters(1, 2, 0.5, 0.25).plus(new LabelCounters(2, 3, 2.0, 0.75)));
    assertThrows(IllegalArgumentException.class, () -> new LabelCounters(-1, 0, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new LabelCounters(0, 0, Double.NaN, 0));
  }
}
