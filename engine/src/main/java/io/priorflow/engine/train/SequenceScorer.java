package io.priorflow.engine.train;

import io.priorflow.engine.model.TokenModel;
import io.priorflow.kernels.backend.KernelBackend;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Scores whole sequences, each from its own start position: a reward model or critic, the gold oracle, or a
 * hand-written rule in a test. Must be deterministic and score each sequence independently of the others.
 */
@FunctionalInterface
public interface SequenceScorer {
  /** One score per sequence; {@code from[i]} is the first scored position of sequence i (the response start). */
  double[] score(List<int[]> seqs, int[] from);

  /** A scalar-head model's scores ({@link TokenModel#scores}). */
  static SequenceScorer of(TokenModel model, KernelBackend be) {
    if (model.config().head() != io.priorflow.engine.model.TokenModelConfig.Head.SCALAR) {
      throw new IllegalArgumentException("a reward model needs the SCALAR head, but " + model + " has the "
          + model.config().head() + " head");
    }
    return (seqs, from) -> {
      float[] s = model.scores(be, seqs, from);
      double[] out = new double[s.length];
      for (int i = 0; i < s.length; i++) out[i] = s[i];
      return out;
    };
  }

  /** A function of each full sequence, ignoring the start (the gold oracle scores whole sequences). */
  static SequenceScorer ofSequence(ToDoubleFunction<int[]> f) {
    return (seqs, from) -> {
      double[] out = new double[seqs.size()];
      for (int i = 0; i < out.length; i++) out[i] = f.applyAsDouble(seqs.get(i));
      return out;
    };
  }
}
