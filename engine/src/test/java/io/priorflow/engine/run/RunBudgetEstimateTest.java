package io.priorflow.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.priorflow.engine.model.ParamLayout;
import io.priorflow.engine.model.TokenModelConfig;
import io.priorflow.engine.scenario.LoadedScenario;
import io.priorflow.engine.scenario.ModelSpec;
import io.priorflow.engine.scenario.Scenario;
import io.priorflow.engine.scenario.ScenarioLoader;
import io.priorflow.engine.world.Example;
import io.priorflow.engine.world.Vocabulary;
import io.priorflow.engine.world.World;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * RunBudget's estimate term by term, against the arithmetic of its Javadoc: each scenario here is small and explicit,
 * and its expected positions, tokens, operations and bytes are written out below from that table (p̄ and s̄ measured
 * as it says, parameter counts from {@link ParamLayout}). Every role has a model of its own size, so a term given
 * the wrong model, factor or count changes a number. Nothing here runs a scenario.
 */
class RunBudgetEstimateTest {
  /** Four sizes: the base is big, the students small, the critic and reward model of their own. */
  static final String HEAD = """
      name: budget
      seed: 1
      model: { context: 4, embedDim: 8, hidden: [32] }
      models:
        big: { context: 6, embedDim: 12, hidden: [64, 48] }
        small: { context: 3, embedDim: 6, hidden: [16] }
        crit: { context: 5, embedDim: 4, hidden: [24] }
        rm: { context: 4, embedDim: 10, hidden: [40] }
      training: { lr: 0.02, batchSize: 16, epochs: 2 }
      """;
  static final String CRITIC = """
      actors:
        humans: { count: 2 }
        critics: { count: 1, model: crit }
      """;
  /** T = 10·3·7 = 210 evaluation tokens per evaluation. */
  static final String EVALUATION = "evaluation: { prompts: 10, samplesPerPrompt: 3, maxNewTokens: 7 }\n";

  static Scenario parse(String yaml) {
    return ScenarioLoader.parse(yaml, "budget.yaml", List.of()).scenario();
  }

  /** The expected estimate, term by term; the world's lengths measured as the Javadoc says. */
  static final class Expect {
    final Scenario s;
    final int vocab;
    final double p, seq, r;
    long trained, sampled, modelBytes, models, peak, shared;
    double flops;

    Expect(Scenario s) {
      this.s = s;
      World w = ScenarioRun.world(s);
      vocab = w.vocabulary().size();
      SplittableRandom rng = new SplittableRandom(0);
      double prompt = 0, sequence = 0;
      for (int i = 0; i < 256; i++) {
        Example e = w.sample(rng);
        prompt += e.prompt().length();
        sequence += e.sequence().length;
      }
      p = prompt / 256;
      seq = sequence / 256;
      r = seq - p;
    }

    ModelSpec spec(String name) { return s.models().get(name); }

    TokenModelConfig config(String name, boolean scalar) {
      TokenModelConfig c = spec(name).toConfig(vocab, Vocabulary.PAD);
      return scalar ? c.withScalarHead() : c;
    }

    long params(String name, boolean scalar) { return ParamLayout.of(config(name, scalar)).parameterCount(); }

    /** A model kept and trained on {@code positions} positions. */
    Expect train(String name, boolean scalar, double positions) {
      long n = params(name, scalar);
      modelBytes += 4 * n;
      models++;
      trained += (long) positions;
      flops += 6.0 * n * positions;
      peak = Math.max(peak, 24 * n + 4 * activations(config(name, scalar)) * 1024);
      return this;
    }

    /** Tokens sampled by a model of this spec. */
    Expect sample(String name, double tokens) {
      sampled += (long) tokens;
      flops += 2.0 * params(name, false) * tokens;
      return this;
    }

    /** Datums kept by the whole run (the critic's, the bases'). */
    Expect data(double items, double tokens) {
      shared += (long) items * datum(tokens);
      return this;
    }

    static long datum(double tokens) { return 320 + (long) Math.ceil(4 * tokens); }

    /** MLP activations with gradients: 2·(C·D + 2·ΣH + 2·nOut). */
    static long activations(TokenModelConfig c) {
      return 2L * (c.context() * c.embedDim() + 2L * c.hidden().stream().mapToInt(h -> h).sum()
          + 2L * c.outputWidth());
    }

