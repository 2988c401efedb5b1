package io.priorflow.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.priorflow.engine.data.Dataset;
import io.priorflow.engine.data.Datum;
import io.priorflow.engine.data.Label;
import io.priorflow.engine.data.LabelKind;
import io.priorflow.engine.data.LabellerKind;
import io.priorflow.engine.data.Provenance;
import io.priorflow.engine.world.Example;
import io.priorflow.engine.world.GoldScore;
import io.priorflow.engine.world.World;
import io.priorflow.engine.world.WorldConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * provenance/&lt;dataset&gt;.jsonl line by line, from a dataset built here: every field of ProvenanceFiles' Javadoc,
 * in its order, with the values of the datum it describes (words from the vocabulary, traits and utility from the
 * gold oracle, each label's fields). Fast: no run.
 */
class ProvenanceLinesTest {
  static final List<String> FIELDS = List.of("dataset", "id", "source", "producer", "model", "generation", "parents",
      "prompt", "response", "prompt_tokens", "response_tokens", "traits", "utility", "labels");
  static final List<String> LABEL_FIELDS = List.of("kind", "value", "labeller", "labeller_id", "model", "pair",
      "origin");

  @TempDir Path tmp;

  @Test
  void everyDatumIsOneLineWithItsDocumentedFields() throws Exception {
    World world = new World(WorldConfig.defaults());
    SplittableRandom rng = new SplittableRandom(5);
    List<Example> ex = new ArrayList<>();
    for (int i = 0; i < 3; i++) ex.add(world.sample(rng));
    Datum fromWorld = new Datum("d0", ex.get(0).sequence(), ex.get(0).prompt().length(), Provenance.world(0));
    Datum generated = new Datum("d1", ex.get(1).sequence(), ex.get(1).prompt().length(),
        Provenance.generated("generator", "model-7", 1), List.of(
            Label.human(LabelKind.RATING, 0.75, "human-2"),
            Label.ai(LabelKind.KEEP, 1, "critic", "model-9"),
            Label.ai(LabelKind.REWARD, -0.5, "gold", null)));
    int[] t = ex.get(2).sequence();
    Datum corrected = new Datum("d2", t, 1, Provenance.human("human-1", 2, List.of("d1", "d0")), List.of(
        new Label(LabelKind.PREFERENCE, 1, LabellerKind.HUMAN, "human-1", null, "d1")));
    Dataset ds = Dataset.of("lin/g1/train", "test", List.of(fromWorld, generated, corrected));
    ProvenanceFiles.write(tmp, ds, world);

    Path file = tmp.resolve("provenance/lin/g1/train.jsonl");
    List<String> lines = Files.readAllLines(file);
    assertEquals(3, lines.size());
    assertTrue(Files.readString(file).endsWith("}\n"), "one object per line, each ended");
    ObjectMapper json = new ObjectMapper();
    List<Datum> data = List.of(fromWorld, generated, corrected);
    for (int k = 0; k < 3; k++) {
      JsonNode o = json.readTree(lines.get(k));
      Datum d = data.get(k);
      List<String> names = new ArrayList<>();
      o.fieldNames().forEachRemaining(names::add);
      assertEquals(FIELDS, names, "fields in the documented order");
      assertEquals("lin/g1/train", o.get("dataset").asText());
      assertEquals(d.id(), o.get("id").asText());
      int from = d.responseStart(), n = d.tokens().length;
      assertEquals(words(world, d.tokens(), 0, from), o.get("prompt").asText());
      assertEquals(words(world, d.tokens(), from, n), o.get("response").asText());
      assertEquals(from, o.get("prompt_tokens").asInt());
      assertEquals(n - from, o.get("response_tokens").asInt());
      GoldScore gold = world.at(d.provenance().generation()).oracle().score(d.tokens());
      List<String> traits = new ArrayList<>();
      for (int i = 0; i < world.traits().size(); i++) if (gold.has(i)) traits.add(world.traits().get(i).name());
      List<String> written = new ArrayList<>();
      o.get("traits").forEach(x -> written.add(x.asText()));
      assertEquals(traits, written, d.id());
      assertEquals(gold.utility(), o.get("utility").asDouble(), 0.0);
      assertEquals(d.labels().size(), o.get("labels").size());
    }
    JsonNode w = json.readTree(lines.get(0)), g = json.readTree(lines.get(1)), h = json.readTree(lines.get(2));
    assertEquals("world", w.get("source").asText());
    assertEquals("world", w.get("producer").asText());
    assertTrue(w.get("model").isNull());
    assertEquals(0, w.get("generation").asInt());
    assertEquals(0, w.get("parents").size());
    assertEquals("generator", g.get("source").asText());
    assertEquals("generator", g.get("producer").asText());
    assertEquals("model-7", g.get("model").asText());
    assertEquals(1, g.get("generation").asInt());
    assertEquals("human", h.get("source").asText());
    assertEquals("human-1", h.get("producer").asText());
    assertEquals(2, h.get("generation").asInt());
    assertEquals("[\"d1\",\"d0\"]", h.get("parents").toString());
    assertEquals(1, h.get("prompt_tokens").asInt(), "a response from token 1 on");
    assertEquals(t.length - 1, h.get("response").asText().split(" ").length);
    // labels: a human's rating, a model's keep, a rule's reward, a human's preference naming its pair
    JsonNode[] l = {g.get("labels").get(0), g.get("labels").get(1), g.get("labels").get(2), h.get("labels").get(0)};
    for (JsonNode x : l) {
      List<String> names = new ArrayList<>();
      x.fieldNames().forEachRemaining(names::add);
      assertEquals(LABEL_FIELDS, names);
    }
    assertEquals("{\"kind\":\"rating\",\"value\":0.75,\"labeller\":\"human\",\"labeller_id\":\"human-2\","
        + "\"model\":null,\"pair\":null,\"origin\":\"human:human-2\"}", l[0].toString());
    assertEquals("{\"kind\":\"keep\",\"value\":1.0,\"labeller\":\"ai\",\"labeller_id\":\"critic\","
        + "\"model\":\"model-9\",\"pair\":null,\"origin\":\"judge:model-9\"}", l[1].toString());
    assertEquals("{\"kind\":\"reward\",\"value\":-0.5,\"labeller\":\"ai\",\"labeller_id\":\"gold\","
        + "\"model\":null,\"pair\":null,\"origin\":\"critic:gold\"}", l[2].toString());
    assertEquals("{\"kind\":\"preference\",\"value\":1.0,\"labeller\":\"human\",\"labeller_id\":\"human-1\","
        + "\"model\":null,\"pair\":\"d1\",\"origin\":\"human:human-1\"}", l[3].toString());
  }

  @Test
  void anEmptyDatasetIsAnEmptyFile() throws Exception {
    ProvenanceFiles.write(tmp, Dataset.of("empty", "test", List.of()), new World(WorldConfig.defaults()));
    assertEquals("", Files.readString(tmp.resolve("provenance/empty.jsonl")));
  }

  /** The tokens' names, space-separated: the documented rendering, written here independently. */
  static String words(World w, int[] t, int from, int to) {
    List<String> s = new ArrayList<>();
    for (int i = from; i < to; i++) s.add(w.vocabulary().name(t[i]));
    return String.join(" ", s);
  }
}
