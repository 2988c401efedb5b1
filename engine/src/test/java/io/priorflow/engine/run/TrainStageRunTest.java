package io.priorflow.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.lineage.LineageGraph;
import io.priorflow.engine.model.LoraConfig;
import io.priorflow.engine.train.TrainParams;
import io.priorflow.engine.work.TrainResult;
import io.priorflow.engine.work.TrainWork;
import java.nio.file.Files;
import io.priorflow.engine.run.RecordedRun.Call;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The train stage through a small run, against TrainRunner's Javadoc, from the TrainWork items a recording executor
 * sees: each method's kind, start model (init scratch or the teacher), epochs, learning rate, LoRA's alpha, the
 * distillation teacher, the reference a stage names, the reward model rlhf reads; a reward model that becomes the
 * lineage's instead of its student; a red team that found nothing leaving the model as it was; and the positions
 * trained counted in cost.train_tokens.
 */
class TrainStageRunTest {
  static final String SCENARIO = """
      name: train
      seed: 7
      model: { context: 4, embedDim: 8, hidden: [16] }
      training: { lr: 0.02, batchSize: 16, epochs: 1 }
      actors:
        critics: { count: 1, temperature: 0.3 }
        redTeamers: { count: 1, budget: 3 }
      lineages:
        - name: sft
          generations: 1
          base: { pretrainExamples: 200, epochs: 1 }
          stages:
            - { kind: generate, samples: 12 }
            - { kind: train, method: sft, init: scratch, epochs: 2, lr: 0.05 }
        - name: teach
          generations: 1
          base: { pretrainExamples: 200, epochs: 1 }
          stages:
            - { kind: generate, samples: 12 }
            - { kind: train, method: sft, init: teacher }
        - name: lora
          generations: 1
          base: { pretrainExamples: 200, epochs: 1 }
          stages:
            - { kind: generate, samples: 12 }
            - { kind: train, method: lora, init: teacher, loraRank: 3 }
        - name: distill
          generations: 1
          base: { pretrainExamples: 200, epochs: 1 }
          stages:
            - { kind: generate, samples: 12 }
            - { kind: train, method: distill_token, init: scratch, temperature: 2 }
        - name: dpo
          generations: 2
          base: { pretrainExamples: 200, epochs: 1 }
          stages:
            - { kind: generate, samples: 12 }
            - { kind: label, by: critic, task: prefer, sample: 6 }
            - { kind: train, method: reward_model, init: scratch }
            - { kind: train, method: dpo, init: teacher, reference: base, klCoef: 0.3 }
            - { kind: train, method: rlhf, init: teacher, prompts: 4, samplesPerPrompt: 2 }
        - name: gkd
          generations: 1
          base: { pretrainExamples: 200, epochs: 1 }
          stages:
            - { kind: generate, samples: 12 }
            - { kind: train, method: gkd, init: scratch }
        - name: kto
          generations: 1
          base: { pretrainExamples: 200, epochs: 1 }
          stages:
            - { kind: generate, samples: 12 }
            - { kind: label, by: critic, task: rate, sample: 6 }
            - { kind: train, method: kto, init: teacher }
        - name: online
          generations: 1
          base: { pretrainExamples: 200, epochs: 1 }
          stages:
            - { kind: generate, samples: 12 }
            - { kind: train, method: online_dpo, init: teacher, prompts: 4, rounds: 2 }
        - name: nothing
          generations: 1
          base: { pretrainExamples: 200, epochs: 1 }
          stages:
            - { kind: redteam, trait: toxic, by: ai, responsesPerPrompt: 1 }
            - { kind: train, method: reward_model, init: teacher }
            - { kind: train, method: dpo, init: teacher }
      evaluation: { prompts: 4, samplesPerPrompt: 1 }
      """;

  @TempDir static Path tmp;
  static RecordedRun recorded;

  @BeforeAll
  static void run() throws Exception {
    recorded = RecordedRun.of(SCENARIO, "train.yaml", 7, new RunOutputs(tmp));
  }

