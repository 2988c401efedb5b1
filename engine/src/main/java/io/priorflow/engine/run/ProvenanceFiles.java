package io.priorflow.engine.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.priorflow.engine.data.Dataset;
import io.priorflow.engine.data.Datum;
import io.priorflow.engine.data.Label;
import io.priorflow.engine.io.AtomicFiles;
import io.priorflow.engine.world.GoldScore;
import io.priorflow.engine.world.World;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Every dataset a run trains on, datum by datum with its provenance, as JSON lines a researcher loads with pandas
 * ({@code pd.read_json(path, lines=True)}): {@code provenance/<dataset name>.jsonl} in the run directory, written
 * (atomically) when {@code priorflow run --provenance} asks for it. One object per datum, in the dataset's order:
 * <pre>
 *   dataset          the dataset's name (lineage.json's dataset:&lt;name&gt;)
 *   id               the datum's id; parents name the data it was made from
 *   source           world, generator, human, critic or red_team: who produced its tokens
 *   producer         the producing actor's id (a labeller, the generator, a red teamer, "world")
 *   model            the id of the model that generated it, or null
 *   generation       the generation it was produced in
 *   parents          the ids of the data it derives from (a human's correction: the corrected response)
 *   prompt, response the tokens as the world's words, space-separated (prompt: before the response start)
 *   prompt_tokens, response_tokens   their lengths
 *   traits           the gold oracle's traits of the datum, by name
 *   utility          the gold oracle's utility
 *   labels           one object per label: kind, value, labeller (human or ai), labeller_id, model (null for a
 *                    human or a fixed rule), pair (the other side of a preference pair, or null), origin (as
 *                    lineage.json's signal names it)
 * </pre>
 * Byte-identical across nodes and instance counts, like every run output: nothing in it depends on threads.
 */
final class ProvenanceFiles {
  /** The directory in a run directory. */
  static final String DIR = "provenance";

  /** Compact, one object per line, fields in the order written. */
  private static final ObjectMapper JSON = new ObjectMapper();

  private ProvenanceFiles() {}

  /** Writes {@code provenance/<dataset>.jsonl} under {@code runDir}. */
  static void write(Path runDir, Dataset dataset, World world) {
    ObjectMapper json = JSON;
    StringBuilder out = new StringBuilder();
    var vocabulary = world.vocabulary();
    for (Datum d : dataset.data()) {
      ObjectNode o = json.createObjectNode();
      o.put("dataset", dataset.name());
      o.put("id", d.id());
      var p = d.provenance();
      o.put("source", p.source().key());
      o.put("producer", p.producerId());
      o.put("model", p.modelId());
      o.put("generation", p.generation());
      ArrayNode parents = o.putArray("parents");
      p.parentIds().forEach(parents::add);
      int[] t = d.tokens();
      int from = Math.min(d.responseStart(), t.length);
      o.put("prompt", words(t, 0, from, vocabulary));
      o.put("response", words(t, from, t.length, vocabulary));
      o.put("prompt_tokens", from);
      o.put("response_tokens", t.length - from);
      GoldScore gold = world.at(p.generation()).oracle().score(t); // judged by the facts of the datum's generation
      ArrayNode traits = o.putArray("traits");
      for (int i = 0; i < world.traits().size(); i++) {
        if (gold.has(i)) traits.add(world.traits().get(i).name());
      }
      o.put("utility", gold.utility());
      ArrayNode labels = o.putArray("labels");
      for (Label l : d.labels()) {
        ObjectNode x = labels.addObject();
        x.put("kind", l.kind().name().toLowerCase(Locale.ROOT));
        x.put("value", l.value());
        x.put("labeller", l.labeller() == io.priorflow.engine.data.LabellerKind.HUMAN ? "human" : "ai");
        x.put("labeller_id", l.labellerId());
        x.put("model", l.modelId());
        x.put("pair", l.pairId());
        x.put("origin", io.priorflow.engine.lineage.Ancestry.labelOrigin(l));
      }
      try {
        out.append(json.writeValueAsString(o)).append('\n');
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException("cannot write a provenance record: " + e.getOriginalMessage(), e);
      }
    }
    Path file = runDir.resolve(DIR).resolve(dataset.name() + ".jsonl");
    try {
      AtomicFiles.write(file, out.toString().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": cannot write: " + e.getMessage(), e);
    }
  }

  private static String words(int[] t, int from, int to, io.priorflow.engine.world.Vocabulary v) {
    StringBuilder s = new StringBuilder();
    for (int i = from; i < to; i++) {
      if (i > from) s.append(' ');
      s.append(v.name(t[i]));
    }
    return s.toString();
  }
}