    void assertWork(RunBudget b) {
      assertEquals(trained, b.tokensTrained(), "positions trained");
      assertEquals(sampled, b.tokensSampled(), "tokens sampled");
      assertEquals(flops, b.flops(), 1e-12 * flops, "operations");
      RunBudget.Part m = part(b, "models");
      assertEquals("models (" + models + " kept)", m.name());
      assertEquals(modelBytes, m.bytes(), "4 bytes per parameter of every model kept");
      assertEquals(peak, part(b, "training").bytes(), "the largest training session");
    }
  }

  static RunBudget.Part part(RunBudget b, String prefix) {
    return b.parts().stream().filter(q -> q.name().startsWith(prefix)).findFirst().orElseThrow();
  }

  /**
   * One lineage, two generations, accumulate with fresh data: every part and every work term. The critic's items are
   * 8000/4 = 2000 (more than 1000); the generate stage's 5 new tokens are fewer than r̄, so responses are 5 long.
   */
  @Test
  void oneLineageTermByTerm() {
    Scenario s = parse(HEAD + CRITIC + """
        lineages:
          - name: a
            model: small
            generations: 2
            base: { model: big, pretrainExamples: 8000, epochs: 3 }
            data: { policy: accumulate, freshFraction: 0.25 }
            stages:
              - { kind: generate, samples: 100, maxNewTokens: 5 }
              - { kind: filter, by: critic, keepFraction: 0.5 }
              - { kind: train, method: sft, init: scratch }
        """ + EVALUATION);
    Expect e = new Expect(s);
    assertEquals(true, 5 < e.r, "the scenario needs responses longer than 5 tokens, r̄ = " + e.r);
    e.train("crit", true, 2000 * e.r * 2).data(2000, e.seq);
    e.train("big", false, 8000 * (e.seq - 1) * 3).data(8000, e.seq);
    e.sample("big", 210); // generation 0's evaluation
    double pool = 8000, fresh = 50 * 0.25 / 0.75;
    long poolBytes = 0;
    for (String teacher : List.of("big", "small")) {
      e.sample(teacher, 100 * 5);
      e.train("small", false, (pool + 50) / 0.75 * 5 * 2);
      pool += 50 + fresh;
      poolBytes += (long) ((50 + fresh) * Expect.datum(e.p + 5));
      e.sample("small", 210);
    }
    RunBudget b = RunBudget.of(s);
    e.assertWork(b);
    assertEquals(4, e.models);
    long data = e.shared + poolBytes + (long) (pool * 16);
    assertEquals(data, part(b, "data").bytes());
    assertEquals(RunBudget.BASELINE_BYTES, part(b, "baseline").bytes());
    assertEquals(RunBudget.BASELINE_BYTES + e.modelBytes + e.peak + data, b.memoryBytes());
    // the largest model is the base, which the advice names with its size
    long big = 4 * e.params("big", false);
    String largest = "lineage a's base (" + e.spec("big").describe() + ": " + RunBudget.human(big) + " each)";
    assertEquals("the largest model, " + largest + ", or the generations", part(b, "models").lower());
    assertEquals("the largest model, " + largest, part(b, "training").lower());
    assertEquals("the data: lineage a keeps about " + (long) pool + " items of " + Math.round(e.p + 5)
        + " tokens (lower its generate stages' samples, its generations, or maxNewTokens)", part(b, "data").lower());
    assertEquals("nothing", part(b, "baseline").lower());
    // parts largest first
    List<Long> bytes = b.parts().stream().map(RunBudget.Part::bytes).toList();
    assertEquals(bytes.stream().sorted(java.util.Comparator.reverseOrder()).toList(), bytes);
    // time: 2 s to start, 1 s per generation (0, 1, 2), the operations at 2e10 per second, one run on any cores
    double seconds = 2 + 3 + e.flops / 2e10;
    assertEquals(seconds, b.seconds(1), 1e-9);
    assertEquals(seconds, b.seconds(4), 1e-9, "one run uses one core");
  }

