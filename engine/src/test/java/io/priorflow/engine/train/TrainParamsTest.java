package io.priorflow.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.json.Json;
import io.priorflow.engine.model.OptimizerConfig;
import io.priorflow.engine.model.SamplingConfig;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Every method's parameters and the shared settings refuse what their Javadoc rules out, each bound included or
 * excluded as written, with a message that names the value; the learning-rate schedule against its closed form.
 */
class TrainParamsTest {

  private static final PreferencePairs PAIRS = new PreferencePairs(new int[] {0, 2}, new int[] {1, 3});
  private static final SamplingConfig SAMPLING = new SamplingConfig(1f, 0, 4, -1);
  private static final OptimizerConfig OPT = OptimizerConfig.defaults();

  private static void refused(String message, Executable e) {
    IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
    assertEquals(message, x.getMessage());
  }

  private static TrainParams.Rlhf rlhf(String reward, double kl, int k, SamplingConfig sampling, String algorithm,
                                       int epochs, double clip, String baseline, double lambda) {
    return new TrainParams.Rlhf(reward, null, kl, k, sampling, algorithm, epochs, clip, baseline, lambda);
  }

  @Test
  void rewardAndDpoParamsNeedPairsAndTheirRanges() {
    refused("reward_bt needs preference pairs, was null", () -> new TrainParams.RewardBt(null, 0.2));
    new TrainParams.RewardBt(PAIRS, 0);
    refused("heldOutFraction must be in [0, 1), was 1.0", () -> new TrainParams.RewardBt(PAIRS, 1));
    refused("heldOutFraction must be in [0, 1), was -0.1", () -> new TrainParams.RewardBt(PAIRS, -0.1));
    refused("dpo needs preference pairs, was null", () -> new TrainParams.Dpo(null, null, 0.1));
    refused("dpo beta must be a finite number > 0, was 0.0", () -> new TrainParams.Dpo(PAIRS, null, 0));
    refused("dpo beta must be a finite number > 0, was Infinity",
        () -> new TrainParams.Dpo(PAIRS, null, Double.POSITIVE_INFINITY));
    refused("dpo beta must be a finite number > 0, was NaN", () -> new TrainParams.Dpo(PAIRS, null, Double.NaN));
    assertEquals(1e-9, new TrainParams.Dpo(PAIRS, null, 1e-9).beta());
  }

  @Test
  void ktoParamsNeedFlagsAndThreePositiveFiniteNumbers() {
    boolean[] d = {true, false};
    refused("kto needs desirable flags, was null", () -> new TrainParams.Kto(null, null, 0.1, 1, 1));
    refused("kto beta must be a finite number > 0, was 0.0", () -> new TrainParams.Kto(d, null, 0, 1, 1));
    refused("kto beta must be a finite number > 0, was Infinity",
        () -> new TrainParams.Kto(d, null, Double.POSITIVE_INFINITY, 1, 1));
    refused("kto desirableWeight must be a finite number > 0, was 0.0", () -> new TrainParams.Kto(d, null, 0.1, 0, 1));
    refused("kto desirableWeight must be a finite number > 0, was Infinity",
        () -> new TrainParams.Kto(d, null, 0.1, Double.POSITIVE_INFINITY, 1));
    refused("kto undesirableWeight must be a finite number > 0, was 0.0",
        () -> new TrainParams.Kto(d, null, 0.1, 1, 0));
    refused("kto undesirableWeight must be a finite number > 0, was Infinity",
        () -> new TrainParams.Kto(d, null, 0.1, 1, Double.POSITIVE_INFINITY));
    new TrainParams.Kto(d, null, Double.MIN_VALUE, Double.MIN_VALUE, Double.MIN_VALUE);
  }

  @Test
  void ktoParamsAreEqualByTheirFlagsAndNumbers() {
    TrainParams.Kto k = new TrainParams.Kto(new boolean[] {true, false}, "ref", 0.1, 1, 1.5);
    assertEquals(k, new TrainParams.Kto(new boolean[] {true, false}, "ref", 0.1, 1, 1.5));
    assertEquals(k.hashCode(), new TrainParams.Kto(new boolean[] {true, false}, "ref", 0.1, 1, 1.5).hashCode());
    List<TrainParams.Kto> others = List.of(new TrainParams.Kto(new boolean[] {true, true}, "ref", 0.1, 1, 1.5),
        new TrainParams.Kto(new boolean[] {true, false}, null, 0.1, 1, 1.5),
        new TrainParams.Kto(new boolean[] {true, false}, "ref", 0.2, 1, 1.5),
        new TrainParams.Kto(new boolean[] {true, false}, "ref", 0.1, 2, 1.5),
        new TrainParams.Kto(new boolean[] {true, false}, "ref", 0.1, 1, 2.5));
    for (TrainParams.Kto o : others) {
      assertNotEquals(k, o, o.toString());
      assertNotEquals(k.hashCode(), o.hashCode(), o.toString());
    }
    assertNotEquals(k, "kto");
    assertEquals("Kto[2 examples, beta=0.1, λD=1.0, λU=1.5]", k.toString());
    boolean[] flags = k.desirable();
    flags[0] = false;
    assertArrayEquals(new boolean[] {true, false}, k.desirable(), "the flags are the record's own");
    assertEquals(k, Json.readLineage(Json.lineageBytes(k), TrainParams.class), "through the work item's JSON");
  }

