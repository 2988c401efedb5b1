package io.priorflow.engine.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.priorflow.engine.json.Json;
import io.priorflow.engine.rng.RandomStreams;
import io.priorflow.engine.scenario.GenerateStage;
import io.priorflow.engine.train.InContext;
import io.priorflow.engine.work.SampleResult;
import io.priorflow.engine.work.SampleWork;
import io.priorflow.engine.work.ScoreResult;
import io.priorflow.engine.work.ScoreWork;
import io.priorflow.engine.work.WorkItem;
import io.priorflow.engine.work.WorkResult;
import io.priorflow.engine.world.Tag;
import io.priorflow.engine.world.Vocabulary;
import java.nio.file.Files;
import io.priorflow.engine.run.RecordedRun.Call;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generate and filter stages through a small run, against what their Javadoc says, from the work items and
 * results a recording executor sees: the prompts drawn from the stage's stream (tagged, and with in-context examples
 * prepended), 64 prompts per item, the datum the prompt and the response only; the filter keeping exactly
 * round(keepFraction·n) of the best by gold utility or by the critic's scores (ties to the lower index), each with
 * its keep label, and its event and counters.
 */
class GenerateFilterRunTest {
  static final String SCENARIO = """
      name: stages
      seed: 3
      world:
        vocabulary: { entities: 8, attributes: 2 }
        prompts: { fact: 0.8, arithmetic: 0.1, chat: 0.1 }
        documents: { factRecall: 0.5, statements: 1, freshValues: 1 }
      model: { context: 12, embedDim: 8, hidden: [16] }
      training: { lr: 0.02, batchSize: 16, epochs: 1 }
      actors:
        critics: { count: 1, temperature: 0.3 }
        retrievers: { count: 1, recall: 1, precision: 1 }
      lineages:
        - name: gold
          generations: 1
          base: { pretrainExamples: 200, epochs: 1 }
          stages:
            - { kind: generate, samples: 70, maxNewTokens: 6 }
            - { kind: filter, by: gold, keepFraction: 0.3 }
            - { kind: train, method: sft, init: teacher }
        - name: critic
          generations: 1
          base: { pretrainExamples: 200, epochs: 1 }
          stages:
            - { kind: generate, samples: 30, tag: high, examples: 2, examplesTag: low }
            - { kind: filter, by: critic, keepFraction: 0.5 }
            - { kind: train, method: sft, init: teacher }
        - name: rag
          generations: 1
          base: { pretrainExamples: 200, epochs: 1 }
          stages:
            - { kind: generate, samples: 20, retrieval: { k: 1, rebuildEvery: 1 }, examples: 1, examplesTag: none }
            - { kind: train, method: sft, init: teacher }
      evaluation: { prompts: 4, samplesPerPrompt: 1 }
      """;

  @TempDir static Path tmp;
  static RecordedRun recorded;

  @BeforeAll
  static void run() throws Exception {
    recorded = RecordedRun.of(SCENARIO, "stages.yaml", 3, new RunOutputs(tmp).withProvenance(true));
  }

  static Call call(String stage) {
    return recorded.call(stage);
  }

  static String teacher(String lineage) {
    return recorded.table().rows().stream().filter(r -> r.lineage().equals(lineage) && r.generation() == 0).findFirst()
        .orElseThrow().model();
  }

  /** The generated sequences of a generate stage, item by item in id order. */
  static List<int[]> sequences(Call c) {
    List<int[]> out = new ArrayList<>();
    c.results().stream().sorted(Comparator.comparing(WorkResult::id))
        .forEach(r -> out.addAll(((SampleResult) r).sequences()));
    return out;
  }

  static List<int[]> asked(Call c) {
    List<int[]> out = new ArrayList<>();
    c.items().forEach(i -> out.addAll(((SampleWork) i).prompts()));
    return out;
  }

  /** Indices of the best {@code keep} scores, ties to the lower index: what the filter keeps. */
  static Set<Integer> best(double[] score, int keep) {
    return new TreeSet<>(IntStream.range(0, score.length).boxed()
        .sorted(Comparator.<Integer>comparingDouble(i -> -score[i]).thenComparing(i -> i)).limit(keep).toList());
  }