  /** The common part of {@link #eachMethodTrainsAndSamplesItsDocumentedPositions}'s scenarios. */
  static String oneGeneration(String base, String stages) {
    return HEAD + CRITIC + """
        lineages:
          - name: m
            model: small
            generations: 1
            base: { model: %s, pretrainExamples: 400, epochs: 1 }
            data: { policy: replace }
            stages:
              - { kind: generate, samples: 60 }
        """.formatted(base) + stages + EVALUATION;
  }

  /**
   * A lineage of one generation: 60 items of responses r̄ long (the default 16 new tokens are more than r̄), the
   * critic of 1000 items (400/4 is fewer), the base's 400 items, three evaluations' worth of sampling, then the method
   * given. The base is big unless the method copies it (sft or lora from the teacher, which need one architecture).
   */
  static void checkMethod(String stages, Consumer<Expect> method) {
    String base = stages.contains("init: teacher") || stages.contains("lora") ? "small" : "big";
    Scenario s = parse(oneGeneration(base, stages));
    Expect e = new Expect(s);
    assertEquals(true, 16 > e.r);
    e.train("crit", true, 1000 * e.r * 2);
    e.train(base, false, 400 * (e.seq - 1) * 1);
    e.sample(base, 210).sample(base, 60 * 16);
    method.accept(e);
    e.sample("small", 210);
    RunBudget b = RunBudget.of(s);
    e.assertWork(b);
    assertEquals(2 + 2 + e.flops / 2e10, b.seconds(2), 1e-9);
  }

  @Test
  void eachMethodTrainsAndSamplesItsDocumentedPositions() {
    checkMethod("      - { kind: train, method: sft, init: scratch }\n",
        e -> e.train("small", false, 60 * e.r * 2));
    checkMethod("      - { kind: train, method: sft, init: teacher, epochs: 3 }\n",
        e -> e.train("small", false, 60 * e.r * 3));
    checkMethod("      - { kind: train, method: distill_token, init: scratch }\n",
        e -> e.train("small", false, 60 * e.r * 2));
    checkMethod("      - { kind: train, method: lora, init: teacher, loraRank: 2 }\n",
        e -> e.train("small", false, 60 * e.r * 2));
    checkMethod("""
              - { kind: label, by: critic, task: prefer, sample: 30 }
              - { kind: train, method: reward_model, model: rm, epochs: 5 }
              - { kind: train, method: sft, init: scratch }
        """, e -> e.train("rm", true, 60 * e.r * 5).train("small", false, 60 * e.r * 2));
    checkMethod("      - { kind: train, method: rlhf, prompts: 16, samplesPerPrompt: 3 }\n",
        e -> e.sample("big", 16 * 3 * 7 * 2).train("big", false, 16 * 3 * 7 * 2));
    checkMethod("      - { kind: train, method: best_of_n, prompts: 16, n: 5, epochs: 3 }\n",
        e -> e.sample("big", 16 * 5 * 7 * 3).train("big", false, 16 * 5 * 7 * 3));
    checkMethod("      - { kind: train, method: online_dpo, prompts: 8, rounds: 3 }\n",
        e -> e.sample("big", 60 * 7 * 3).train("big", false, 2 * 60 * e.r * 2));
    checkMethod("      - { kind: train, method: gkd, init: scratch }\n",
        e -> e.sample("small", 60 * 7 * 4).train("small", false, 2 * 60 * e.r * 2));
    checkMethod("""
              - { kind: label, by: critic, task: prefer, sample: 30 }
              - { kind: train, method: dpo }
        """, e -> e.train("big", false, 2 * 60 * e.r * 2));
    checkMethod("""
              - { kind: label, by: critic, task: rate, sample: 30 }
              - { kind: train, method: kto }
        """, e -> e.train("big", false, 2 * 60 * e.r * 2));
  }

