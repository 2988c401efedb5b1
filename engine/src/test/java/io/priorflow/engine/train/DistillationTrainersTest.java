package io.priorflow.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.model.OptimizerConfig;
import io.priorflow.engine.model.SamplingConfig;
import io.priorflow.engine.model.TokenModel;
import io.priorflow.engine.model.TokenModelConfig;
import io.priorflow.kernels.backend.KernelBackend;
import io.priorflow.kernels.backend.ReferenceBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Token distillation, on-policy distillation (GKD), best-of-n selection and in-context conditioning at their edges:
 * what they refuse, what they count, what an item with nothing to predict does, and where ties go.
 */
class DistillationTrainersTest {

  private final KernelBackend be = new ReferenceBackend();
  private static final OptimizerConfig OPT = OptimizerConfig.defaults();
  private static final List<int[]> SEQS = List.of(new int[] {1, 2, 5, 6}, new int[] {1, 2, 7}, new int[] {1, 3, 4, 5, 6});
  private static final int[] FROM = {2, 1, 3};
  private static final SamplingConfig SAMPLING = new SamplingConfig(1f, 0, 2, -1);

  private static TokenModel model(TokenModelConfig.Head head, int vocab, long seed) {
    return TokenModel.initialize(new TokenModelConfig(head, vocab, 2, 4, List.of(8), TokenModelConfig.Activation.GELU,
        0), new SplittableRandom(seed));
  }

  private static TrainSettings settings(int epochs) {
    return new TrainSettings(epochs, 2, 0.05, "constant", 0, OPT, null);
  }

  private static void refused(String message, Executable e) {
    assertEquals(message, assertThrows(IllegalArgumentException.class, e).getMessage());
  }

  private static void refusedStarting(String start, Executable e) {
    String m = assertThrows(IllegalArgumentException.class, e).getMessage();
    assertTrue(m.startsWith(start), m);
  }

  @Test
  void distillationCountsEveryPositionFromEachStartAndSkipsEmptyBatches() {
    TokenModel student = model(TokenModelConfig.Head.TOKEN, 9, 1), teacher = model(TokenModelConfig.Head.TOKEN, 9, 2);
    TrainParams.Distill p = new TrainParams.Distill("t", 1);
    TrainOutcome out = DistillTrainer.train(student, teacher, SEQS, FROM, p, settings(2), be, new SplittableRandom(1));
    assertEquals(2 * ((4 - 2) + (3 - 1) + (5 - 3)), out.tokens());
    assertEquals(4, out.steps(), "2 batches × 2 epochs");
    assertEquals(out.lastLoss(), out.stats().get(DistillTrainer.KL_LAST));
    TrainOutcome none = DistillTrainer.train(student, teacher, SEQS, new int[] {4, 3, 5}, p, settings(2), be,
        new SplittableRandom(1));
    assertEquals(0, none.steps());
    assertEquals(0, none.tokens());
    assertEquals(student, none.model());
    TrainOutcome zero = DistillTrainer.train(student, teacher, SEQS, FROM, p, settings(0), be, new SplittableRandom(1));
    assertFalse(zero.stats().containsKey(DistillTrainer.KL_LAST), "no epoch, no divergence");
  }

  @Test
  void distillationRefusesBadInputs() {
    TokenModel token = model(TokenModelConfig.Head.TOKEN, 9, 1), scalar = model(TokenModelConfig.Head.SCALAR, 9, 1);
    TokenModel wide = model(TokenModelConfig.Head.TOKEN, 10, 1);
    TrainParams.Distill p = new TrainParams.Distill("t", 1);
    refused("3 sequences but 2 start positions", () -> DistillTrainer.train(token, token, SEQS, new int[] {1, 1}, p,
        settings(1), be, new SplittableRandom(1)));
    refusedStarting("the student must be a token-head model", () -> DistillTrainer.train(scalar, token, SEQS, FROM, p,
        settings(1), be, new SplittableRandom(1)));
    refusedStarting("the teacher must be a token-head model", () -> DistillTrainer.train(token, scalar, SEQS, FROM, p,
        settings(1), be, new SplittableRandom(1)));
    refused("the student has 9 tokens, the teacher 10; distillation needs one vocabulary",
        () -> DistillTrainer.train(token, wide, SEQS, FROM, p, settings(1), be, new SplittableRandom(1)));
  }

  @Test
  void gkdOffPolicyTrainsOnTheDatasetAndOnPolicyOnTheStudentsOwnResponses() {
    TokenModel student = model(TokenModelConfig.Head.TOKEN, 9, 1), teacher = model(TokenModelConfig.Head.TOKEN, 9, 2);
    List<List<int[]>> seen = new ArrayList<>();
    GkdTrainer.Teacher watching = (q, f) -> {
      seen.add(q);
      return teacher.nextTokenLogProbs(be, q, f);
    };
    TrainOutcome off = GkdTrainer.train(student, watching, SEQS, FROM,
        new TrainParams.Gkd("t", "forward_kl", 0.5, 0, SAMPLING), settings(1), be, new SplittableRandom(3));
    assertEquals(2, seen.size());
    for (List<int[]> batch : seen) {
      for (int[] s : batch) assertTrue(SEQS.stream().anyMatch(d -> java.util.Arrays.equals(d, s)), "a dataset sequence");
    }
    assertEquals((4 - 2) + (3 - 1) + (5 - 3), off.tokens());
    assertEquals(0.0, off.stats().get(GkdTrainer.ON_POLICY));
    assertEquals(off.lastLoss(), off.stats().get(GkdTrainer.DIVERGENCE));
    seen.clear();
    TrainOutcome on = GkdTrainer.train(student, watching, SEQS, FROM,
        new TrainParams.Gkd("t", "reverse_kl", 0.5, 1, SAMPLING), settings(1), be, new SplittableRandom(3));
    assertEquals(1.0, on.stats().get(GkdTrainer.ON_POLICY));
    long own = 0, tokens = 0;
    for (List<int[]> batch : seen) {
      for (int[] s : batch) {
        own += SEQS.stream().anyMatch(d -> java.util.Arrays.equals(d, s)) ? 0 : 1;
        tokens += s.length;
      }
    }
    assertTrue(own >= 2, "the student's samples replaced the dataset's responses: " + own);
    assertEquals(tokens - (2 + 1 + 3), on.tokens(), "the positions of what was trained on, samples included");
  }

