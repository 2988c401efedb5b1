package io.priorflow.engine.work;

import io.priorflow.engine.model.TokenModel;
import io.priorflow.engine.model.TokenModelConfig;
import io.priorflow.engine.train.BestOfN;
import io.priorflow.engine.train.DistillTrainer;
import io.priorflow.engine.train.DpoTrainer;
import io.priorflow.engine.train.GkdTrainer;
import io.priorflow.engine.train.KtoTrainer;
import io.priorflow.engine.train.RewardModelTrainer;
import io.priorflow.engine.train.RlhfTrainer;
import io.priorflow.engine.train.SequenceScorer;
import io.priorflow.engine.train.SupervisedTrainer;
import io.priorflow.engine.train.TrainOutcome;
import io.priorflow.engine.train.TrainParams;
import io.priorflow.engine.train.TrainSettings;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The trainer actor: turns a {@link TrainWork} into a new model in the store, by the item's method (see the table
 * in {@link TrainWork}). The item's stream is split once for a fresh initialisation, and the rest goes to the
 * method, which splits it further in a fixed order (epoch orders first), so every draw comes from the item's stream
 * and the same item gives the same model anywhere.
 */
final class Trainer {
  private Trainer() {}

  static TrainResult train(TrainWork w, WorkContext ctx) {
    int n = w.sequences().size();
    if (n == 0) throw new IllegalArgumentException(w.id() + ": nothing to train on (the dataset is empty)");
    if (w.lossFrom() == null || w.lossFrom().length != n) {
      throw new IllegalArgumentException(w.id() + ": " + n + " sequences but "
          + (w.lossFrom() == null ? "no" : String.valueOf(w.lossFrom().length)) + " lossFrom");
    }
    try {
      SplittableRandom rng = ctx.streams().forItem(w.id());
      SplittableRandom initRng = rng.split();
      TrainOutcome out = perform(w, ctx, rng, initRng);
      String id = ctx.models().put(out.model());
      return new TrainResult(w.id(), id, out.steps(), out.tokens(), out.firstLoss(), out.lastLoss(), out.stats(),
          out.trace());
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new IllegalArgumentException(w.id() + ": " + e.getMessage(), e);
    }
  }

  private static TrainOutcome perform(TrainWork w, WorkContext ctx, SplittableRandom rng, SplittableRandom initRng) {
    TrainSettings s = new TrainSettings(w.epochs(), w.batchSize(), w.lr(), w.schedule(), w.warmupSteps(),
        w.optimizer(), w.lora());
    var be = ctx.backend();
    return switch (w.method()) {
      case "lm" -> SupervisedTrainer.lm(tokenStart(w, ctx, initRng), w.sequences(), w.lossFrom(), s, be, rng);
      case "lora" -> {
        if (w.lora() == null) throw new IllegalArgumentException("method lora needs the lora settings (rank, alpha)");
        yield SupervisedTrainer.lm(tokenStart(w, ctx, initRng), w.sequences(), w.lossFrom(), s, be, rng);
      }
      case "score_regression" -> SupervisedTrainer.scoreRegression(scalarStart(w, ctx, initRng), w.sequences(),
          w.lossFrom(), w.targets(), s, be, rng);
      case "reward_bt" -> RewardModelTrainer.train(scalarStart(w, ctx, initRng), w.sequences(), w.lossFrom(),
          params(w, TrainParams.RewardBt.class), s, be, rng);
      case "dpo" -> {
        TrainParams.Dpo p = params(w, TrainParams.Dpo.class);
        TokenModel start = required(w, ctx);
        TokenModel ref = p.referenceModelId() == null ? start : ctx.models().get(p.referenceModelId());
        yield DpoTrainer.train(start, ref, w.sequences(), w.lossFrom(), p, s, be, rng);
      }
      case "kto" -> {
        TrainParams.Kto p = params(w, TrainParams.Kto.class);
        TokenModel start = required(w, ctx);
        TokenModel ref = p.referenceModelId() == null ? start : ctx.models().get(p.referenceModelId());
        yield KtoTrainer.train(start, ref, w.sequences(), w.lossFrom(), p, s, be, rng);
      }
      case "rlhf" -> {
        TrainParams.Rlhf p = params(w, TrainParams.Rlhf.class);
        TokenModel start = required(w, ctx);
        TokenModel ref = p.referenceModelId() == null ? start : ctx.models().get(p.referenceModelId());
        SequenceScorer proxy = SequenceScorer.of(ctx.models().get(p.rewardModelId()), be);
        SequenceScorer gold = SequenceScorer.ofSequence(seq -> ctx.world(w.id()).oracle().score(seq).utility());
        yield RlhfTrainer.train(start, ref, proxy, gold, w.sequences(), p, s, be, rng);
      }
      case "distill_token" -> {
        TrainParams.Distill p = params(w, TrainParams.Distill.class);
        yield DistillTrainer.train(tokenStart(w, ctx, initRng), ctx.models().get(p.teacherModelId()), w.sequences(),
            w.lossFrom(), p, s, be, rng);
      }
      case "gkd" -> {
        TrainParams.Gkd p = params(w, TrainParams.Gkd.class);
        yield GkdTrainer.train(tokenStart(w, ctx, initRng), ctx.models().get(p.teacherModelId()), w.sequences(),
            w.lossFrom(), p, s, be, rng);
      }
      case "best_of_n" -> bestOfN(w, ctx, s, rng);
      default -> throw new IllegalArgumentException("unknown training method " + w.method() + " (expected lm, lora, "
          + "score_regression, reward_bt, dpo, kto, rlhf, distill_token, gkd or best_of_n)");
    };
  }