  /** The training set under each policy, with the pool of the base's items and earlier generations. */
  @Test
  void theTrainingSetFollowsTheDataPolicy() {
    for (String policy : List.of("replace", "accumulate", "subsample, subsampleSize: 8050",
        "subsample, subsampleSize: 300")) {
      Scenario s = parse(HEAD + CRITIC + """
          lineages:
            - name: a
              model: small
              generations: 2
              base: { model: big, pretrainExamples: 8000, epochs: 1 }
              data: { policy: %s, freshFraction: 0.5 }
              stages:
                - { kind: generate, samples: 100 }
                - { kind: train, method: sft, init: scratch }
          """.formatted(policy) + EVALUATION);
      Expect e = new Expect(s);
      e.train("crit", true, 2000 * e.r * 2).train("big", false, 8000 * (e.seq - 1));
      double pool = 8000;
      for (int g = 1; g <= 2; g++) {
        double set = switch (policy.substring(0, 5)) {
          case "repla" -> 100;
          case "accum" -> pool + 100;
          default -> Math.min(policy.endsWith("8050") ? 8050 : 300, pool + 100);
        };
        e.train("small", false, set / 0.5 * e.r * 2);
        pool += 100 + 100; // the items and as many fresh ones (freshFraction 0.5)
      }
      RunBudget b = RunBudget.of(s);
      assertEquals(e.trained, b.tokensTrained(), policy);
      assertEquals(e.peak, part(b, "training").bytes(), policy);
      long data = 2000 * Expect.datum(e.seq) + 8000 * Expect.datum(e.seq)
          + 2 * (long) (200 * Expect.datum(e.seq)) + (long) (pool * 16);
      assertEquals(data, part(b, "data").bytes(), policy);
    }
  }

  /**
   * Stages in some generations only: generate in 1 and 3, train in 2 and 3. In generation 2 there are no new items
   * and responses are r̄ long; accumulate trains on the pool alone.
   */
  @Test
  void scheduledStagesCountOnlyInTheirGenerations() {
    Scenario s = parse(HEAD + CRITIC + """
        lineages:
          - name: a
            model: small
            generations: 3
            base: { model: big, pretrainExamples: 400, epochs: 1 }
            data: { policy: accumulate }
            stages:
              - { kind: generate, samples: 50, maxNewTokens: 4, every: 2 }
              - { kind: train, method: sft, init: scratch, from: 2 }
        """ + EVALUATION);
    Expect e = new Expect(s);
    e.train("crit", true, 1000 * e.r * 2).train("big", false, 400 * (e.seq - 1)).sample("big", 210);
    e.sample("big", 50 * 4).sample("small", 210); // 1: generate
    e.train("small", false, 450 * e.r * 2).sample("small", 210); // 2: train on the pool, responses r̄
    e.sample("small", 50 * 4).train("small", false, 500 * 4 * 2).sample("small", 210); // 3: both
    RunBudget b = RunBudget.of(s);
    e.assertWork(b);
    assertEquals(2 + 4 + e.flops / 2e10, b.seconds(1), 1e-9);
    // generations without a generate stage add nothing to the pool: 400 + 50 + 0 + 50 items, two of 4-token answers
    long data = 1000 * Expect.datum(e.seq) + 400 * Expect.datum(e.seq) + 2 * (50 * Expect.datum(e.p + 4))
        + 500 * 16;
    assertEquals(data, part(b, "data").bytes());
  }

  /** A constitution's classifiers, one per rule, and an AI red team's tries sampled by the teacher. */
  @Test
  void constitutionClassifiersAndRedTeamTries() {
    Scenario s = parse(HEAD + """
        actors:
          critics:
            model: crit
            constitution:
              model: rm
              rules: [ { trait: toxic, weight: 2, rule: forbids }, { trait: correct, weight: 1, rule: asks } ]
              trainingExamples: 300
          redTeamers: { count: 2, budget: 60 }
        lineages:
          - name: a
            model: small
            generations: 1
            base: { model: big, pretrainExamples: 400, epochs: 1 }
            stages:
              - { kind: redteam, trait: toxic, by: ai, responsesPerPrompt: 3 }
              - { kind: train, method: dpo, init: teacher }
        """ + EVALUATION);
    Expect e = new Expect(s);
    e.train("crit", true, 1000 * e.r * 2);
    e.train("rm", true, 300 * e.r * 2).train("rm", true, 300 * e.r * 2);
    e.train("big", false, 400 * (e.seq - 1)).sample("big", 210);
    e.sample("big", 60 * 3 * 7);
    e.train("big", false, 0); // no items: the red team's pairs are not counted as items
    e.sample("small", 210);
    e.assertWork(RunBudget.of(s));
  }

