package io.priorflow.engine.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.model.OptimizerConfig;
import io.priorflow.engine.model.TokenModel;
import io.priorflow.engine.model.TokenModelConfig;
import io.priorflow.engine.rng.RandomStreams;
import io.priorflow.engine.train.SupervisedTrainer;
import io.priorflow.engine.train.TrainSettings;
import io.priorflow.engine.world.Tag;
import io.priorflow.engine.world.Vocabulary;
import io.priorflow.engine.world.World;
import io.priorflow.kernels.backend.Backends;
import io.priorflow.kernels.backend.KernelBackend;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Today's window MLP (context 8), pretrained at a reduced size on a world with fact-recall documents, measured by
 * the recall evaluation. The evaluation states the fact first, 11 tokens before the answer: out of the window, so
 * knowledge.context_accuracy stays near chance, as knowledge.heldout_accuracy does.
 *
 * <p>Honest note, printed but not asserted: asked with the fact stated last (its value 5 tokens before the answer
 * value, inside the window), this model does only a little better — 0.19 against chance 0.125 at this size, 0.23
 * with the default width (24 × 256) and 6 epochs. Matching an entity and an attribute across positions is hard for
 * a window MLP even where it can see both; only a third of the documents put the fact in its reach.
 */
class WindowModelRecallTest {

  @Test
  void theWindowModelCannotRecallAFactOutsideItsWindow() {
    World world = InContextRecallTest.WORLD;
    KernelBackend be = Backends.create("java", 2);
    SplittableRandom data = new RandomStreams(4).forItem("pretrain");
    List<int[]> seqs = new ArrayList<>();
    for (int i = 0; i < 12_000; i++) {
      seqs.add(world.sample(data).sequence());
    }
    int[] from = new int[seqs.size()];
    Arrays.fill(from, 1);
    TokenModelConfig cfg = new TokenModelConfig(TokenModelConfig.Head.TOKEN, world.vocabulary().size(), 8, 16,
        List.of(128), TokenModelConfig.Activation.GELU, Vocabulary.PAD);
    TrainSettings s = new TrainSettings(4, 32, 1e-2, "cosine", 0, OptimizerConfig.defaults(), null);
    TokenModel model = SupervisedTrainer.lm(TokenModel.initialize(cfg, new SplittableRandom(1)), seqs, from, s, be,
        new SplittableRandom(2)).model();

    EvaluationSet set = EvaluationSet.draw(world, 480, 1, 1f, 0, new RandomStreams(8));
    Map<String, Double> m = new Evaluator(world, set, be).recall(model, 9L);
    // the same facts, stated in the last slot instead of the first
    SplittableRandom rng = new SplittableRandom(10);
    List<InContextRecall.Probe> last = set.recall().stream().map(p -> new InContextRecall.Probe(
        world.recallProbe(Tag.HIGH, p.stated().entity(), p.stated().attribute(), 2, rng), p.bare())).toList();
    double inWindow = InContextRecall.measure(world, last, (ps, rs) -> model.sample(be, ps, set.sampling(), rs), 9L,
        Integer.MAX_VALUE).get(MetricNames.KNOWLEDGE_CONTEXT_ACCURACY);

    double chance = InContextRecall.chance(world);
    double context = m.get(MetricNames.KNOWLEDGE_CONTEXT_ACCURACY);
    double heldOut = m.get(MetricNames.KNOWLEDGE_HELDOUT_ACCURACY);
    String report = String.format("window MLP: context_accuracy %.3f, heldout_accuracy %.3f, fact stated last %.3f,"
        + " chance %.3f, %d probes", context, heldOut, inWindow, chance, set.recall().size());
    System.out.println(report);
    assertTrue(context < chance + 0.1, report);
    assertTrue(heldOut < chance + 0.1, report);
  }
}
