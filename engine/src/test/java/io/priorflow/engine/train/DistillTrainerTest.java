package io.priorflow.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.model.ModelTraining;
import io.priorflow.engine.model.OptimizerConfig;
import io.priorflow.engine.model.SequenceBatch;
import io.priorflow.engine.model.TokenModel;
import io.priorflow.engine.model.TokenModelConfig;
import io.priorflow.kernels.backend.KernelBackend;
import io.priorflow.kernels.backend.ReferenceBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Token-level distillation: a student distilled from a teacher on a fixed set of contexts ends with KL(teacher ‖
 * student) on those contexts far below where it started, and below a small absolute threshold.
 */
class DistillTrainerTest {
  private final KernelBackend be = new ReferenceBackend();
  private final TokenModelConfig cfg = new TokenModelConfig(TokenModelConfig.Head.TOKEN, 9, 3, 4, List.of(16),
      TokenModelConfig.Activation.GELU, 0);
  /** The student is wider than the teacher (distillation does not need one architecture, only one vocabulary). */
  private final TokenModelConfig studentCfg = new TokenModelConfig(TokenModelConfig.Head.TOKEN, 9, 3, 4, List.of(48),
      TokenModelConfig.Activation.GELU, 0);

  /** A teacher with peaked distributions: a random model fitted a little to a noisy successor rule. */
  private TokenModel teacher(SplittableRandom r) {
    List<int[]> seqs = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      int[] s = new int[8];
      s[0] = 1 + r.nextInt(8);
      for (int t = 1; t < s.length; t++) s[t] = r.nextInt(4) == 0 ? 1 + r.nextInt(8) : (s[t - 1] * 3) % 8 + 1;
      seqs.add(s);
    }
    ModelTraining tr = new ModelTraining(TokenModel.initialize(cfg, r.split()), OptimizerConfig.defaults(), be);
    for (int s = 0; s < 60; s++) tr.step(SequenceBatch.allTokens(seqs), 3e-2f);
    return tr.toModel();
  }

  private double meanKl(TokenModel teacher, TokenModel student, List<int[]> seqs, int[] from) {
    float[][] a = teacher.nextTokenLogProbs(be, seqs, from), b = student.nextTokenLogProbs(be, seqs, from);
    double total = 0;
    int rows = 0;
    for (int i = 0; i < a.length; i++) {
      for (int off = 0; off < a[i].length; off += cfg.vocab(), rows++) {
        total += RlhfTrainer.rowKl(a[i], b[i], off, cfg.vocab());
      }
    }
    return total / rows;
  }

  @Test
  void studentEndsCloseToTheTeacher() {
    SplittableRandom r = new SplittableRandom(71);
    TokenModel teacher = teacher(r);
    TokenModel student = TokenModel.initialize(studentCfg, r.split());
    List<int[]> contexts = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      int[] s = new int[6];
      for (int t = 0; t < s.length; t++) s[t] = 1 + r.nextInt(8);
      contexts.add(s);
    }
    int[] from = new int[contexts.size()];
    java.util.Arrays.fill(from, 1);
    double before = meanKl(teacher, student, contexts, from);
    TrainSettings s = new TrainSettings(600, 40, 2e-2, "cosine", 0, new OptimizerConfig(0.9f, 0.99f, 1e-8f, 0f, 0f),
        null);
    TrainOutcome out = DistillTrainer.train(student, teacher, contexts, from, new TrainParams.Distill("t", 1.0), s, be,
        r.split());
    double after = meanKl(teacher, out.model(), contexts, from);
    System.out.printf("distill_token: KL(teacher ‖ student) %.4f -> %.5f nats per position%n", before, after);
    assertTrue(before > 0.2, "the student starts far from the teacher: " + before);
    assertTrue(after < 0.02 * before && after < 0.01, "KL " + before + " -> " + after);
    assertEquals(before, out.firstLoss(), 1e-4, "the first (full-batch) epoch's loss is the starting KL");
    assertTrue(out.lastLoss() < out.firstLoss());
  }

  @Test
  void temperatureTwoAlsoConvergesToTheTeacher() {
    SplittableRandom r = new SplittableRandom(72);
    TokenModel teacher = teacher(r);
    List<int[]> contexts = new ArrayList<>();
    for (int i = 0; i < 20; i++) contexts.add(new int[] {1 + r.nextInt(8), 1 + r.nextInt(8), 1 + r.nextInt(8)});
    int[] from = new int[contexts.size()];
    TrainSettings s = new TrainSettings(300, 20, 2e-2, "cosine", 0, new OptimizerConfig(0.9f, 0.99f, 1e-8f, 0f, 0f),
        null);
    TokenModel student = TokenModel.initialize(studentCfg, r.split());
    TrainOutcome out = DistillTrainer.train(student, teacher, contexts, from, new TrainParams.Distill("t", 2.0), s, be,
        r.split());
    double after = meanKl(teacher, out.model(), contexts, from), before = meanKl(teacher, student, contexts, from);
    assertTrue(after < 0.05 * before, "at T = 2 the student matches the teacher at T = 1 too: " + before + " -> "
        + after);
  }
}