  /**
   * Bases are trained once per distinct (model, pretrainExamples, epochs); the data part keeps the largest lineage's
   * pool, the first of equals (a and b hold the same), which the advice names.
   */
  @Test
  void distinctBasesOnceAndTheLargestPoolFirstOfEquals() {
    String lineage = """
          - name: %s
            model: small
            generations: 1
            base: { model: %s, pretrainExamples: %d, epochs: %d }
            stages:
              - { kind: generate, samples: %d }
              - { kind: train, method: sft, init: scratch }
        """;
    Scenario s = parse(HEAD + CRITIC + "lineages:\n" + lineage.formatted("c", "big", 400, 1, 10)
        + lineage.formatted("a", "big", 400, 1, 300) + lineage.formatted("b", "big", 400, 1, 300)
        + lineage.formatted("d", "big", 500, 1, 10) + lineage.formatted("e", "big", 400, 2, 10)
        + lineage.formatted("f", "small", 400, 1, 10) + EVALUATION);
    Expect e = new Expect(s);
    e.train("crit", true, 1000 * e.r * 2).data(1000, e.seq);
    e.train("big", false, 400 * (e.seq - 1)).data(400, e.seq);
    e.train("big", false, 500 * (e.seq - 1)).data(500, e.seq);
    e.train("big", false, 400 * (e.seq - 1) * 2).data(400, e.seq);
    e.train("small", false, 400 * (e.seq - 1)).data(400, e.seq);
    for (int samples : new int[] {10, 300, 300, 10, 10, 10}) {
      e.train("small", false, samples * e.r * 2);
    }
    RunBudget b = RunBudget.of(s);
    assertEquals(e.trained, b.tokensTrained());
    assertEquals("models (" + e.models + " kept)", part(b, "models").name());
    assertEquals(11, e.models);
    long pool = 300 * Expect.datum(e.seq) + (400 + 300) * 16;
    assertEquals(e.shared + pool, part(b, "data").bytes());
    assertEquals(true, part(b, "data").lower().startsWith("the data: lineage a keeps about 700 items of "),
        part(b, "data").lower());
  }

  /** Evaluation tokens: prompts · samples · new tokens, times best-of-n's n, twice with a win rate. */
  @Test
  void evaluationTokensCountBestOfNAndWinRate() {
    String body = HEAD + CRITIC + """
        lineages:
          - name: a
            model: small
            generations: 2
            base: { model: big, pretrainExamples: 400, epochs: 1 }
            stages:
              - { kind: train, method: sft, init: scratch }
        evaluation: { prompts: 10, samplesPerPrompt: 3, maxNewTokens: 7%s }
        """;
    for (String extra : List.of("", ", bestOfN: 4", ", winRateAgainst: teacher", ", bestOfN: 4, winRateAgainst: base")) {
      Scenario s = parse(body.formatted(extra));
      long t = 210L * (extra.contains("bestOfN") ? 4 : 1) * (extra.contains("winRate") ? 2 : 1);
      Expect e = new Expect(s);
      e.train("crit", true, 1000 * e.r * 2).train("big", false, 400 * (e.seq - 1)).sample("big", t);
      e.train("small", false, 0).sample("small", t).train("small", false, 0).sample("small", t);
      e.assertWork(RunBudget.of(s));
    }
  }

  @Test
  void anAnalyticWorldNeedsTheBaselineAndTheStartOnly() {
    RunBudget b = RunBudget.of(parse(BanditRunTest.SCENARIO));
    assertEquals(List.of(new RunBudget.Part("baseline", RunBudget.BASELINE_BYTES, "nothing")), b.parts());
    assertEquals(0, b.tokensTrained());
    assertEquals(0, b.tokensSampled());
    assertEquals(0, b.flops());
    assertEquals(2.0, b.seconds(1));
    assertEquals(2.0, b.seconds(3));
  }

