package io.priorflow.engine.work;

import io.priorflow.engine.metrics.Evaluator;
import io.priorflow.engine.model.TokenModel;
import io.priorflow.engine.rng.RandomStreams;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What each actor role does: one pure function per kind of {@link WorkItem}, of (item, the item's random stream,
 * the models it names). The actor runtime calls {@link #perform} on whichever node holds the item; nothing here
 * depends on which instance, node or thread that is.
 */
public final class Actors {
  private Actors() {}

  /** Performs the item and returns its result. IllegalArgumentException for an item that cannot be performed. */
  public static WorkResult perform(WorkItem item, WorkContext ctx) {
    return switch (item) {
      case SampleWork w -> sample(w, ctx);
      case ScoreWork w -> score(w, ctx);
      case LabelWork w -> HumanLabeller.label(w, ctx);
      case PreferWork w -> HumanLabeller.prefer(w, ctx);
      case DemonstrateWork w -> HumanLabeller.demonstrate(w, ctx);
      case ConstitutionWork w -> AiCritic.constitution(w, ctx);
      case CriticPreferWork w -> AiCritic.prefer(w, ctx);
      case RedTeamWork w -> RedTeamer.redTeam(w, ctx);
      case TrainWork w -> Trainer.train(w, ctx);
      case EvaluateWork w -> evaluate(w, ctx);
      case RetrieveWork w -> new RetrieveResult(w.id(), Retriever.retrieve(ctx.world().at(w.indexGeneration()),
          w.queries(), w.k(), w.recall(), w.precision(), ctx.streams().itemSeed(w.id())));
    };
  }

  /** Generator: the teacher continues each prompt from its own child stream. */
  static SampleResult sample(SampleWork w, WorkContext ctx) {
    TokenModel teacher = ctx.models().get(w.modelId());
    long seed = ctx.streams().itemSeed(w.id());
    List<SplittableRandom> rngs = new ArrayList<>(w.prompts().size());
    for (int i = 0; i < w.prompts().size(); i++) rngs.add(RandomStreams.child(seed, "prompt/" + i));
    return new SampleResult(w.id(), teacher.sample(ctx.backend(), w.prompts(), w.sampling(), rngs));
  }

  /** AI critic: the critic model's score of each sequence, plus τ·Gumbel noise from the sequence's own stream. */
  static ScoreResult score(ScoreWork w, WorkContext ctx) {
    TokenModel critic = ctx.models().get(w.modelId());
    float[] s = critic.scores(ctx.backend(), w.sequences(), w.from());
    long seed = ctx.streams().itemSeed(w.id());
    double[] out = new double[s.length];
    for (int i = 0; i < s.length; i++) {
      out[i] = s[i];
      if (w.temperature() > 0) {
        double u = RandomStreams.child(seed, "seq/" + i).nextDouble();
        out[i] += w.temperature() * -Math.log(-Math.log(Math.max(u, Double.MIN_VALUE)));
      }
    }
    return new ScoreResult(w.id(), out);
  }

  /** Evaluator: the model's metrics on the run's evaluation set, sampled from the item's stream. */
  static EvaluateResult evaluate(EvaluateWork w, WorkContext ctx) {
    TokenModel m = ctx.models().get(w.modelId());
    TokenModel base = w.baseModelId() == null ? null : ctx.models().get(w.baseModelId());
    TokenModel reward = w.rewardModelId() == null ? null : ctx.models().get(w.rewardModelId());
    TokenModel reference = w.referenceModelId() == null ? null : ctx.models().get(w.referenceModelId());
    Evaluator ev = new Evaluator(ctx.world(w.id()), ctx.evaluation(), ctx.backend())
        .withPassages(w.promptPassages(), w.probePassages());
    Evaluator.Result r = ev.evaluateWithCurve(m, base, reward, reference, w.bestOfN(), ctx.streams().itemSeed(w.id()));
    return new EvaluateResult(w.id(), r.metrics(), r.bestOfNCurve());
  }
}
