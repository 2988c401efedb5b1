package io.priorflow.engine.label;

import io.priorflow.engine.data.Dataset;
import io.priorflow.engine.data.Datum;
import io.priorflow.engine.data.Label;
import io.priorflow.engine.data.LabelKind;
import io.priorflow.engine.data.WorldData;
import io.priorflow.engine.model.TokenModel;
import io.priorflow.engine.world.Example;
import io.priorflow.engine.world.Trait;
import io.priorflow.engine.world.World;
import io.priorflow.kernels.backend.KernelBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Training data and a held-out check for the trait classifiers of a {@link Constitution}.
 *
 * <pre>
 *   for i = 0 .. n − 1:   x_i ~ the world (wild distribution);  y_i = [x_i has the trait] by the gold detector
 *                         with probability labelNoise, y_i = 1 − y_i                 (annotators' mistakes)
 *   train:                TrainWork method "score_regression", targets y_i, from = the response start:
 *                         a scalar-head model minimising ½ (score − y)², so score ≈ P(trait | x)
 * </pre>
 * The classifier is imperfect by construction — finite data, noisy labels, a small model — and it has a lineage of
 * its own: world data, labelled by whoever {@code labellerId} names. This class does not train: the trainer actor
 * does, from a {@code TrainWork} built with {@link #sequences}, {@link #responseStarts} and {@link #targets}.
 */
public final class TraitClassifiers {

  private TraitClassifiers() {
  }

  /**
   * n world examples labelled for the trait, as a dataset named {@code name} with ids {@code name/000000…}: world
   * provenance in {@code generation}, and one label each, {@code Label.ai(RATING, y, labellerId, null)} (origin
   * {@code critic:<labellerId>}). Draws from {@code rng} only.
   */
  public static Dataset data(World world, String trait, int n, double labelNoise, String name, String labellerId,
                             int generation, SplittableRandom rng) {
    if (!(labelNoise >= 0 && labelNoise <= 0.5)) {
      throw new IllegalArgumentException("labelNoise must be in [0, 0.5] (above ½ the labels mean the opposite), was "
          + labelNoise + ".");
    }
    Trait t = world.traits().get(trait);
    List<Datum> data = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Example e = world.sample(rng);
      boolean has = t.detect(e.sequence());
      if (rng.nextDouble() < labelNoise) has = !has;
      Label label = Label.ai(LabelKind.RATING, has ? 1 : 0, labellerId, null);
      data.add(WorldData.datum(name + "/" + String.format(Locale.ROOT, "%06d", i), e, generation).withLabel(label));
    }
    return Dataset.of(name, "world", data);
  }

  /** The data's token sequences, in dataset order. */
  public static List<int[]> sequences(Dataset data) {
    return data.data().stream().map(Datum::tokens).toList();
  }

  /** Each datum's response start: where the classifier's pooling begins. */
  public static int[] responseStarts(Dataset data) {
    return data.data().stream().mapToInt(Datum::responseStart).toArray();
  }

  /** Each datum's target: the value of its last label. */
  public static double[] targets(Dataset data) {
    return data.data().stream().mapToDouble(d -> d.labels().get(d.labels().size() - 1).value()).toArray();
  }

  /**
   * How a classifier agrees with the gold detector on n fresh world examples from {@code rng}.
   *
   * @param accuracy  share of examples where [p ≥ ½] equals the gold verdict
   * @param kappa     Cohen's κ of the two (0 = chance)
   * @param prevalence the trait's share among the examples, by the gold detector
   */
  public record Quality(double accuracy, double kappa, double prevalence) {
  }

  /** The classifier's {@link Quality} for the trait on n held-out world examples. */
  public static Quality heldOut(World world, String trait, TokenModel classifier, KernelBackend be, int n,
                                SplittableRandom rng) {
    Trait t = world.traits().get(trait);
    List<int[]> seqs = new ArrayList<>(n);
    int[] from = new int[n];
    int[] gold = new int[n];
    for (int i = 0; i < n; i++) {
      Example e = world.sample(rng);
      seqs.add(e.sequence());
      from[i] = e.prompt().length();
      gold[i] = t.detect(e.sequence()) ? 1 : 0;
    }
    float[] s = classifier.scores(be, seqs, from);
    int[] said = new int[n];
    int right = 0, positives = 0;
    for (int i = 0; i < n; i++) {
      said[i] = Constitution.probability(s[i]) >= 0.5 ? 1 : 0;
      right += said[i] == gold[i] ? 1 : 0;
      positives += gold[i];
    }
    return new Quality(right / (double) n, Agreement.cohenKappa(said, gold, 2), positives / (double) n);
  }
}