  @Test
  void rlhfParamsNeedARewardModelAndEachRange() {
    refused("rlhf needs a rewardModelId, was null", () -> rlhf(null, 0, 2, SAMPLING, "rloo", 1, 0.2, "leave_one_out",
        0.95));
    rlhf("rm", 0, 2, SAMPLING, "rloo", 1, 0.2, "leave_one_out", 0);
    refused("klCoef must be a finite number ≥ 0, was -0.1", () -> rlhf("rm", -0.1, 2, SAMPLING, "rloo", 1, 0.2,
        "leave_one_out", 0.95));
    refused("klCoef must be a finite number ≥ 0, was Infinity", () -> rlhf("rm", Double.POSITIVE_INFINITY, 2,
        SAMPLING, "rloo", 1, 0.2, "leave_one_out", 0.95));
    refused("samplesPerPrompt must be ≥ 2 (the leave-one-out baseline needs another sample), was 1",
        () -> rlhf("rm", 0, 1, SAMPLING, "rloo", 1, 0.2, "leave_one_out", 0.95));
    refused("rlhf needs a sampling config, was null", () -> rlhf("rm", 0, 2, null, "rloo", 1, 0.2, "leave_one_out",
        0.95));
    refused("rlhf algorithm must be one of [rloo, ppo, grpo], was reinforce", () -> rlhf("rm", 0, 2, SAMPLING,
        "reinforce", 1, 0.2, "leave_one_out", 0.95));
    refused("rloo takes one step per batch of samples, so ppoEpochs must be 1, was 2", () -> rlhf("rm", 0, 2,
        SAMPLING, "rloo", 2, 0.2, "leave_one_out", 0.95));
    rlhf("rm", 0, 2, SAMPLING, "ppo", 2, 0.2, "leave_one_out", 0.95);
    refused("ppoEpochs must be ≥ 1, was 0", () -> rlhf("rm", 0, 2, SAMPLING, "ppo", 0, 0.2, "leave_one_out", 0.95));
    refused("clip must be > 0, was 0.0", () -> rlhf("rm", 0, 2, SAMPLING, "ppo", 1, 0, "leave_one_out", 0.95));
    refused("clip must be > 0, was Infinity", () -> rlhf("rm", 0, 2, SAMPLING, "ppo", 1, Double.POSITIVE_INFINITY,
        "leave_one_out", 0.95));
    refused("rlhf baseline must be leave_one_out or value, was mean", () -> rlhf("rm", 0, 2, SAMPLING, "ppo", 1, 0.2,
        "mean", 0.95));
    rlhf("rm", 0, 2, SAMPLING, "ppo", 1, 0.2, "value", 1);
    refused("a value baseline is PPO's; grpo has its own baseline", () -> rlhf("rm", 0, 2, SAMPLING, "grpo", 1, 0.2,
        "value", 0.95));
    refused("a value baseline is PPO's; rloo has its own baseline", () -> rlhf("rm", 0, 2, SAMPLING, "rloo", 1, 0.2,
        "value", 0.95));
    refused("gaeLambda must be in [0, 1], was -0.01", () -> rlhf("rm", 0, 2, SAMPLING, "ppo", 1, 0.2, "value",
        -0.01));
    refused("gaeLambda must be in [0, 1], was 1.01", () -> rlhf("rm", 0, 2, SAMPLING, "ppo", 1, 0.2, "value", 1.01));
    TrainParams.Rlhf defaults = new TrainParams.Rlhf("rm", null, 0.1, 2, SAMPLING, "rloo", 1, 0.2);
    assertEquals("leave_one_out", defaults.baseline());
    assertEquals(0.95, defaults.gaeLambda());
  }

