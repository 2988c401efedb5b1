package io.priorflow.engine.work;

import io.priorflow.engine.rng.Draws;
import io.priorflow.engine.rng.RandomStreams;
import io.priorflow.engine.scenario.HumanSpec;
import io.priorflow.engine.world.Example;
import io.priorflow.engine.world.GoldScore;
import io.priorflow.engine.world.Prompt;
import io.priorflow.engine.world.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A simulated human labeller checking sequences one after another. For each sequence:
 * <pre>
 *   hours   = hoursBefore + time spent so far in this item / 3600
 *   a       = ½ + (accuracy − ½) · max(0, 1 − fatiguePerHour · hours)     accuracy decays toward a coin flip
 *   good    = gold utility of the sequence ≥ 0                              the oracle's verdict
 *   p       = (good ? a : 1 − a) + Σ_{traits t present} biases[t]          clamped to [0, 1]
 *   accept  ~ Bernoulli(p), from child stream "seq/i" of the item's stream
 * </pre>
 * A label takes {@code secondsPerLabel}; under the task "correct" a rejected sequence is rewritten — the human
 * writes the world's response to the same prompt under the high-quality tag's profile (a demonstration) — which
 * takes three times as long. Cost is seconds / 3600 · costPerHour. Not modelled here: anchoring on AI pre-labels
 * (model-assisted labelling is its own method).
 */
final class HumanLabeller {
  /** A correction takes this many labels' time. */
  static final double CORRECTION_TIME_FACTOR = 3.0;

  private HumanLabeller() {}

  static LabelResult label(LabelWork w, WorkContext ctx) {
    if (!w.task().equals("rate") && !w.task().equals("correct")) {
      throw new IllegalArgumentException("label task must be rate or correct, was " + w.task());
    }
    if (w.prompts().size() != w.sequences().size()) {
      throw new IllegalArgumentException(w.id() + ": " + w.prompts().size() + " prompts but "
          + w.sequences().size() + " sequences");
    }
    HumanSpec h = w.human();
    long seed = ctx.streams().itemSeed(w.id());
    int n = w.sequences().size();
    boolean[] accepted = new boolean[n];
    List<int[]> corrections = new ArrayList<>(n);
    double seconds = 0;
    for (int i = 0; i < n; i++) {
      SplittableRandom rng = RandomStreams.child(seed, "seq/" + i);
      double hours = w.hoursBefore() + seconds / 3600.0;
      double a = 0.5 + (h.accuracy() - 0.5) * Math.max(0, 1 - h.fatiguePerHour() * hours);
      GoldScore gold = ctx.world().oracle().score(w.sequences().get(i));
      double p = gold.utility() >= 0 ? a : 1 - a;
      for (Map.Entry<String, Double> bias : h.biases().entrySet()) {
        int t = ctx.world().traits().indexOf(bias.getKey());
        if (t >= 0 && gold.traits()[t]) p += bias.getValue();
      }
      accepted[i] = Draws.bernoulli(Math.min(1, Math.max(0, p)), rng);
      seconds += h.secondsPerLabel();
      if (!accepted[i] && w.task().equals("correct")) {
        Prompt pr = w.prompts().get(i);
        Prompt asked = new Prompt(Tag.HIGH, pr.kind(), pr.tokens(), pr.entity(), pr.attribute(), pr.answer());
        Example demo = ctx.world().sampleResponse(asked, rng);
        corrections.add(demo.sequence());
        seconds += (CORRECTION_TIME_FACTOR - 1) * h.secondsPerLabel();
      } else {
        corrections.add(new int[0]);
      }
    }
    return new LabelResult(w.id(), accepted, corrections, seconds, seconds / 3600.0 * h.costPerHour());
  }
}
