package io.priorflow.engine.data;

import io.priorflow.engine.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/** Small hand-made data for the data and lineage tests. */
public final class TestData {

  private TestData() {
  }

  /** A fake model id: SHA-256 of the name, so that tests can say "M0" and still look like real ids. */
  public static String modelId(String name) {
    return Json.sha256Hex(name.getBytes(StandardCharsets.UTF_8));
  }

  /** A datum with a 2-token prompt and {@code signal} response tokens, token values derived from the id. */
  public static Datum datum(String id, int signal, Provenance provenance, Label... labels) {
    int[] tokens = new int[2 + signal];
    int h = id.hashCode();
    for (int i = 0; i < tokens.length; i++) {
      tokens[i] = Math.floorMod(h + 31 * i, 97);
    }
    return new Datum(id, tokens, 2, provenance, List.of(labels));
  }

  /** n data with ids {@code prefix/i}, each with the given signal tokens; provenance and labels per index. */
  public static List<Datum> data(String prefix, int n, int signal, IntFunction<Provenance> provenance,
                                 IntFunction<Label[]> labels) {
    List<Datum> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(datum(prefix + "/" + i, signal, provenance.apply(i), labels.apply(i)));
    }
    return out;
  }

  /** n world data of the generation, each with the given signal tokens and no labels. */
  public static List<Datum> world(String prefix, int n, int signal, int generation) {
    return data(prefix, n, signal, i -> Provenance.world(generation), i -> new Label[0]);
  }

  /** n data sampled from a model by the generator actor "gen", unlabelled. */
  public static List<Datum> generated(String prefix, int n, int signal, String modelId, int generation) {
    return data(prefix, n, signal, i -> Provenance.generated("gen", modelId, generation), i -> new Label[0]);
  }
}