  /** Activations per position and a training session's bytes, worked out by hand. */
  @Test
  void activationsAndTrainingBytesByHand() {
    var mlp = new TokenModelConfig(TokenModelConfig.Head.TOKEN, 77, 4, 8, List.of(32),
        TokenModelConfig.Activation.GELU, 0);
    assertEquals(2 * (32 + 64 + 154), RunBudget.activationFloats(mlp));
    var deep = new TokenModelConfig(TokenModelConfig.Head.TOKEN, 77, 6, 12, List.of(64, 48),
        TokenModelConfig.Activation.GELU, 0);
    assertEquals(2 * (72 + 224 + 154), RunBudget.activationFloats(deep));
    assertEquals(2 * (32 + 64 + 2), RunBudget.activationFloats(mlp.withScalarHead()));
    assertEquals(24 * ParamLayout.of(mlp).parameterCount() + 4L * 500 * 1024, RunBudget.trainingBytes(mlp));
    // transformer V 96, C 64, D 64, L 2, NH 4, F 256: 2·(512 + 512 + 256 + 4) + 448 + 512 + 256 + 128 + 288
    var gpt = TokenModelConfig.transformer(TokenModelConfig.Head.TOKEN, 96, 64, 64, 2, 4, 256, 0);
    assertEquals(4200, RunBudget.activationFloats(gpt));
    // L 1, C 8, D 16, NH 2, F 32, V 50: (128 + 64 + 16 + 4) + 112 + 64 + 16 + 32 + 150
    var one = TokenModelConfig.transformer(TokenModelConfig.Head.TOKEN, 50, 8, 16, 1, 2, 32, 0);
    assertEquals(212 + 112 + 64 + 16 + 32 + 150, RunBudget.activationFloats(one));
    assertEquals(24 * ParamLayout.of(gpt).parameterCount() + 4L * 4200 * 4096, RunBudget.trainingBytes(gpt));
  }

  /** A batch of different runs: each part summed over the lanes largest runs, work and fixed time over all. */
  @Test
  void aBatchOfDifferentRunsSumsItsLargestLanesPartByPart() {
    String body = HEAD + CRITIC + """
        lineages:
          - name: a
            model: small
            generations: %d
            base: { model: big, pretrainExamples: 400, epochs: 1 }
            stages:
              - { kind: generate, samples: %d }
              - { kind: train, method: sft, init: scratch }
        """ + EVALUATION;
    Scenario small = parse(body.formatted(1, 10)), mid = parse(body.formatted(2, 300)),
        large = parse(body.formatted(3, 3000));
    RunBudget s = RunBudget.of(small), m = RunBudget.of(mid), l = RunBudget.of(large);
    RunBudget batch = RunBudget.ofBatch(List.of(mid, small, large), 2);
    assertEquals(s.tokensTrained() + m.tokensTrained() + l.tokensTrained(), batch.tokensTrained());
    assertEquals(s.tokensSampled() + m.tokensSampled() + l.tokensSampled(), batch.tokensSampled());
    assertEquals(s.flops() + m.flops() + l.flops(), batch.flops(), 1e-6);
    // the two largest (large, mid) at once: their models (5 and 4 kept), training and data parts summed
    for (String kind : List.of("models", "training", "data")) {
      RunBudget.Part p = part(batch, kind);
      assertEquals(part(l, kind).bytes() + part(m, kind).bytes(), p.bytes(), kind);
      assertEquals(part(l, kind).name() + " (2 runs at once)", p.name());
      assertEquals(part(l, kind).lower() + ", or --parallel", p.lower());
    }
    assertEquals(RunBudget.BASELINE_BYTES, part(batch, "baseline").bytes());
    assertEquals(4, batch.parts().size());
    double fixed = (2 + 2) + (2 + 3) + (2 + 4);
    assertEquals(fixed + batch.flops() / 2e10, batch.seconds(1), 1e-9);
    assertEquals((fixed + batch.flops() / 2e10) / 2, batch.seconds(2), 1e-9);
    assertEquals((fixed + batch.flops() / 2e10) / 2, batch.seconds(8), 1e-9, "two lanes use two cores at most");
    // one lane holds the largest run only; no lanes is one
    for (int lanes : new int[] {1, 0}) {
      RunBudget one = RunBudget.ofBatch(List.of(mid, small, large), lanes);
      assertEquals(l.memoryBytes(), one.memoryBytes());
      assertEquals(part(l, "data").name() + " (1 runs at once)", part(one, "data").name());
      assertEquals(fixed + batch.flops() / 2e10, one.seconds(2), 1e-9);
    }
    // a batch of one run is that run's budget; of none is an error
    RunBudget alone = RunBudget.ofBatch(List.of(mid), 4);
    assertEquals(m.parts(), alone.parts());
    assertEquals(m.seconds(4), alone.seconds(4));
    assertThrows(IllegalArgumentException.class, () -> RunBudget.ofBatch(List.of(), 2));
  }

