package io.priorflow.engine.label;

import io.priorflow.engine.metrics.EvaluationSet;
import io.priorflow.engine.model.OptimizerConfig;
import io.priorflow.engine.model.TokenModelConfig;
import io.priorflow.engine.rng.RandomStreams;
import io.priorflow.engine.scenario.HumanSpec;
import io.priorflow.engine.work.Actors;
import io.priorflow.engine.work.MemoryModelStore;
import io.priorflow.engine.work.TrainResult;
import io.priorflow.engine.work.TrainWork;
import io.priorflow.engine.work.WorkContext;
import io.priorflow.engine.world.Example;
import io.priorflow.engine.world.Vocabulary;
import io.priorflow.engine.world.World;
import io.priorflow.kernels.backend.Backends;
import io.priorflow.kernels.backend.KernelBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Shared fixtures of the labelling tests: a work context on a world, humans with chosen parameters, world examples
 * from a named stream, and models trained in a second or so (window 8, embeddings 8 wide, one hidden layer of 32).
 */
public final class LabelKit {
  public static final World WORLD = World.defaults();
  static final KernelBackend BACKEND = Backends.create(Backends.DEFAULT, 2);

  private LabelKit() {}

  /** A context on the world with an empty in-memory store and the seed 11. */
  public static WorkContext context(World world) {
    RandomStreams streams = new RandomStreams(11);
    return new WorkContext(world, streams, new MemoryModelStore(), BACKEND,
        EvaluationSet.draw(world, 2, 1, 1f, 0, streams));
  }

  /** A human with these accuracy, biases, fatigue and anchoring; 30 s per label at 25 USD per hour. */
  public static HumanSpec human(double accuracy, Map<String, Double> biases, double fatiguePerHour, double anchoring) {
    return new HumanSpec(1, accuracy, biases, 30, 25, fatiguePerHour, anchoring);
  }

  /** n wild examples from the stream {@code new SplittableRandom(seed)}. */
  public static List<Example> examples(World world, int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Example> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) out.add(world.sample(rng));
    return out;
  }

  /** The small architecture of these tests, token head. */
  public static TokenModelConfig tiny(World world) {
    return new TokenModelConfig(TokenModelConfig.Head.TOKEN, world.vocabulary().size(), 8, 8, List.of(32),
        TokenModelConfig.Activation.GELU, Vocabulary.PAD);
  }

  /** Trains a model through the trainer actor and returns its id (it is in the context's store). */
  public static String train(WorkContext ctx, String id, String method, List<int[]> seqs, int[] from, double[] targets,
                             int epochs, double lr) {
    TrainWork w = new TrainWork(id, method, tiny(ctx.world()), null, seqs, from, targets, epochs, 32, lr, "cosine", 10,
        OptimizerConfig.defaults());
    return ((TrainResult) Actors.perform(w, ctx)).modelId();
  }

  /** A language model pretrained on n wild examples of the context's world (loss on every token). */
  public static String pretrain(WorkContext ctx, int n, int epochs) {
    List<Example> ex = examples(ctx.world(), n, 5);
    List<int[]> seqs = ex.stream().map(Example::sequence).toList();
    int[] from = new int[n];
    java.util.Arrays.fill(from, 1);
    return train(ctx, "test/pretrain", "lm", seqs, from, null, epochs, 0.02);
  }
}
