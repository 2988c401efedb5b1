package io.priorflow.engine.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.model.ModelTraining;
import io.priorflow.engine.model.OptimizerConfig;
import io.priorflow.engine.model.SamplingConfig;
import io.priorflow.engine.model.SequenceBatch;
import io.priorflow.engine.model.TokenModel;
import io.priorflow.engine.model.TokenModelConfig;
import io.priorflow.engine.rng.RandomStreams;
import io.priorflow.engine.world.GoldScore;
import io.priorflow.engine.world.Prompt;
import io.priorflow.engine.world.PromptKind;
import io.priorflow.engine.world.Tag;
import io.priorflow.engine.world.Vocabulary;
import io.priorflow.engine.world.World;
import io.priorflow.engine.world.WorldConfig;
import io.priorflow.kernels.backend.Backends;
import io.priorflow.kernels.backend.KernelBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Prompting is prior selection, not new knowledge (the chess-ELO idea): a model pretrained on a world whose
 * high-quality tag goes with correct answers answers more questions correctly when prompted with the high tag than
 * with the low one — and a model pretrained on a world where the tag carries no information gains nothing from it.
 */
class TagPromptingTest {
  static final int QUESTIONS = 1500;

  /** The share of correct answers to QUESTIONS fact/arithmetic prompts carrying the tag, and its standard error. */
  private static double[] accuracy(TokenModel m, World world, Tag tag, KernelBackend be) {
    SplittableRandom rng = new SplittableRandom(99);
    List<int[]> prompts = new ArrayList<>();
    List<SplittableRandom> streams = new ArrayList<>();
    while (prompts.size() < QUESTIONS) {
      Prompt p = world.samplePromptWithTag(tag, rng);
      if (p.kind() == PromptKind.CHAT) continue;
      prompts.add(p.tokens());
      streams.add(RandomStreams.child(7, "q/" + prompts.size()));
    }
    int correct = 0;
    for (int[] s : m.sample(be, prompts, new SamplingConfig(1f, 0, 14, Vocabulary.EOS), streams)) {
      GoldScore g = world.oracle().score(s);
      if (g.correct()) correct++;
    }
    double p = correct / (double) QUESTIONS;
    return new double[] {p, Math.sqrt(p * (1 - p) / QUESTIONS)};
  }

  private static TokenModel pretrain(World world, KernelBackend be) {
    SplittableRandom rng = new SplittableRandom(5);
    TokenModelConfig cfg = TokenModelConfig.defaults(world.vocabulary().size(), Vocabulary.PAD);
    ModelTraining tr = new ModelTraining(TokenModel.initialize(cfg, rng.split()), OptimizerConfig.defaults(), be);
    List<int[]> data = new ArrayList<>();
    for (int i = 0; i < 8000; i++) data.add(world.sample(rng).sequence());
    int batch = 64, steps = 3 * data.size() / batch;
    for (int step = 0; step < steps; step++) {
      int from = (step * batch) % data.size();
      float lr = (float) (1e-2 * 0.5 * (1 + Math.cos(Math.PI * step / steps)));
      tr.step(SequenceBatch.allTokens(data.subList(from, from + batch)), lr);
    }
    return tr.toModel();
  }

  @Test
  void theHighTagHelpsOnlyWhereTheDataTiesItToQuality() {
    try (KernelBackend be = Backends.create("java", 2)) {
      World tied = new World(WorldConfig.defaults());
      World untied = new World(WorldConfig.defaults().withTagsUninformative());
      TokenModel a = pretrain(tied, be), b = pretrain(untied, be);
      double[] aHigh = accuracy(a, tied, Tag.HIGH, be), aLow = accuracy(a, tied, Tag.LOW, be);
      double[] bHigh = accuracy(b, untied, Tag.HIGH, be), bLow = accuracy(b, untied, Tag.LOW, be);
      double gapA = aHigh[0] - aLow[0], seA = Math.hypot(aHigh[1], aLow[1]);
      double gapB = bHigh[0] - bLow[0], seB = Math.hypot(bHigh[1], bLow[1]);
      String report = String.format("tied world: high %.3f vs low %.3f; untied world: high %.3f vs low %.3f",
          aHigh[0], aLow[0], bHigh[0], bLow[0]);
      assertTrue(gapA > 4 * seA, "prompting with the high tag should help in the tied world: " + report);
      assertTrue(Math.abs(gapB) < 4 * seB, "the tag should not matter in the untied world: " + report);
    }
  }
}