  @Test
  void gkdWithNothingToPredictTakesNoStepAndNoEpochReportsNothing() {
    TokenModel student = model(TokenModelConfig.Head.TOKEN, 9, 1), teacher = model(TokenModelConfig.Head.TOKEN, 9, 2);
    TrainParams.Gkd off = new TrainParams.Gkd("t", "jsd", 0.5, 0, SAMPLING);
    TrainOutcome none = GkdTrainer.train(student, teacher, SEQS, new int[] {4, 3, 5}, off, settings(1), be,
        new SplittableRandom(3));
    assertEquals(0, none.steps());
    assertEquals(student, none.model());
    TrainOutcome zero = GkdTrainer.train(student, teacher, SEQS, FROM, off, settings(0), be, new SplittableRandom(3));
    assertFalse(zero.stats().containsKey(GkdTrainer.DIVERGENCE));
    assertFalse(zero.stats().containsKey(GkdTrainer.ON_POLICY));
    TrainOutcome one = GkdTrainer.train(student, teacher, SEQS, FROM, off, settings(1), be, new SplittableRandom(3));
    assertNotEquals(student, one.model(), "through the model overload, a step was taken");
  }

  @Test
  void gkdRefusesBadInputs() {
    TokenModel token = model(TokenModelConfig.Head.TOKEN, 9, 1), scalar = model(TokenModelConfig.Head.SCALAR, 9, 1);
    TokenModel wide = model(TokenModelConfig.Head.TOKEN, 10, 1);
    TrainParams.Gkd p = new TrainParams.Gkd("t", "jsd", 0.5, 0, SAMPLING);
    refusedStarting("the teacher must be a token-head model", () -> GkdTrainer.train(token, scalar, SEQS, FROM, p,
        settings(1), be, new SplittableRandom(1)));
    refused("the student has 9 tokens, the teacher 10; distillation needs one vocabulary",
        () -> GkdTrainer.train(token, wide, SEQS, FROM, p, settings(1), be, new SplittableRandom(1)));
    refusedStarting("the student must be a token-head model", () -> GkdTrainer.train(scalar, token, SEQS, FROM, p,
        settings(1), be, new SplittableRandom(1)));
    refused("3 sequences but 1 start positions", () -> GkdTrainer.train(token, token, SEQS, new int[] {1}, p,
        settings(1), be, new SplittableRandom(1)));
    refused("sequence 1 has its response at 0, expected 1..3 (the student needs a prompt to answer)",
        () -> GkdTrainer.train(token, token, SEQS, new int[] {2, 0, 3}, p, settings(1), be, new SplittableRandom(1)));
    refused("sequence 2 has its response at 6, expected 1..5 (the student needs a prompt to answer)",
        () -> GkdTrainer.train(token, token, SEQS, new int[] {2, 1, 6}, p, settings(1), be, new SplittableRandom(1)));
  }

  @Test
  void bestOfNKeepsTheEarliestOfEqualScoresAndNeedsOneSample() {
    TokenModel m = model(TokenModelConfig.Head.TOKEN, 9, 4);
    List<List<int[]>> scored = new ArrayList<>();
    SequenceScorer flat = (seqs, from) -> {
      scored.add(seqs);
      return new double[seqs.size()];
    };
    BestOfN.Selection sel = BestOfN.select(be, m, List.of(new int[] {1}, new int[] {1, 2}), 3,
        new SamplingConfig(1f, 0, 3, -1), flat, 11);
    List<int[]> samples = scored.get(0);
    assertSame(samples.get(0), sel.best().get(0), "a tie keeps the first draw");
    assertSame(samples.get(3), sel.best().get(1));
    BestOfN.Selection one = BestOfN.select(be, m, List.of(new int[] {1}), 1, SAMPLING, flat, 11);
    assertEquals(1, one.best().size());
    refused("best-of-n needs n ≥ 1, was 0", () -> BestOfN.select(be, m, List.of(new int[] {1}), 0, SAMPLING, flat, 11));
  }

  @Test
  void theExactBestOfNDistributionGivesAnImpossibleOutcomeNothing() {
    // p = (0.5, 0, 0.5), rewards 0 < 1 < 2, n = 2: the best is outcome 2 w.p. 1 − 0.5², outcome 0 w.p. 0.5²
    assertArrayEquals(new double[] {0.25, 0, 0.75}, BestOfN.exactDistribution(new double[] {0.5, 0, 0.5},
        new double[] {0, 1, 2}, 2), 1e-15);
    refused("2 probabilities, 3 rewards", () -> BestOfN.exactDistribution(new double[] {0.5, 0.5},
        new double[] {0, 1, 2}, 2));
  }

  @Test
  void inContextNeedsAWindowOfOneToken() {
    assertArrayEquals(new int[] {7}, InContext.condition(List.of(new int[] {3, 4}), new int[] {7}, 1));
    refused("the context window must be ≥ 1, was 0", () -> InContext.condition(List.of(), new int[] {7}, 0));
  }
}