  @Test
  void distillationParamsNeedATeacherAndTheirRanges() {
    refused("distill_token needs a teacherModelId, was null", () -> new TrainParams.Distill(null, 1));
    refused("distillation temperature must be > 0, was 0.0", () -> new TrainParams.Distill("t", 0));
    refused("distillation temperature must be > 0, was Infinity",
        () -> new TrainParams.Distill("t", Double.POSITIVE_INFINITY));
    assertEquals(1e-9, new TrainParams.Distill("t", 1e-9).temperature());
    refused("gkd needs a teacherModelId, was null", () -> new TrainParams.Gkd(null, "jsd", 0.5, 0.5, SAMPLING));
    refused("gkd divergence must be one of [forward_kl, reverse_kl, jsd], was kl",
        () -> new TrainParams.Gkd("t", "kl", 0.5, 0.5, SAMPLING));
    refused("jsdBeta must be in (0, 1), was 0.0", () -> new TrainParams.Gkd("t", "jsd", 0, 0.5, SAMPLING));
    refused("jsdBeta must be in (0, 1), was 1.0", () -> new TrainParams.Gkd("t", "jsd", 1, 0.5, SAMPLING));
    refused("onPolicyFraction must be in [0, 1], was -0.5", () -> new TrainParams.Gkd("t", "jsd", 0.5, -0.5, SAMPLING));
    refused("onPolicyFraction must be in [0, 1], was 1.5", () -> new TrainParams.Gkd("t", "jsd", 0.5, 1.5, SAMPLING));
    new TrainParams.Gkd("t", "reverse_kl", 1e-9, 0, SAMPLING);
    new TrainParams.Gkd("t", "forward_kl", 1 - 1e-9, 1, SAMPLING);
    refused("gkd needs a sampling config, was null", () -> new TrainParams.Gkd("t", "jsd", 0.5, 0.5, null));
  }

  @Test
  void bestOfNParamsNeedARewardModelOneSampleAndSampling() {
    refused("best_of_n needs a rewardModelId, was null", () -> new TrainParams.BestOfN(null, 2, SAMPLING));
    refused("best_of_n needs n ≥ 1, was 0", () -> new TrainParams.BestOfN("rm", 0, SAMPLING));
    assertEquals(1, new TrainParams.BestOfN("rm", 1, SAMPLING).n());
    refused("best_of_n needs a sampling config, was null", () -> new TrainParams.BestOfN("rm", 2, null));
  }

  @Test
  void preferencePairsArePairedNonEmptyAndInsideTheSequences() {
    refused("chosen and rejected must not be null", () -> new PreferencePairs(null, new int[] {1}));
    refused("chosen and rejected must not be null", () -> new PreferencePairs(new int[] {1}, null));
    refused("2 chosen but 1 rejected indices", () -> new PreferencePairs(new int[] {0, 1}, new int[] {1}));
    refused("there must be at least one preference pair", () -> new PreferencePairs(new int[0], new int[0]));
    PAIRS.checkAgainst(4);
    refused("preference pair 1 is (2, 3), but there are 3 sequences", () -> PAIRS.checkAgainst(3));
    refused("preference pair 0 is (-1, 0), but there are 2 sequences",
        () -> new PreferencePairs(new int[] {-1}, new int[] {0}).checkAgainst(2));
    refused("preference pair 0 is (0, -1), but there are 2 sequences",
        () -> new PreferencePairs(new int[] {0}, new int[] {-1}).checkAgainst(2));
    refused("preference pair 0 is (2, 0), but there are 2 sequences",
        () -> new PreferencePairs(new int[] {2}, new int[] {0}).checkAgainst(2));
    new PreferencePairs(new int[] {0}, new int[] {0}).checkAgainst(1);
    int[] chosen = {0, 2};
    PreferencePairs p = new PreferencePairs(chosen, new int[] {1, 3});
    chosen[0] = 9;
    assertArrayEquals(new int[] {0, 2}, p.chosen(), "the indices are the record's own");
    assertArrayEquals(new int[] {1, 3}, p.rejected());
    assertEquals(PAIRS, p);
    assertEquals(PAIRS.hashCode(), p.hashCode());
    PreferencePairs swapped = new PreferencePairs(new int[] {1, 3}, new int[] {0, 2});
    assertNotEquals(PAIRS, swapped);
    assertNotEquals(PAIRS.hashCode(), swapped.hashCode());
    assertNotEquals(PAIRS, new PreferencePairs(new int[] {0, 2}, new int[] {1, 2}));
    PreferencePairs otherChosen = new PreferencePairs(new int[] {0, 1}, new int[] {1, 3});
    assertNotEquals(PAIRS, otherChosen);
    assertNotEquals(PAIRS.hashCode(), otherChosen.hashCode(), "the chosen indices count in the hash");
    assertNotEquals(PAIRS, "pairs");
    assertEquals("PreferencePairs[2 pairs]", PAIRS.toString());
  }