  /** Every provenance line of the lineage's generation-1 datasets that comes from the stage, by datum index. */
  static List<JsonNode> provenance(String lineage, String stage) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(tmp.resolve("provenance").resolve(lineage).resolve("g1"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        for (String line : Files.readAllLines(f)) {
          JsonNode o = Json.messages().readTree(line);
          if (o.get("id").asText().startsWith(stage + "/")) out.add(o);
        }
      }
    }
    assertTrue(!out.isEmpty(), "the training set holds the stage's data");
    return out;
  }

  static int index(JsonNode datum) {
    String id = datum.get("id").asText();
    return Integer.parseInt(id.substring(id.lastIndexOf('/') + 1));
  }

  static JsonNode event(String stage) throws Exception {
    List<JsonNode> e = new ArrayList<>();
    for (String line : Files.readAllLines(tmp.resolve("events.jsonl"))) {
      JsonNode o = Json.messages().readTree(line);
      if (o.get("stage").asText().equals(stage)) e.add(o);
    }
    assertEquals(1, e.size(), stage);
    return e.get(0);
  }

  @Test
  void generatePromptsComeFromTheStagesStreamSixtyFourPerItem() {
    Call c = call("gold/g1/s0-generate");
    assertEquals(List.of("gold/g1/s0-generate/000000", "gold/g1/s0-generate/000001"),
        c.items().stream().map(WorkItem::id).toList());
    assertEquals(List.of(64, 6), c.items().stream().map(i -> ((SampleWork) i).prompts().size()).toList());
    GenerateStage stage = (GenerateStage) recorded.loaded().scenario().lineages().get(0).stages().get(0);
    for (WorkItem i : c.items()) {
      assertEquals(teacher("gold"), ((SampleWork) i).modelId());
      assertEquals(stage.sampling(Vocabulary.EOS), ((SampleWork) i).sampling());
    }
    var rng = new RandomStreams(3).forItem("gold/g1/s0-generate/prompts");
    List<int[]> asked = asked(c);
    for (int q = 0; q < 70; q++) assertArrayEquals(recorded.world().at(1).samplePrompt(rng).tokens(), asked.get(q), "prompt " + q);
  }

  @Test
  void promptsWithATagAndExamplesAreConditionedButTheDatumIsThePromptAndTheResponse() throws Exception {
    Call c = call("critic/g1/s0-generate");
    var prompts = new RandomStreams(3).forItem("critic/g1/s0-generate/prompts");
    var examples = new RandomStreams(3).forItem("critic/g1/s0-generate/examples");
    Tag high = GenerateStage.PromptTag.HIGH.toTag().orElseThrow(), low = GenerateStage.PromptTag.LOW.toTag()
        .orElseThrow();
    List<int[]> asked = asked(c), seqs = sequences(c), promptTokens = new ArrayList<>();
    for (int q = 0; q < 30; q++) {
      int[] p = recorded.world().at(1).samplePromptWithTag(high, prompts).tokens();
      promptTokens.add(p);
      List<int[]> ex = List.of(recorded.world().at(1).sampleWithTag(low, examples).sequence(),
          recorded.world().at(1).sampleWithTag(low, examples).sequence());
      assertArrayEquals(InContext.condition(ex, p, 12), asked.get(q), "prompt " + q);
      assertTrue(asked.get(q).length > p.length, "examples prepended");
    }
    for (JsonNode d : provenance("critic", "critic/g1/s0-generate")) {
      int i = index(d);
      assertEquals(promptTokens.get(i).length, d.get("prompt_tokens").asInt());
      assertEquals(seqs.get(i).length - asked.get(i).length, d.get("response_tokens").asInt());
      assertEquals(ProvenanceLinesTest.words(recorded.world(), promptTokens.get(i), 0, promptTokens.get(i).length),
          d.get("prompt").asText());
      assertEquals(ProvenanceLinesTest.words(recorded.world(), seqs.get(i), asked.get(i).length, seqs.get(i).length),
          d.get("response").asText());
      assertEquals("generator", d.get("source").asText());
      assertEquals(teacher("critic"), d.get("model").asText());
      assertEquals(0, d.get("parents").size(), "no retrieval: no index among the parents");
    }
  }

  /**
   * With retrieval the teacher reads each prompt with its passages (Retriever.augment) after an untagged example, the
   * datum keeps the prompt and the response only, and one whose prompt got passages names the index (index@g1) among
   * its parents.
   */
  @Test
  void retrievedPassagesArePromptedButAreNotData() throws Exception {
    Call gen = call("rag/g1/s0-generate"), ret = call("rag/g1/s0-generate/retrieve");
    var prompts = new RandomStreams(3).forItem("rag/g1/s0-generate/prompts");
    var examples = new RandomStreams(3).forItem("rag/g1/s0-generate/examples");
    List<int[]> queries = new ArrayList<>(), passages = new ArrayList<>(), promptTokens = new ArrayList<>();
    ret.items().forEach(i -> queries.addAll(((io.priorflow.engine.work.RetrieveWork) i).queries()));
    ret.results().stream().sorted(Comparator.comparing(WorkResult::id))
        .forEach(r -> passages.addAll(((io.priorflow.engine.work.RetrieveResult) r).passages()));
    List<int[]> asked = asked(gen), seqs = sequences(gen);
    int withPassages = 0;
    for (int q = 0; q < 20; q++) {
      int[] p = recorded.world().at(1).samplePrompt(prompts).tokens();
      promptTokens.add(p);
      assertArrayEquals(p, queries.get(q), "query " + q);
      int[] augmented = io.priorflow.engine.work.Retriever.augment(recorded.world().vocabulary(), p, passages.get(q));
      assertArrayEquals(InContext.condition(List.of(recorded.world().at(1).sample(examples).sequence()), augmented, 12),
          asked.get(q), "prompt " + q);
      if (passages.get(q).length > 0) withPassages++;
    }
    assertTrue(withPassages > 0 && withPassages < 20, withPassages + " of 20 prompts got passages");
    List<JsonNode> data = provenance("rag", "rag/g1/s0-generate");
    Set<Integer> all = new TreeSet<>();
    data.forEach(d -> all.add(index(d)));
    assertEquals(new TreeSet<>(IntStream.range(0, 20).boxed().toList()), all, "no filter: every datum trained on");
    for (JsonNode d : data) {
      int i = index(d);
      assertEquals(promptTokens.get(i).length, d.get("prompt_tokens").asInt());
      assertEquals(ProvenanceLinesTest.words(recorded.world(), seqs.get(i), asked.get(i).length, seqs.get(i).length),
          d.get("response").asText());
      assertEquals(passages.get(i).length == 0 ? "[]" : "[\"index@g1\"]", d.get("parents").toString(), "datum " + i);
    }
  }

  @Test
  void theGoldFilterKeepsExactlyTheBestShareByGoldUtility() throws Exception {
    List<int[]> seqs = sequences(call("gold/g1/s0-generate"));
    double[] u = seqs.stream().mapToDouble(s -> recorded.world().at(1).oracle().score(s).utility()).toArray();
    Set<Integer> expected = best(u, 21); // round(0.3 · 70)
    Set<Integer> kept = new TreeSet<>();
    for (JsonNode d : provenance("gold", "gold/g1/s0-generate")) {
      kept.add(index(d));
      JsonNode l = d.get("labels").get(0);
      assertEquals("{\"kind\":\"keep\",\"value\":1.0,\"labeller\":\"ai\",\"labeller_id\":\"gold\",\"model\":null,"
          + "\"pair\":null,\"origin\":\"critic:gold\"}", l.toString());
      assertEquals(1, d.get("labels").size());
    }
    assertEquals(expected, kept);
    JsonNode e = event("gold/g1/s1-filter");
    assertEquals("filter", e.get("kind").asText());
    assertEquals(21, e.get("data").asInt());
    assertEquals(0, e.get("aiLabels").asInt());
    assertEquals(0, e.get("items").asInt(), "gold needs no actor");
    assertEquals(0.0, ScenarioRunTest.lastMetrics(recorded.table(), "gold").get("labels.ai"));
    assertEquals(List.of(), call("gold/g1/s1-filter").items(), "a step of the journal all the same");
  }

  @Test
  void theCriticFilterKeepsExactlyTheBestShareByItsScores() throws Exception {
    Call scored = call("critic/g1/s1-filter");
    List<Double> s = new ArrayList<>();
    scored.results().stream().sorted(Comparator.comparing(WorkResult::id))
        .forEach(r -> { for (double x : ((ScoreResult) r).scores()) s.add(x); });
    assertEquals(30, s.size());
    String critic = ((ScoreWork) scored.items().get(0)).modelId();
    Set<Integer> expected = best(s.stream().mapToDouble(Double::doubleValue).toArray(), 15);
    Set<Integer> kept = new TreeSet<>();
    for (JsonNode d : provenance("critic", "critic/g1/s0-generate")) {
      kept.add(index(d));
      assertEquals("{\"kind\":\"keep\",\"value\":1.0,\"labeller\":\"ai\",\"labeller_id\":\"critic\",\"model\":\""
          + critic + "\",\"pair\":null,\"origin\":\"judge:" + critic + "\"}", d.get("labels").get(0).toString());
    }
    assertEquals(expected, kept);
    JsonNode e = event("critic/g1/s1-filter");
    assertEquals("filter", e.get("kind").asText());
    assertEquals(15, e.get("data").asInt());
    assertEquals(30, e.get("aiLabels").asInt());
    assertEquals(30.0, ScenarioRunTest.lastMetrics(recorded.table(), "critic").get("labels.ai"));
  }
}
