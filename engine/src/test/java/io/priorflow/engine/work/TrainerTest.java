package io.priorflow.engine.work;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.priorflow.engine.json.Json;
import io.priorflow.engine.metrics.EvaluationSet;
import io.priorflow.engine.model.LoraConfig;
import io.priorflow.engine.model.OptimizerConfig;
import io.priorflow.engine.model.SamplingConfig;
import io.priorflow.engine.model.TokenModelConfig;
import io.priorflow.engine.rng.RandomStreams;
import io.priorflow.engine.train.DpoTrainer;
import io.priorflow.engine.train.PreferencePairs;
import io.priorflow.engine.train.RewardModelTrainer;
import io.priorflow.engine.train.RlhfTrainer;
import io.priorflow.engine.train.TrainOutcome;
import io.priorflow.engine.train.TrainParams;
import io.priorflow.engine.world.Example;
import io.priorflow.engine.world.Prompt;
import io.priorflow.engine.world.Vocabulary;
import io.priorflow.engine.world.World;
import io.priorflow.kernels.backend.Backends;
import io.priorflow.kernels.backend.KernelBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The trainer actor performs every method through {@link Actors#perform}: each gives a model in the store and its
 * stats, the same item gives the same model on a fresh store, and every item and result survives the JSON the bus
 * carries.
 */
class TrainerTest {
  static final World WORLD = World.defaults();
  static final KernelBackend BE = Backends.create(Backends.DEFAULT, 2);
  static final TokenModelConfig TINY = new TokenModelConfig(TokenModelConfig.Head.TOKEN, WORLD.vocabulary().size(), 8,
      8, List.of(32), TokenModelConfig.Activation.GELU, Vocabulary.PAD);
  static final SamplingConfig SAMPLING = new SamplingConfig(1f, 0, 6, Vocabulary.EOS);

  static WorkContext ctx;
  static String policy;
  static List<int[]> pairSeqs = new ArrayList<>();
  static int[] pairFrom;
  static PreferencePairs pairs;
  static List<int[]> prompts = new ArrayList<>();

  static WorkContext context() { return context(BE); }

  static WorkContext context(KernelBackend be) {
    RandomStreams streams = new RandomStreams(5);
    return new WorkContext(WORLD, streams, new MemoryModelStore(), be, EvaluationSet.draw(WORLD, 2, 1, 1f, 0, streams));
  }

  static TrainWork item(String id, String method, String init, List<int[]> seqs, int[] from, int epochs,
                        LoraConfig lora, TrainParams params) {
    return new TrainWork(id, method, TINY, init, seqs, from, null, epochs, 16, 1e-2, "cosine", 2,
        OptimizerConfig.defaults(), lora, params);
  }

  @BeforeAll
  static void pretrainAPolicyAndDrawPreferences() {
    ctx = context();
    SplittableRandom r = new SplittableRandom(3);
    List<int[]> text = new ArrayList<>();
    for (int i = 0; i < 200; i++) text.add(WORLD.sample(r).sequence());
    int[] one = new int[text.size()];
    java.util.Arrays.fill(one, 1);
    policy = ((TrainResult) Actors.perform(item("t/pretrain", "lm", null, text, one, 2, null, null), ctx)).modelId();
    // pairs of world responses to one prompt, the gold-better one chosen (ties skipped)
    List<Integer> chosen = new ArrayList<>(), rejected = new ArrayList<>();
    List<Integer> from = new ArrayList<>();
    while (chosen.size() < 40) {
      Prompt p = WORLD.samplePrompt(r);
      Example a = WORLD.sampleResponse(p, r), b = WORLD.sampleResponse(p, r);
      double ua = WORLD.oracle().score(a.sequence()).utility(), ub = WORLD.oracle().score(b.sequence()).utility();
      if (ua == ub) continue;
      int ia = pairSeqs.size();
      pairSeqs.add(a.sequence());
      pairSeqs.add(b.sequence());
      from.add(p.length());
      from.add(p.length());
      chosen.add(ua > ub ? ia : ia + 1);
      rejected.add(ua > ub ? ia + 1 : ia);
    }
    pairFrom = from.stream().mapToInt(Integer::intValue).toArray();
    pairs = new PreferencePairs(chosen.stream().mapToInt(Integer::intValue).toArray(),
        rejected.stream().mapToInt(Integer::intValue).toArray());
    for (int i = 0; i < 8; i++) prompts.add(WORLD.samplePrompt(r).tokens());
  }

  /** One item of every method; the reward model comes first, since rlhf and best_of_n name it. */
  static List<TrainWork> everyMethod(WorkContext c) {
    TrainWork rm = item("t/rm", "reward_bt", policy, pairSeqs, pairFrom, 2, null,
        new TrainParams.RewardBt(pairs, 0.25));
    String rmId = ((TrainResult) Actors.perform(rm, c)).modelId();
    int[] promptFrom = prompts.stream().mapToInt(p -> p.length).toArray();
    return List.of(rm,
        item("t/lora", "lora", policy, pairSeqs, pairFrom, 1, new LoraConfig(2, 4), null),
        item("t/dpo", "dpo", policy, pairSeqs, pairFrom, 2, null, new TrainParams.Dpo(pairs, null, 0.1)),
        item("t/dpo-lora", "dpo", policy, pairSeqs, pairFrom, 1, new LoraConfig(2, 4),
            new TrainParams.Dpo(pairs, policy, 0.1)),
        item("t/rlhf", "rlhf", policy, prompts, promptFrom, 2, null,
            new TrainParams.Rlhf(rmId, null, 0.05, 2, SAMPLING, "rloo", 1, 0.2)),
        item("t/ppo", "rlhf", policy, prompts, promptFrom, 1, null,
            new TrainParams.Rlhf(rmId, policy, 0.05, 3, SAMPLING, "ppo", 2, 0.2)),
        item("t/distill", "distill_token", null, pairSeqs, pairFrom, 1, null, new TrainParams.Distill(policy, 2)),
        item("t/bon", "best_of_n", policy, prompts, promptFrom, 1, null, new TrainParams.BestOfN(rmId, 4, SAMPLING)));
  }

  @Test
  void everyMethodTrainsAModelWithItsStats() {
    List<TrainWork> items = everyMethod(ctx);
    for (TrainWork w : items) {
      TrainResult r = (TrainResult) Actors.perform(w, ctx);
      assertNotEquals(policy, r.modelId(), w.method());
      assertTrue(r.steps() > 0 && r.tokens() > 0, w.id());
      assertTrue(r.stats().get(TrainOutcome.PARAMS_TRAINABLE) <= r.stats().get(TrainOutcome.PARAMS_FULL));
      ctx.models().get(r.modelId());
      switch (w.id()) {
        case "t/rm" -> {
          assertEquals(TokenModelConfig.Head.SCALAR, ctx.models().get(r.modelId()).config().head());
          assertEquals(10.0, r.stats().get(RewardModelTrainer.HELDOUT_PAIRS));
          assertTrue(r.stats().containsKey(RewardModelTrainer.HELDOUT_AGREEMENT));
        }
        case "t/lora", "t/dpo-lora" -> assertTrue(
            r.stats().get(TrainOutcome.OPTIMIZER_BYTES) < 0.2 * r.stats().get(TrainOutcome.OPTIMIZER_BYTES_FULL));
        case "t/dpo" -> assertTrue(r.stats().get(DpoTrainer.ACCURACY) > 0.5, r.stats().toString());
        case "t/rlhf" -> {
          assertEquals(2 * 1, r.trace().size(), "2 epochs of one batch of 8 prompts");
          assertEquals(0, r.trace().get(0).kl(), 1e-9);
          assertTrue(Double.isFinite(r.trace().get(1).goldReward()));
          assertTrue(r.stats().containsKey(RlhfTrainer.GOLD));
        }
        case "t/ppo" -> assertEquals(2, r.steps(), "two PPO steps on one batch of samples");
        case "t/bon" -> assertTrue(r.stats().get("best_of_n.reward_best") >= r.stats().get("best_of_n.reward_mean"));
        default -> { }
      }
    }
  }

  @Test
  void theSameItemGivesTheSameModelOnAFreshStore() {
    List<String> a = new ArrayList<>(), b = new ArrayList<>();
    WorkContext fresh = context();
    fresh.models().put(ctx.models().get(policy));
    for (TrainWork w : everyMethod(ctx)) a.add(((TrainResult) Actors.perform(w, ctx)).modelId());
    for (TrainWork w : everyMethod(fresh)) b.add(((TrainResult) Actors.perform(w, fresh)).modelId());
    assertEquals(a, b);
  }

  @Test
  void modelsDoNotDependOnTheBackendsThreadCount() {
    List<String> ids = new ArrayList<>();
    for (int threads : new int[] {1, 4}) {
      try (KernelBackend be = Backends.create(Backends.DEFAULT, threads)) {
        WorkContext c = context(be);
        c.models().put(ctx.models().get(policy));
        StringBuilder all = new StringBuilder();
        for (TrainWork w : everyMethod(c)) all.append(((TrainResult) Actors.perform(w, c)).modelId()).append(' ');
        ids.add(all.toString());
      }
    }
    assertEquals(ids.get(0), ids.get(1));
  }

  @Test
  void itemsAndResultsRoundTripThroughJson() throws Exception {
    ObjectMapper json = Json.messages();
    for (TrainWork w : everyMethod(ctx)) {
      String text = json.writerFor(WorkItem.class).writeValueAsString(w);
      WorkItem back = json.readValue(text, WorkItem.class);
      assertEquals(text, json.writerFor(WorkItem.class).writeValueAsString(back));
      WorkResult r = Actors.perform(w, ctx);
      String rt = json.writerFor(WorkResult.class).writeValueAsString(r);
      assertEquals(rt, json.writerFor(WorkResult.class).writeValueAsString(json.readValue(rt, WorkResult.class)));
    }
    // the old thirteen-field form still reads, with no LoRA and no params
    TrainWork plain = new TrainWork("t/plain", "lm", TINY, null, pairSeqs, pairFrom, null, 1, 4, 1e-3, "constant", 0,
        OptimizerConfig.defaults());
    String text = json.writerFor(WorkItem.class).writeValueAsString(plain)
        .replace(",\"lora\":null,\"params\":null", "");
    TrainWork back = (TrainWork) json.readValue(text, WorkItem.class);
    assertEquals(null, back.params());
  }

  @Test
  void aMethodWithoutItsParamsOrAnUnknownMethodIsAClearError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Actors.perform(item("t/bad", "dpo", policy, pairSeqs, pairFrom, 1, null, null), ctx));
    assertTrue(e.getMessage().contains("t/bad: method dpo needs params of type Dpo, was null"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Actors.perform(item("t/bad", "ppo", policy, pairSeqs, pairFrom, 1, null, null), ctx));
    assertTrue(e.getMessage().contains("unknown training method ppo"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Actors.perform(item("t/bad", "rlhf", null, prompts, new int[prompts.size()], 1, null,
            new TrainParams.Rlhf("x", null, 0.1, 2, SAMPLING, "rloo", 1, 0.2)), ctx));
    assertTrue(e.getMessage().contains("initModelId is required"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Actors.perform(item("t/bad", "lora", policy, pairSeqs, pairFrom, 1, null, null), ctx));
    assertTrue(e.getMessage().contains("lora settings"), e.getMessage());
  }
}