  static TrainWork work(String stage) {
    List<Call> c = recorded.calls().stream().filter(x -> x.stage().equals(stage)).toList();
    assertEquals(1, c.size(), stage);
    return (TrainWork) c.get(0).items().get(0);
  }

  static TrainResult result(String stage) {
    return (TrainResult) recorded.calls().stream().filter(x -> x.stage().equals(stage)).findFirst().orElseThrow().results()
        .get(0);
  }

  static String model(String lineage, int g) {
    return recorded.table().rows().stream().filter(r -> r.lineage().equals(lineage) && r.generation() == g).findFirst()
        .orElseThrow().model();
  }

  static Map<String, Double> metrics(String lineage, int g) {
    return recorded.metrics(lineage, g);
  }

  @Test
  void sftFromScratchOrFromTheTeacherWithTheStagesEpochsAndRate() {
    TrainWork scratch = work("sft/g1/s1-train");
    assertEquals("lm", scratch.method());
    assertNull(scratch.initModelId());
    assertEquals(2, scratch.epochs());
    assertEquals(0.05, scratch.lr());
    assertEquals(16, scratch.batchSize());
    assertEquals(result("sft/g1/s1-train").modelId(), model("sft", 1), "the student is the generation's model");
    TrainWork teacher = work("teach/g1/s1-train");
    assertEquals(model("teach", 0), teacher.initModelId());
    assertEquals(1, teacher.epochs(), "training.epochs");
    assertEquals(0.02, teacher.lr(), "training.lr");
  }

  @Test
  void loraAndDistillationCarryTheirParameters() throws Exception {
    TrainWork lora = work("lora/g1/s1-train");
    assertEquals("lora", lora.method());
    assertEquals(model("lora", 0), lora.initModelId());
    assertEquals(new LoraConfig(3, 3.0), lora.lora(), "alpha = rank: the adapter's scale is 1");
    TrainWork distill = work("distill/g1/s1-train");
    assertEquals("distill_token", distill.method());
    assertNull(distill.initModelId());
    assertEquals(new TrainParams.Distill(model("distill", 0), 2.0), distill.params());
    // the teacher's distributions are the targets: a dataset of their own, labelled by the teacher
    LineageGraph g = LineageGraph.fromJson(Files.readAllBytes(tmp.resolve("lineage.json")));
    var targets = g.dataset("distill/g1/train/targets");
    assertEquals(distill.sequences().size(), targets.lineage().rows());
    assertEquals(java.util.Set.of("model:" + model("distill", 0)), targets.judgement().keySet(),
        "every datum labelled with the teacher model's targets");
  }

  /** dpo from the teacher against the reference it names (the base, also in generation 2); rlhf reads the reward model. */
  @Test
  void dpoAndRlhfKeepToTheirReferenceAndReward() {
    for (int g = 1; g <= 2; g++) {
      TrainWork dpo = work("dpo/g" + g + "/s3-train");
      assertEquals("dpo", dpo.method());
      assertEquals(model("dpo", g - 1), dpo.initModelId(), "from the teacher");
      var p = (TrainParams.Dpo) dpo.params();
      assertEquals(model("dpo", 0), p.referenceModelId(), "reference: base");
      assertEquals(0.3, p.beta());
      TrainWork rlhf = work("dpo/g" + g + "/s4-train");
      var r = (TrainParams.Rlhf) rlhf.params();
      assertEquals(result("dpo/g" + g + "/s2-train").modelId(), r.rewardModelId(), "this generation's reward model");
      assertEquals(model("dpo", g - 1), rlhf.initModelId(), "the generation's teacher");
      assertEquals(model("dpo", g - 1), r.referenceModelId(), "no reference: the teacher");
      assertEquals(result("dpo/g" + g + "/s4-train").modelId(), model("dpo", g), "the last training's model");
    }
    TrainWork rm = work("dpo/g1/s2-train");
    assertEquals("reward_bt", rm.method());
    assertNull(rm.initModelId());
    assertTrue(metrics("dpo", 1).containsKey("rlhf.kl"), "rlhf's metrics: " + metrics("dpo", 1).keySet());
    assertTrue(metrics("dpo", 1).containsKey("reward.heldout_agreement"));
  }

