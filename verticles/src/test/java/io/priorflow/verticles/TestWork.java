package io.priorflow.verticles;

import io.priorflow.engine.metrics.EvaluationSet;
import io.priorflow.engine.model.OptimizerConfig;
import io.priorflow.engine.model.SamplingConfig;
import io.priorflow.engine.model.TokenModel;
import io.priorflow.engine.model.TokenModelConfig;
import io.priorflow.engine.rng.RandomStreams;
import io.priorflow.engine.scenario.HumanSpec;
import io.priorflow.engine.work.EvaluateWork;
import io.priorflow.engine.work.LabelWork;
import io.priorflow.engine.work.MemoryModelStore;
import io.priorflow.engine.work.ModelStore;
import io.priorflow.engine.work.SampleWork;
import io.priorflow.engine.work.ScoreWork;
import io.priorflow.engine.work.TrainWork;
import io.priorflow.engine.work.WorkContext;
import io.priorflow.engine.work.WorkItem;
import io.priorflow.engine.world.Example;
import io.priorflow.engine.world.Prompt;
import io.priorflow.engine.world.Vocabulary;
import io.priorflow.engine.world.World;
import io.priorflow.kernels.backend.ReferenceBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Tiny work for actor tests: the default world, a token model and a critic of a few hundred weights, an evaluation
 * set of three prompts, and one item of each kind, each a few milliseconds of work.
 */
public final class TestWork {
  public static final World WORLD = World.defaults();
  public static final RandomStreams STREAMS = new RandomStreams(7);
  public static final TokenModelConfig TINY = new TokenModelConfig(TokenModelConfig.Head.TOKEN,
      WORLD.vocabulary().size(), 3, 4, List.of(8), TokenModelConfig.Activation.GELU, Vocabulary.PAD);
  public static final EvaluationSet EVALUATION = EvaluationSet.draw(WORLD, 3, 1, 1f, 2, STREAMS);

  public final ModelStore models;
  public final WorkContext context;
  public final String teacherId;
  public final String criticId;

  /** A fresh in-memory store holding the teacher and the critic. */
  public TestWork() {
    this(new MemoryModelStore());
  }

  /** The given store, into which the teacher and the critic are put. */
  public TestWork(ModelStore models) {
    this.models = models;
    this.context = new WorkContext(WORLD, STREAMS, models, new ReferenceBackend(), EVALUATION);
    this.teacherId = models.put(TokenModel.initialize(TINY, new SplittableRandom(1)));
    this.criticId = models.put(TokenModel.initialize(TINY.withScalarHead(), new SplittableRandom(2)));
  }

  /** n world examples drawn from a stream named after the id. */
  public static List<Example> examples(String id, int n) {
    SplittableRandom rng = STREAMS.forChild(id, "test-examples");
    List<Example> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) out.add(WORLD.sample(rng));
    return out;
  }

  public SampleWork sample(String id) {
    List<int[]> prompts = examples(id, 3).stream().map(e -> e.prompt().tokens()).toList();
    return new SampleWork(id, teacherId, prompts, new SamplingConfig(1f, 0, 5, Vocabulary.EOS));
  }

  /** Passages for the prompts of eight world examples (some fact questions), from the index of generation 0. */
  public io.priorflow.engine.work.RetrieveWork retrieve(String id) {
    List<int[]> queries = examples(id, 8).stream().map(e -> e.prompt().tokens()).toList();
    return new io.priorflow.engine.work.RetrieveWork(id, queries, 0, 2, 0.9, 0.8);
  }

  public ScoreWork score(String id) {
    List<Example> ex = examples(id, 3);
    return new ScoreWork(id, "critic-0", criticId, ex.stream().map(Example::sequence).toList(),
        ex.stream().mapToInt(e -> e.prompt().length()).toArray(), 0.5);
  }

  public LabelWork label(String id) {
    List<Example> ex = examples(id, 4);
    HumanSpec human = new HumanSpec(2, 0.8, Map.of("polite", 0.1), 30, 25, 0.02, 0.2);
    return new LabelWork(id, "human-0", human, 0.5, ex.stream().map(Example::prompt).toList(),
        ex.stream().map(Example::sequence).toList(), "correct");
  }

  public TrainWork train(String id) {
    List<Example> ex = examples(id, 6);
    return new TrainWork(id, "lm", TINY, teacherId, ex.stream().map(Example::sequence).toList(),
        ex.stream().mapToInt(e -> e.prompt().length()).toArray(), null, 1, 4, 1e-2, "cosine", 1,
        OptimizerConfig.defaults());
  }

  public TrainWork trainCritic(String id) {
    List<Example> ex = examples(id, 5);
    double[] targets = ex.stream().mapToDouble(e -> WORLD.oracle().score(e.sequence()).utility()).toArray();
    return new TrainWork(id, "score_regression", TINY, null, ex.stream().map(Example::sequence).toList(),
        ex.stream().mapToInt(e -> e.prompt().length()).toArray(), targets, 2, 2, 1e-2, "constant", 0,
        OptimizerConfig.defaults());
  }

  public EvaluateWork evaluate(String id) {
    return new EvaluateWork(id, teacherId, teacherId, criticId);
  }

  /** One item of every kind (two of train: lm and score_regression), ids under {@code prefix}. */
  public List<WorkItem> oneOfEach(String prefix) {
    return List.of(sample(prefix + "/sample"), score(prefix + "/score"), label(prefix + "/label"),
        train(prefix + "/train"), trainCritic(prefix + "/train-critic"), evaluate(prefix + "/evaluate"),
        retrieve(prefix + "/retrieve"));
  }

  /**
   * A mixed stage of {@code perKind} items of every kind but evaluation and training (the cheap ones), plus one
   * training and one evaluation item, listed in an order that is not the id order.
   */
  public List<WorkItem> stage(String prefix, int perKind) {
    List<WorkItem> items = new ArrayList<>();
    for (int i = perKind - 1; i >= 0; i--) {
      String n = String.format("%04d", i);
      items.add(label(prefix + "/label/" + n));
      items.add(sample(prefix + "/sample/" + n));
      items.add(score(prefix + "/score/" + n));
    }
    items.add(train(prefix + "/train/0000"));
    items.add(evaluate(prefix + "/evaluate/0000"));
    return items;
  }
}
