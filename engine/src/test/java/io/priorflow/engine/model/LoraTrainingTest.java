package io.priorflow.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.kernels.backend.KernelBackend;
import io.priorflow.kernels.backend.ReferenceBackend;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** LoRA's defining properties: a frozen, bit-identical base; a start equal to the base; true gradients; learning. */
class LoraTrainingTest {
  private final KernelBackend be = new ReferenceBackend();
  private final TokenModelConfig cfg =
      new TokenModelConfig(TokenModelConfig.Head.TOKEN, 9, 3, 4, List.of(10, 8), TokenModelConfig.Activation.GELU, 0);
  private final LoraConfig rank2 = new LoraConfig(2, 4.0);

  private static SequenceBatch data(SplittableRandom r, int n) {
    List<int[]> seqs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int[] s = new int[6];
      s[0] = 1;
      // a deterministic successor rule the base does not know: next = (prev·2 + 1) mod 8 + 1, noisy start
      s[1] = 1 + r.nextInt(8);
      for (int t = 2; t < s.length; t++) s[t] = (s[t - 1] * 2 + 1) % 8 + 1;
      seqs.add(s);
    }
    return SequenceBatch.allTokens(seqs);
  }

  @Test
  void theFrozenBaseStaysBitIdenticalWhileTheLossFalls() {
    SplittableRandom r = new SplittableRandom(1);
    TokenModel base = TokenModel.initialize(cfg, r.split());
    String id = base.id();
    float[][] before = new float[base.layout().count()][];
    for (int i = 0; i < before.length; i++) before[i] = base.tensor(i);
    SequenceBatch batch = data(r, 40);
    ModelTraining tr = ModelTraining.lora(base, rank2, OptimizerConfig.defaults(), be, r.split());
    double first = tr.step(batch, 2e-2f), last = first;
    for (int s = 0; s < 150; s++) {
      last = tr.step(batch, 2e-2f);
      if (s % 50 == 0) {
        for (int i = 0; i < before.length; i++) {
          assertTrue(Arrays.equals(before[i], base.weightsUnsafe()[i]), "base tensor " + i + " changed at step " + s);
        }
      }
    }
    for (int i = 0; i < before.length; i++) assertTrue(Arrays.equals(before[i], base.weightsUnsafe()[i]));
    assertEquals(id, ModelFile.contentHash(base), "the base's file bytes are unchanged");
    assertTrue(last < 0.6 * first, "LoRA loss " + first + " -> " + last);
    TokenModel trained = tr.toModel();
    assertNotEquals(id, trained.id());
    // the merged model computes what the adapters computed, up to float rounding
    ModelTraining probe = new ModelTraining(trained, OptimizerConfig.defaults(), be);
    double merged = probe.lossAndGradients(batch), adapted = tr.lossAndGradients(batch);
    assertEquals(adapted, merged, 1e-4 * Math.max(1, adapted), "merged vs adapter forward");
  }

  @Test
  void withBZeroTheAdaptedModelEqualsTheBase() {
    SplittableRandom r = new SplittableRandom(2);
    TokenModel base = TokenModel.initialize(cfg, r.split());
    SequenceBatch batch = data(r, 12);
    ModelTraining lora = ModelTraining.lora(base, rank2, OptimizerConfig.defaults(), be, r.split());
    ModelTraining full = new ModelTraining(base, OptimizerConfig.defaults(), be);
    // the adapter forward adds scale·(x·Aᵀ)·0 to every layer: outputs, and so the loss, are bit-identical
    assertEquals(full.lossAndGradients(batch), lora.lossAndGradients(batch));
    assertEquals(base.id(), lora.toModel().id(), "merging B = 0 gives back the base bit for bit");
    // only B receives gradient at B = 0 (dA = dh·x with dh = scale·dy·B = 0)
    float[][] g = lora.gradients();
    for (int l = 0; l < g.length; l += 2) for (float x : g[l]) assertEquals(0f, x);
    assertTrue(Arrays.stream(g).skip(1).anyMatch(t -> { for (float x : t) if (x != 0f) return true; return false; }));
  }

  @Test
  void adapterGradientsMatchFiniteDifferences() {
    SplittableRandom r = new SplittableRandom(3);
    TokenModel base = TokenModel.initialize(cfg, r.split());
    SequenceBatch batch = data(r, 8);
    ModelTraining tr = ModelTraining.lora(base, rank2, OptimizerConfig.defaults(), be, r.split());
    for (int s = 0; s < 5; s++) tr.step(batch, 5e-2f); // move B away from 0 so every adapter has a gradient
    List<float[]> w = new ArrayList<>();
    for (int[] s : batch.sequences()) {
      float[] row = new float[s.length];
      for (int t = 1; t < s.length; t++) row[t] = (float) (0.5 + r.nextDouble());
      w.add(row);
    }
    SequenceBatch weighted = new SequenceBatch(batch.sequences(), w);
    assertEquals(2 * (cfg.layers() + 1), tr.weights().length, "A and B per dense layer are all that trains");
    ModelGradientTest.check(tr, () -> tr.lossAndGradients(weighted), r, false);
  }

  @Test
  void footprintCountsOnlyAdaptersForTheDefaultModel() {
    TokenModelConfig d = TokenModelConfig.defaults(77, 0);
    ModelTraining.Footprint full = ModelTraining.Footprint.of(d, null);
    ModelTraining.Footprint lora = ModelTraining.Footprint.of(d, new LoraConfig(4, 8));
    // embed 77·24 + layer 256·192 + 256 + out 77·256 + 77
    assertEquals(77 * 24 + 256 * 192 + 256 + 77 * 256 + 77, full.trainableParams());
    assertEquals(full.trainableParams(), full.fullParams());
    assertEquals(8 * full.trainableParams(), full.optimizerBytes());
    // r·(192 + 256) + r·(256 + 77)
    assertEquals(4 * (192 + 256) + 4 * (256 + 77), lora.trainableParams());
    assertEquals(8L * lora.trainableParams(), lora.optimizerBytes());
    assertEquals(full.optimizerBytes(), lora.fullOptimizerBytes());
    ModelTraining tr = ModelTraining.lora(TokenModel.initialize(d, new SplittableRandom(4)), new LoraConfig(4, 8),
        OptimizerConfig.defaults(), be, new SplittableRandom(5));
    assertEquals(lora, tr.footprint());
    long held = 0;
    for (float[] t : tr.weights()) held += t.length;
    assertEquals(lora.trainableParams(), held);
  }

  @Test
  void loraIsBitReproducibleAndRefusesScalarHeads() {
    SplittableRandom r = new SplittableRandom(6);
    TokenModel base = TokenModel.initialize(cfg, r.split());
    SequenceBatch batch = data(r, 10);
    String[] ids = new String[2];
    for (int k = 0; k < 2; k++) {
      ModelTraining tr = ModelTraining.lora(base, rank2, OptimizerConfig.defaults(), be, new SplittableRandom(7));
      for (int s = 0; s < 4; s++) tr.step(batch, 1e-2f);
      ids[k] = tr.toModel().id();
    }
    assertEquals(ids[0], ids[1]);
    TokenModel scalar = TokenModel.initialize(cfg.withScalarHead(), r.split());
    assertThrows(IllegalStateException.class,
        () -> ModelTraining.lora(scalar, rank2, OptimizerConfig.defaults(), be, r.split()));
    assertThrows(IllegalArgumentException.class, () -> new LoraConfig(0, 1));
  }
}