  /** gkd's loss starts at the response, at least 1; kto trains from the teacher on each rated datum once. */
  @Test
  void gkdAndKtoReadTheirData() {
    TrainWork gkd = work("gkd/g1/s1-train");
    assertEquals("gkd", gkd.method());
    assertNull(gkd.initModelId());
    assertEquals(12, gkd.sequences().size());
    for (int f : gkd.lossFrom()) assertTrue(f >= 1);
    assertEquals(model("gkd", 0), ((TrainParams.Gkd) gkd.params()).teacherModelId());
    TrainWork kto = work("kto/g1/s2-train");
    assertEquals("kto", kto.method());
    assertEquals(model("kto", 0), kto.initModelId());
    assertEquals(6, kto.sequences().size(), "the six rated data");
    assertEquals(6, kto.lossFrom().length);
    assertEquals(model("kto", 0), ((TrainParams.Kto) kto.params()).referenceModelId());
    assertEquals(result("kto/g1/s2-train").modelId(), model("kto", 1));
  }

  /** online_dpo: each round's DPO starts from the previous round's policy; the last round's is the student. */
  @Test
  void onlineDpoRoundsChainTheirPolicies() {
    List<TrainWork> rounds = recorded.calls().stream().flatMap(c -> c.items().stream())
        .filter(i -> i instanceof TrainWork w && i.id().startsWith("online/g1/s1-train/r")).map(i -> (TrainWork) i)
        .toList();
    assertEquals(List.of("online/g1/s1-train/r0-train/0", "online/g1/s1-train/r1-train/0"),
        rounds.stream().map(TrainWork::id).toList());
    assertEquals(model("online", 0), rounds.get(0).initModelId());
    String first = recorded.calls().stream().filter(c -> c.items().contains(rounds.get(0))).findFirst().orElseThrow().results()
        .stream().map(r -> ((TrainResult) r).modelId()).findFirst().orElseThrow();
    assertEquals(first, rounds.get(1).initModelId(), "round 1 from round 0's policy");
    for (TrainWork w : rounds) {
      assertEquals(model("online", 0), ((TrainParams.Dpo) w.params()).referenceModelId(), "against the teacher");
    }
    String last = recorded.calls().stream().filter(c -> c.items().contains(rounds.get(1))).findFirst().orElseThrow().results()
        .stream().map(r -> ((TrainResult) r).modelId()).findFirst().orElseThrow();
    assertEquals(last, model("online", 1));
  }

  /** Every position trained, in every stage (every round of online_dpo), is counted once in cost.train_tokens. */
  @Test
  void everyTrainingsPositionsAreCounted() {
    for (String lineage : List.of("sft", "lora", "distill", "dpo", "online", "gkd", "kto")) {
      long tokens = recorded.calls().stream().filter(c -> c.stage().startsWith(lineage + "/g1/"))
          .flatMap(c -> c.results().stream()).filter(r -> r instanceof TrainResult)
          .mapToLong(r -> ((TrainResult) r).tokens()).sum();
      assertTrue(tokens > 0, lineage);
      assertEquals((double) tokens, metrics(lineage, 1).get("cost.train_tokens"), lineage);
    }
  }

  /** A red team that finds nothing leaves no pairs: reward_model and dpo train nothing, and the model stays. */
  @Test
  void aRedTeamThatFoundNothingLeavesTheModelAsItWas() throws Exception {
    assertEquals(0, recorded.calls().stream().filter(c -> c.stage().startsWith("nothing/g1/") && c.stage().endsWith("-train"))
        .count(), "no training");
    assertEquals(model("nothing", 0), model("nothing", 1));
  }
}