  @Test
  void settingsRefuseWhatCannotTrain() {
    refused("epochs must be ≥ 0, was -1", () -> new TrainSettings(-1, 1, 0.1, "constant", 0, OPT, null));
    refused("batchSize must be ≥ 1, was 0", () -> new TrainSettings(0, 0, 0.1, "constant", 0, OPT, null));
    refused("lr must be finite and ≥ 0, was -0.001", () -> new TrainSettings(0, 1, -0.001, "constant", 0, OPT, null));
    refused("lr must be finite and ≥ 0, was Infinity",
        () -> new TrainSettings(0, 1, Double.POSITIVE_INFINITY, "constant", 0, OPT, null));
    refused("lr must be finite and ≥ 0, was NaN", () -> new TrainSettings(0, 1, Double.NaN, "constant", 0, OPT, null));
    refused("schedule must be constant or cosine, was linear", () -> new TrainSettings(0, 1, 0.1, "linear", 0, OPT,
        null));
    refused("warmupSteps must be ≥ 0, was -1", () -> new TrainSettings(0, 1, 0.1, "cosine", -1, OPT, null));
    refused("optimizer must not be null", () -> new TrainSettings(0, 1, 0.1, "cosine", 0, null, null));
    TrainSettings edge = new TrainSettings(0, 1, 0, "cosine", 0, OPT, null);
    assertEquals(0, edge.epochs());
    assertEquals(3, new TrainSettings(1, 4, 0.1, "constant", 0, OPT, null).batches(9));
    assertEquals(2, new TrainSettings(1, 4, 0.1, "constant", 0, OPT, null).batches(8));
  }

  @Test
  void theLearningRateWarmsUpLinearlyThenStaysOrFollowsTheCosine() {
    // warm-up: lr·(step + 1)/W for step < W; cosine: lr·½(1 + cos(π·(step − W)/(total − W))), 0 at the end
    TrainSettings cosine = new TrainSettings(1, 1, 0.8, "cosine", 4, OPT, null);
    assertEquals(0.2f, cosine.learningRate(0, 12));
    assertEquals(0.6f, cosine.learningRate(2, 12));
    assertEquals(0.8f, cosine.learningRate(4, 12), "the peak right after warm-up");
    assertEquals((float) (0.8 * 0.5 * (1 + Math.cos(Math.PI * 2 / 8))), cosine.learningRate(6, 12));
    assertEquals(0.4f, cosine.learningRate(8, 12), 1e-7f, "half-way the cosine is at half the peak");
    assertEquals(0f, cosine.learningRate(12, 12), 1e-7f);
    assertEquals(0f, cosine.learningRate(20, 12), 1e-7f, "and stays at 0 past the end");
    TrainSettings constant = new TrainSettings(1, 1, 0.8, "constant", 4, OPT, null);
    assertEquals(0.4f, constant.learningRate(1, 12));
    assertEquals(0.8f, constant.learningRate(4, 12));
    assertEquals(0.8f, constant.learningRate(11, 12));
    TrainSettings noWarmup = new TrainSettings(1, 1, 0.8, "cosine", 0, OPT, null);
    assertEquals(0.8f, noWarmup.learningRate(0, 1), "one step: progress 0 over max(1, 1)");
    assertEquals((float) (0.8 * 0.5 * (1 + Math.cos(Math.PI / 3))), noWarmup.learningRate(1, 3));
  }

  @Test
  void aPermutationShufflesEveryPositionFromItsStream() {
    int[] p = TrainSettings.permutation(6, new SplittableRandom(3));
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5}, java.util.Arrays.stream(p).sorted().toArray());
    assertArrayEquals(p, TrainSettings.permutation(6, new SplittableRandom(3)));
    // Fisher–Yates by hand: from the last position down to 1, swap with a uniform j ≤ i
    SplittableRandom r = new SplittableRandom(3);
    int[] q = {0, 1, 2, 3, 4, 5};
    for (int i = 5; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = q[i];
      q[i] = q[j];
      q[j] = t;
    }
    assertArrayEquals(q, p);
    // the stream goes on from where the first permutation left it: i = 0 draws nothing
    SplittableRandom shared = new SplittableRandom(3);
    TrainSettings.permutation(6, shared);
    int[] second = TrainSettings.permutation(6, shared);
    int[] again = null;
    SplittableRandom r2 = new SplittableRandom(3);
    for (int round = 0; round < 2; round++) {
      again = new int[] {0, 1, 2, 3, 4, 5};
      for (int i = 5; i > 0; i--) {
        int j = r2.nextInt(i + 1);
        int t = again[i];
        again[i] = again[j];
        again[j] = t;
      }
    }
    assertArrayEquals(again, second);
    assertArrayEquals(new int[] {0}, TrainSettings.permutation(1, new SplittableRandom(3)));
    assertTrue(java.util.Arrays.equals(new int[0], TrainSettings.permutation(0, new SplittableRandom(3))));
  }
}
