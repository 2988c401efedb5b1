package io.priorflow.engine.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.json.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetTest {

  private static List<Datum> sample() {
    List<Datum> data = new ArrayList<>(TestData.world("w", 5, 4, 0));
    data.add(TestData.datum("g/0", 3, Provenance.generated("gen", TestData.modelId("M0"), 1),
        Label.ai(LabelKind.KEEP, 1, "critic", null)));
    return data;
  }

  @Test
  void sortsByIdAndHashesTheSameWhateverTheInputOrder() {
    List<Datum> data = sample();
    Dataset a = Dataset.of("a", "test", data);
    Collections.reverse(data);
    Dataset b = Dataset.of("a", "test", data);
    assertEquals(a, b);
    assertEquals(List.of("g/0", "w/0", "w/1", "w/2", "w/3", "w/4"), a.data().stream().map(Datum::id).toList());
    assertEquals(6, a.lineage().rows());
    assertEquals(5 * 4 + 3, a.signalTokens());
  }

  @Test
  void hashChangesWhenOneTokenChanges() {
    List<Datum> data = sample();
    String before = Dataset.of("a", "test", data).lineage().sha256();
    Datum d = data.get(2);
    int[] tokens = d.tokens();
    tokens[tokens.length - 1] += 1;
    data.set(2, new Datum(d.id(), tokens, d.responseStart(), d.provenance(), d.labels()));
    assertNotEquals(before, Dataset.of("a", "test", data).lineage().sha256());
  }

  @Test
  void hashCoversLabelsProvenanceAndPromptBoundaryButNotTheName() {
    List<Datum> data = sample();
    String base = Dataset.of("a", "test", data).lineage().sha256();
    assertEquals(base, Dataset.of("other-name", "elsewhere", data).lineage().sha256());
    Datum g = data.get(5);
    List<Datum> relabelled = new ArrayList<>(data);
    relabelled.set(5, g.withLabel(Label.human(LabelKind.RATING, 1, "h")));
    assertNotEquals(base, Dataset.of("a", "test", relabelled).lineage().sha256());
    List<Datum> regenerated = new ArrayList<>(data);
    regenerated.set(5, new Datum(g.id(), g.tokens(), g.responseStart(),
        Provenance.generated("gen", TestData.modelId("M1"), 1), g.labels()));
    assertNotEquals(base, Dataset.of("a", "test", regenerated).lineage().sha256());
    List<Datum> moved = new ArrayList<>(data);
    moved.set(5, new Datum(g.id(), g.tokens(), g.responseStart() + 1, g.provenance(), g.labels()));
    assertNotEquals(base, Dataset.of("a", "test", moved).lineage().sha256());
  }

  @Test
  void contentHashOfAFixedDatasetNeverChanges() {
    // Pinned: changing the canonical encoding changes every dataset hash in every lineage file. The value was
    // computed independently from the encoding documented on Dataset.contentHash, with Python's struct + hashlib.
    Dataset ds = Dataset.of("pinned", "test", List.of(
        new Datum("a", new int[] {1, 2, 3}, 1, Provenance.world(0)),
        new Datum("b", new int[] {4, 5}, 0, Provenance.human("h", 1, List.of("a")),
            List.of(new Label(LabelKind.PREFERENCE, 1, LabellerKind.HUMAN, "h", null, "a")))));
    assertEquals("817e4c1122a073b5f528093d65eaad7aeb36d40ee75d5b45650e8b38aa372071", ds.lineage().sha256());
  }

  @Test
  void rejectsDuplicateIdsAndTamperedData() {
    List<Datum> data = sample();
    data.add(data.get(0));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Dataset.of("dup", "test", data));
    assertEquals("Dataset dup has two data with id w/0.", e.getMessage());

    Dataset ds = Dataset.of("a", "test", sample());
    String json = Json.lineageString(ds);
    String tampered = json.replaceFirst("\"tokens\" : \\[ (\\d+)", "\"tokens\" : [ 1$1");
    assertNotEquals(json, tampered);
    e = assertThrows(IllegalArgumentException.class, () -> Json.readLineage(tampered, Dataset.class));
    assertTrue(e.getMessage().contains("content SHA-256"), e.getMessage());
  }

  @Test
  void rejectsALineageWhoseRowCountIsNotTheData() {
    Dataset ds = Dataset.of("a", "test", sample());
    DataLineage l = ds.lineage();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Dataset(
        new DataLineage(l.name(), l.source(), l.sha256(), l.rows() + 1, l.transforms()), ds.data()));
    assertEquals("Dataset a has 6 data but its lineage says rows = 7.", e.getMessage());
    // the checked path (a lineage and data from elsewhere, e.g. JSON) gives back the dataset of() made
    assertEquals(ds, new Dataset(l, new ArrayList<>(ds.data())));
  }

  @Test
  void aDatasetLargerThanTheEncodersBufferHashesAsItsDocumentedEncoding() throws Exception {
    // 3000 data of 12 tokens (about 200 KB of encoding) and one id longer than the 64 KB buffer: the hash is the
    // SHA-256 of the encoding on Dataset.contentHash, written here again with a DataOutputStream
    List<Datum> data = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      int[] tokens = new int[12];
      for (int t = 0; t < tokens.length; t++) tokens[t] = (i * 31 + t * 7) % 77;
      data.add(new Datum(String.format("d/%05d", i), tokens, 4, Provenance.world(0)));
    }
    data.add(new Datum("z".repeat(70_000), new int[] {5, 6}, 1, Provenance.world(0)));
    data.add(new Datum("zz".repeat(32_768), new int[] {7}, 0, Provenance.world(0))); // exactly the buffer's size
    Dataset ds = Dataset.of("big", "test", data);
    assertEquals(reference(ds.data()), ds.lineage().sha256());
  }

  /** The encoding of Dataset.contentHash's Javadoc (world data: no labels, no parents), by a DataOutputStream. */
  private static String reference(List<Datum> sorted) throws java.io.IOException {
    java.security.MessageDigest md = Json.sha256();
    try (java.io.DataOutputStream out = new java.io.DataOutputStream(new java.security.DigestOutputStream(
        java.io.OutputStream.nullOutputStream(), md))) {
      str(out, "priorflow.dataset/1");
      out.writeInt(sorted.size());
      for (Datum d : sorted) {
        str(out, d.id());
        out.writeInt(d.tokens().length);
        for (int t : d.tokens()) out.writeInt(t);
        out.writeInt(d.responseStart());
        Provenance p = d.provenance();
        str(out, p.source().key());
        str(out, p.producerId());
        out.writeInt(-1); // no model
        out.writeInt(p.generation());
        out.writeInt(0); // no parents
        out.writeInt(0); // no labels
      }
    }
    return java.util.HexFormat.of().formatHex(md.digest());
  }

  private static void str(java.io.DataOutputStream out, String s) throws java.io.IOException {
    byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }
}
