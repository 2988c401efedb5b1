package io.priorflow.engine.work;

import io.priorflow.engine.model.TokenModel;
import io.priorflow.engine.rng.RandomStreams;
import java.util.List;

/**
 * The AI critic actor's constitutional scoring and preference labelling (RLAIF); plain reward-model scoring is
 * {@link Actors#score}. Every draw comes from a child stream of the item's, named after the sequence or pair.
 */
final class AiCritic {
  private AiCritic() {}

  /** Constitution scores of each sequence, plus τ·Gumbel noise from child stream "seq/i". */
  static ScoreResult constitution(ConstitutionWork w, WorkContext ctx) {
    if (w.from().length != w.sequences().size()) {
      throw new IllegalArgumentException(w.id() + ": " + w.sequences().size() + " sequences but " + w.from().length
          + " start positions");
    }
    double[] s = w.constitution().scores(ctx.backend(), ctx.models()::get, w.sequences(), w.from());
    long seed = ctx.streams().itemSeed(w.id());
    if (w.temperature() > 0) {
      for (int i = 0; i < s.length; i++) {
        double u = RandomStreams.child(seed, "seq/" + i).nextDouble();
        s[i] += w.temperature() * -Math.log(-Math.log(Math.max(u, Double.MIN_VALUE)));
      }
    }
    return new ScoreResult(w.id(), s);
  }

  /** Prefers the higher-scored response of each pair; at τ &gt; 0 the first with probability σ((s₁ − s₂)/τ). */
  static PreferResult prefer(CriticPreferWork w, WorkContext ctx) {
    int n = w.first().size();
    if (w.second().size() != n || w.from().length != n) {
      throw new IllegalArgumentException(w.id() + ": " + n + " first responses, " + w.second().size()
          + " second ones and " + w.from().length + " start positions; all three must match");
    }
    if ((w.modelId() == null) == (w.constitution() == null)) {
      throw new IllegalArgumentException(w.id() + ": a critic preference needs exactly one of a reward model id and "
          + "a constitution");
    }
    double[] a = scores(w, w.first(), ctx), b = scores(w, w.second(), ctx);
    long seed = ctx.streams().itemSeed(w.id());
    boolean[] preferFirst = new boolean[n];
    for (int i = 0; i < n; i++) {
      double u = RandomStreams.child(seed, "pair/" + i).nextDouble();
      double p = w.temperature() > 0 ? 1 / (1 + Math.exp(-(a[i] - b[i]) / w.temperature()))
          : a[i] > b[i] ? 1 : a[i] < b[i] ? 0 : 0.5;
      preferFirst[i] = u < p;
    }
    return new PreferResult(w.id(), preferFirst, 0, 0);
  }

  private static double[] scores(CriticPreferWork w, List<int[]> seqs, WorkContext ctx) {
    if (w.constitution() != null) return w.constitution().scores(ctx.backend(), ctx.models()::get, seqs, w.from());
    TokenModel rm = ctx.models().get(w.modelId());
    float[] s = rm.scores(ctx.backend(), seqs, w.from());
    double[] out = new double[s.length];
    for (int i = 0; i < s.length; i++) out[i] = s[i];
    return out;
  }
}
