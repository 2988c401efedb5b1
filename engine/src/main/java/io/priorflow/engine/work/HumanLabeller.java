package io.priorflow.engine.work;

import io.priorflow.engine.label.HumanJudge;
import io.priorflow.engine.rng.RandomStreams;
import io.priorflow.engine.world.GoldOracle;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The human labeller actor: works through an item's sequences, pairs or prompts one after another, its fatigue
 * growing with the simulated time spent ({@code hoursBefore} + seconds so far). The judgement, time and cost model is
 * {@link HumanJudge}'s; this class only walks the items and draws each one's streams:
 * <pre>
 *   LabelWork        sequence i: "seq/i" (judgement, then a correction's drafts), "anchor/i" (anchoring)
 *   PreferWork       pair i:     "pair/i" (judgement), "anchor/i" (anchoring)
 *   DemonstrateWork  prompt i:   "prompt/i" (drafts and the choice between them)
 * </pre>
 * Under the task "correct" a rejected sequence is rewritten: the human writes a demonstration for its prompt, which
 * adds (WRITE_FACTOR − 1) · secondsPerLabel to the label's time.
 */
final class HumanLabeller {
  private HumanLabeller() {}

  static LabelResult label(LabelWork w, WorkContext ctx) {
    if (!w.task().equals("rate") && !w.task().equals("correct")) {
      throw new IllegalArgumentException("label task must be rate or correct, was " + w.task());
    }
    int n = w.sequences().size();
    if (w.prompts().size() != n) {
      throw new IllegalArgumentException(w.id() + ": " + w.prompts().size() + " prompts but " + n + " sequences");
    }
    requirePreLabels(w.id(), w.preLabels(), n);
    HumanJudge judge = new HumanJudge(w.human(), ctx.world(w.id()));
    GoldOracle oracle = judge.oracle(); // the world's gold, or the labeller's own scoring
    long seed = ctx.streams().itemSeed(w.id());
    boolean[] accepted = new boolean[n];
    List<int[]> corrections = new ArrayList<>(n);
    double seconds = 0;
    for (int i = 0; i < n; i++) {
      SplittableRandom rng = RandomStreams.child(seed, "seq/" + i);
      double hours = w.hoursBefore() + seconds / 3600.0;
      double p = judge.pAccept(oracle.score(w.sequences().get(i)), hours);
      HumanJudge.Decision d = judge.decide(p, w.preLabels() == null ? null : w.preLabels()[i], rng,
          RandomStreams.child(seed, "anchor/" + i));
      accepted[i] = d.label();
      seconds += d.seconds();
      if (!accepted[i] && w.task().equals("correct")) {
        corrections.add(judge.demonstrate(w.prompts().get(i), hours, rng));
        seconds += judge.writeSeconds() - w.human().secondsPerLabel();
      } else {
        corrections.add(new int[0]);
      }
    }
    return new LabelResult(w.id(), accepted, corrections, seconds, judge.usd(seconds));
  }

  static PreferResult prefer(PreferWork w, WorkContext ctx) {
    int n = w.first().size();
    if (w.second().size() != n) {
      throw new IllegalArgumentException(w.id() + ": " + n + " first responses but " + w.second().size()
          + " second ones");
    }
    requirePreLabels(w.id(), w.prePreferFirst(), n);
    HumanJudge judge = new HumanJudge(w.human(), ctx.world(w.id()));
    GoldOracle oracle = judge.oracle(); // the world's gold, or the labeller's own scoring
    long seed = ctx.streams().itemSeed(w.id());
    boolean[] preferFirst = new boolean[n];
    double seconds = 0;
    for (int i = 0; i < n; i++) {
      double hours = w.hoursBefore() + seconds / 3600.0;
      double p = judge.pPreferFirst(oracle.score(w.first().get(i)), oracle.score(w.second().get(i)), hours);
      HumanJudge.Decision d = judge.decide(p, w.prePreferFirst() == null ? null : w.prePreferFirst()[i],
          RandomStreams.child(seed, "pair/" + i), RandomStreams.child(seed, "anchor/" + i));
      preferFirst[i] = d.label();
      seconds += d.seconds();
    }
    return new PreferResult(w.id(), preferFirst, seconds, judge.usd(seconds));
  }

  static DemonstrateResult demonstrate(DemonstrateWork w, WorkContext ctx) {
    HumanJudge judge = new HumanJudge(w.human(), ctx.world(w.id()));
    long seed = ctx.streams().itemSeed(w.id());
    List<int[]> out = new ArrayList<>(w.prompts().size());
    double seconds = 0;
    for (int i = 0; i < w.prompts().size(); i++) {
      double hours = w.hoursBefore() + seconds / 3600.0;
      out.add(judge.demonstrate(w.prompts().get(i), hours, RandomStreams.child(seed, "prompt/" + i)));
      seconds += judge.writeSeconds();
    }
    return new DemonstrateResult(w.id(), out, seconds, judge.usd(seconds));
  }

  private static void requirePreLabels(String id, boolean[] pre, int n) {
    if (pre != null && pre.length != n) {
      throw new IllegalArgumentException(id + ": " + n + " items but " + pre.length + " pre-labels");
    }
  }
}