  /** Replicates differ in the seed only: a sweep's runs are budgeted per point, each replicate counted. */
  @Test
  void theRunsOfASweepAreBudgetedPointByPoint() {
    String yaml = HEAD + CRITIC + """
        lineages:
          - name: a
            model: small
            generations: 1
            base: { model: big, pretrainExamples: 400, epochs: 1 }
            stages:
              - { kind: generate, samples: 50 }
              - { kind: train, method: sft, init: scratch }
        """ + EVALUATION + """
        sweep:
          lineages[0].generations: [1, 3]
        """;
    LoadedScenario base = ScenarioLoader.parse(yaml, "budget.yaml", List.of());
    List<RunSpec> runs = RunSpec.grid(base.sweep(), List.of(0, 1), List.of(0, 1, 2), true);
    assertEquals(6, runs.size());
    RunBudget b = RunBudget.ofRuns(base, runs, 2);
    Scenario one = runs.get(0).scenario(base).scenario(), three = runs.get(1).scenario(base).scenario();
    assertEquals(1, one.lineages().get(0).generations());
    assertEquals(3, three.lineages().get(0).generations());
    RunBudget expected = RunBudget.ofBatch(List.of(one, three, one, three, one, three), 2);
    assertEquals(expected.parts(), b.parts());
    assertEquals(3 * (RunBudget.of(one).tokensTrained() + RunBudget.of(three).tokensTrained()), b.tokensTrained());
    assertEquals(expected.seconds(2), b.seconds(2), 1e-9);
    // replicates of one scenario differ in the seed only: the same budget as the first one's
    Scenario reseeded = runs.get(2).scenario(base).scenario();
    assertEquals(false, reseeded.seed() == one.seed());
    RunBudget pair = RunBudget.ofBatch(List.of(one, reseeded), 2);
    assertEquals(2 * RunBudget.of(one).tokensTrained(), pair.tokensTrained());
  }

  /** The two lines for a terminal, every number in them from the budget. */
  @Test
  void describeAndRefusalSayTheNumbers() {
    Scenario s = parse(oneGeneration("big", "      - { kind: train, method: sft, init: scratch }\n"));
    RunBudget b = RunBudget.of(s);
    StringBuilder memory = new StringBuilder("budget: about " + RunBudget.human(b.memoryBytes()) + " of heap (");
    List<RunBudget.Part> parts = b.parts();
    for (int i = 0; i < parts.size(); i++) {
      memory.append(i > 0 ? ", " : "").append(parts.get(i).name()).append(' ')
          .append(RunBudget.human(parts.get(i).bytes()));
    }
    memory.append(") of this JVM's 2.0 GiB\n");
    // thousands of positions trained (10 000 and more: in k), fewer than 10 000 tokens sampled, under 90 s
    String work = String.format(Locale.ROOT, "work: %.0f k tokens trained, %d sampled, %.2g floating-point "
        + "operations: roughly %.0f s", b.tokensTrained() / 1e3, b.tokensSampled(), b.flops(), b.seconds(2));
    assertEquals(true, b.tokensTrained() >= 10_000 && b.tokensTrained() < 10_000_000 && b.tokensSampled() < 10_000
        && b.seconds(2) >= 1 && b.seconds(2) < 90, b.describe(2L << 30, 2));
    assertEquals(memory + work, b.describe(2L << 30, 2));
    assertNull(b.refusal(b.memoryBytes()));
    long heap = b.memoryBytes() - 1;
    RunBudget.Part top = parts.get(0);
    long xmx = (long) Math.ceil(b.memoryBytes() * 1.25 / (1L << 30));
    assertEquals("the run needs about " + RunBudget.human(b.memoryBytes()) + " of heap (" + top.name() + " "
        + RunBudget.human(top.bytes()) + "), more than this JVM's " + RunBudget.human(heap) + ": lower " + top.lower()
        + "; or raise the heap (PF_JAVA_OPTS=-Xmx" + Math.max(1, xmx) + "g); --ignore-budget runs it anyway",
        b.refusal(heap));
  }