  /**
   * Rejection-sampling fine-tuning: the best of n samples per prompt by the reward model (sampling seed from the
   * first split of the stream), then lm on the winners' responses (the remaining stream).
   */
  private static TrainOutcome bestOfN(TrainWork w, WorkContext ctx, TrainSettings s, SplittableRandom rng) {
    TrainParams.BestOfN p = params(w, TrainParams.BestOfN.class);
    TokenModel start = required(w, ctx);
    SequenceScorer scorer = SequenceScorer.of(ctx.models().get(p.rewardModelId()), ctx.backend());
    long seed = rng.split().nextLong();
    BestOfN.Selection sel = BestOfN.select(ctx.backend(), start, w.sequences(), p.n(), p.sampling(), scorer, seed);
    int[] from = w.sequences().stream().mapToInt(x -> x.length).toArray();
    TrainOutcome out = SupervisedTrainer.lm(start, sel.best(), from, s, ctx.backend(), rng);
    TreeMap<String, Double> stats = new TreeMap<>(out.stats());
    stats.put("best_of_n.reward_best", mean(sel.bestScores()));
    stats.put("best_of_n.reward_mean", mean(sel.meanScores()));
    stats.put("best_of_n.kl_bound", BestOfN.klBound(p.n()));
    return new TrainOutcome(out.model(), out.steps(), out.tokens(), out.firstLoss(), out.lastLoss(), stats,
        out.trace());
  }

  private static double mean(double[] x) {
    double s = 0;
    for (double d : x) s += d;
    return s / x.length;
  }

  private static <P extends TrainParams> P params(TrainWork w, Class<P> type) {
    if (!type.isInstance(w.params())) {
      throw new IllegalArgumentException("method " + w.method() + " needs params of type " + type.getSimpleName()
          + ", was " + (w.params() == null ? "null" : w.params().getClass().getSimpleName()));
    }
    return type.cast(w.params());
  }

  private static TokenModel required(TrainWork w, WorkContext ctx) {
    if (w.initModelId() == null) {
      throw new IllegalArgumentException("method " + w.method() + " starts from a trained policy: initModelId is "
          + "required");
    }
    return ctx.models().get(w.initModelId());
  }

  /** The token-head start: the init model, or a fresh initialisation of the item's config. */
  private static TokenModel tokenStart(TrainWork w, WorkContext ctx, SplittableRandom initRng) {
    return w.initModelId() == null ? TokenModel.initialize(w.config(), initRng) : ctx.models().get(w.initModelId());
  }

  /** The scalar-head start: the init model (a token-head one lends its body to a fresh head), or a fresh one. */
  private static TokenModel scalarStart(TrainWork w, WorkContext ctx, SplittableRandom initRng) {
    if (w.initModelId() == null) return TokenModel.initialize(w.config().withScalarHead(), initRng);
    TokenModel m = ctx.models().get(w.initModelId());
    return m.config().head() == TokenModelConfig.Head.SCALAR ? m : m.withNewHead(TokenModelConfig.Head.SCALAR, initRng);
  }
}