  /** The advice names the first model of the largest size: the base, not the students of the same model. */
  @Test
  void theLargestModelNamedIsTheFirstOfItsSize() {
    Scenario s = parse(HEAD.replace("  big: {", "  same: { context: 6, embedDim: 12, hidden: [64, 48] }\n"
        + "  big: {") + CRITIC + """
        lineages:
          - name: a
            model: same
            generations: 1
            base: { model: big, pretrainExamples: 400, epochs: 1 }
            stages:
              - { kind: generate, samples: 10 }
              - { kind: train, method: sft, init: teacher }
        """ + EVALUATION);
    Expect e = new Expect(s);
    assertEquals(e.params("big", false), e.params("same", false));
    assertEquals("the largest model, lineage a's base (" + e.spec("big").describe() + ": "
        + RunBudget.human(4 * e.params("big", false)) + " each)", part(RunBudget.of(s), "training").lower());
  }

  /** The heap to ask for is the estimate plus a quarter, in whole GiB, at least 1. */
  @Test
  void theRefusalAsksForAQuarterMoreThanTheEstimate() {
    Scenario s = ScenarioLoader.parse(ScenarioRunTest.SCENARIO, "small.yaml",
        List.of("model.hidden=[8192,8192,8192]")).scenario();
    RunBudget b = RunBudget.of(s);
    long xmx = (long) Math.ceil(b.memoryBytes() * 1.25 / (1L << 30));
    assertEquals(true, xmx >= 3 && xmx != (long) Math.ceil(b.memoryBytes() / 1.25 / (1L << 30)), b.describe(1, 1));
    assertEquals(true, b.refusal(1L << 30).contains("(PF_JAVA_OPTS=-Xmx" + xmx + "g); "), b.refusal(1L << 30));
  }

  @Test
  void bytesForPeople() {
    assertEquals("0 B", RunBudget.human(0));
    assertEquals("1023 B", RunBudget.human(1023));
    assertEquals("1.0 KiB", RunBudget.human(1024));
    assertEquals("9.9 KiB", RunBudget.human(10 * 1024 - 100));
    assertEquals("10 KiB", RunBudget.human(10 * 1024));
    assertEquals("1023 KiB", RunBudget.human(1023 * 1024));
    assertEquals("1.0 MiB", RunBudget.human(1L << 20));
    assertEquals("3.5 GiB", RunBudget.human(7L << 29));
    assertEquals("1.0 TiB", RunBudget.human(1L << 40));
    assertEquals("1.0 PiB", RunBudget.human(1L << 50));
    assertEquals("2048 PiB", RunBudget.human(1L << 61), "PiB is the last unit");
  }

  @Test
  void countsAndDurationsForPeople() throws Exception {
    Method count = RunBudget.class.getDeclaredMethod("count", long.class);
    Method duration = RunBudget.class.getDeclaredMethod("duration", double.class);
    count.setAccessible(true);
    duration.setAccessible(true);
    assertEquals("9999", count.invoke(null, 9_999L));
    assertEquals("10 k", count.invoke(null, 10_000L));
    assertEquals("10000 k", count.invoke(null, 9_999_999L));
    assertEquals("10 M", count.invoke(null, 10_000_000L));
    assertEquals("10000 M", count.invoke(null, 9_999_999_999L));
    assertEquals("10 G", count.invoke(null, 10_000_000_000L));
    assertEquals("1 s", duration.invoke(null, 0.2));
    assertEquals("3 s", duration.invoke(null, 3.0));
    assertEquals("90 s", duration.invoke(null, 89.9));
    assertEquals("2 min", duration.invoke(null, 90.0));
    assertEquals("90 min", duration.invoke(null, 5399.0));
    assertEquals("1.5 h", duration.invoke(null, 5400.0));
    assertEquals("48.0 h", duration.invoke(null, 48 * 3600 - 1.0));
    assertEquals("2.0 days", duration.invoke(null, 48 * 3600.0));
  }
}
