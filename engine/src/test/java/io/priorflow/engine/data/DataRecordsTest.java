package io.priorflow.engine.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The data records refuse what would make provenance or lineage lie: each check of DataLineage, Datum, Label,
 * Provenance, Transform, Dataset and DataPolicyParams, at its edge, and the policies' arithmetic at its edges.
 * An unchecked blank producer or a world datum with a model would send ancestry to the wrong source.
 */
class DataRecordsTest {
  static final String HASH = "0".repeat(64);

  static void rejects(Executable e, String what) {
    assertThrows(IllegalArgumentException.class, e, what);
  }

  @Test
  void dataLineageChecksNameSourceHashAndRows() {
    rejects(() -> new DataLineage(null, "s", HASH, 0, null), "no name");
    rejects(() -> new DataLineage(" ", "s", HASH, 0, null), "blank name");
    rejects(() -> new DataLineage("d", "", HASH, 0, null), "blank source");
    rejects(() -> new DataLineage("d", "s", null, 0, null), "no hash");
    rejects(() -> new DataLineage("d", "s", "A".repeat(64), 0, null), "upper-case hash");
    rejects(() -> new DataLineage("d", "s", "0".repeat(63), 0, null), "short hash");
    rejects(() -> new DataLineage("d", "s", HASH, -1, null), "negative rows");
    assertEquals(0, new DataLineage("d", "s", HASH, 0, null).rows());
    assertEquals(List.of(), new DataLineage("d", "s", HASH, 0, null).transforms());
    List<Transform> t = new ArrayList<>(List.of(new Transform("filter", null, null)));
    DataLineage l = new DataLineage("d", "s", HASH, 2, t);
    t.clear();
    assertEquals(1, l.transforms().size(), "copied");
  }

  @Test
  void transformsNeedAnOpAndSortTheirParameters() {
    rejects(() -> new Transform(null, List.of(), Map.of()), "no op");
    rejects(() -> new Transform("  ", List.of(), Map.of()), "blank op");
    Transform t = new Transform("subsample", null, Map.of("size", "3", "a", "1"));
    assertEquals(List.of(), t.inputs());
    assertEquals(List.of("a", "size"), List.copyOf(t.params().keySet()));
    assertEquals(Map.of(), new Transform("x", List.of("in"), null).params());
  }

  @Test
  void aDatumNeedsAnIdTokensAResponseStartInsideAndProvenance() {
    Provenance w = Provenance.world(0);
    rejects(() -> new Datum(null, new int[] {1}, 0, w), "no id");
    rejects(() -> new Datum(" ", new int[] {1}, 0, w), "blank id");
    assertThrows(NullPointerException.class, () -> new Datum("d", null, 0, w));
    assertThrows(NullPointerException.class, () -> new Datum("d", new int[] {1}, 0, null));
    rejects(() -> new Datum("d", new int[0], 0, w), "no tokens");
    rejects(() -> new Datum("d", new int[] {1, 2}, -1, w), "start before the tokens");
    rejects(() -> new Datum("d", new int[] {1, 2}, 2, w), "start past the last token");
    assertEquals(1, new Datum("d", new int[] {1, 2}, 1, w).responseStart());
    Datum d = new Datum("d", new int[] {1, 2}, 0, w);
    assertEquals(List.of(), d.labels());
    assertEquals(new Datum("d", new int[] {1, 2}, 0, w).hashCode(), d.hashCode());
    assertNotEquals(new Datum("d", new int[] {1, 3}, 0, w).hashCode(), d.hashCode());
    assertTrue(d.toString().contains("[1, 2]"), d.toString());
  }

  @Test
  void aLabelNamesItsKindLabellerAndPairAsTheKindRequires() {
    rejects(() -> new Label(null, 1, LabellerKind.HUMAN, "h", null, null), "no kind");
    rejects(() -> new Label(LabelKind.RATING, 1, null, "h", null, null), "no labeller kind");
    rejects(() -> new Label(LabelKind.RATING, Double.NaN, LabellerKind.HUMAN, "h", null, null), "NaN value");
    rejects(() -> new Label(LabelKind.RATING, Double.POSITIVE_INFINITY, LabellerKind.HUMAN, "h", null, null), "∞");
    rejects(() -> new Label(LabelKind.RATING, 1, LabellerKind.HUMAN, " ", null, null), "blank labeller");
    rejects(() -> new Label(LabelKind.RATING, 1, LabellerKind.AI, "c", " ", null), "blank model");
    rejects(() -> new Label(LabelKind.RATING, 1, LabellerKind.HUMAN, "h", "m", null), "a human with a model");
    rejects(() -> new Label(LabelKind.PREFERENCE, 1, LabellerKind.HUMAN, "h", null, null), "preference, no pair");
    rejects(() -> new Label(LabelKind.PREFERENCE, 1, LabellerKind.HUMAN, "h", null, ""), "preference, blank pair");
    rejects(() -> new Label(LabelKind.RATING, 1, LabellerKind.HUMAN, "h", null, "p"), "a rating with a pair");
    assertEquals("m", new Label(LabelKind.RATING, 1, LabellerKind.AI, "c", "m", null).modelId());
    assertEquals("p", new Label(LabelKind.PREFERENCE, 0, LabellerKind.AI, "c", null, "p").pairId());
  }

  @Test
  void provenanceNamesItsSourceProducerAndModelAsTheSourceRequires() {
    rejects(() -> new Provenance(null, "p", null, 0, List.of()), "no source");
    rejects(() -> new Provenance(SourceKind.HUMAN, " ", null, 0, List.of()), "blank producer");
    rejects(() -> new Provenance(SourceKind.CRITIC, "c", "", 0, List.of()), "blank model");
    rejects(() -> new Provenance(SourceKind.GENERATOR, "g", null, 0, List.of()), "a generator without its model");
    rejects(() -> new Provenance(SourceKind.WORLD, "world", "m", 0, List.of()), "a world datum with a model");
    assertEquals("m", Provenance.generated("g", "m", 2).modelId());
    assertEquals(List.of("a"), Provenance.human("h", 1, List.of("a")).parentIds());
  }

  @Test
  void originsTellModelsFromSources() {
    assertTrue(Origins.isModel("model:abc"));
    assertFalse(Origins.isModel("human:h-1"));
    assertEquals("abc", Origins.modelId("model:abc"));
    rejects(() -> Origins.modelId("world"), "not a model origin");
    rejects(() -> Origins.requireText("x", null), "null text");
    rejects(() -> Origins.requireText("x", " \t"), "blank text");
    Origins.requireText("x", "y");
  }

  @Test
  void datasetsNeedALineageAndDataThatMatchIt() {
    rejects(() -> new Dataset(null, List.of()), "no lineage");
    rejects(() -> new Dataset(new DataLineage("d", "s", HASH, 0, null), null), "no data");
    Datum a = new Datum("a", new int[] {1}, 0, Provenance.world(0));
    rejects(() -> new Dataset(new DataLineage("d", "s", HASH, 2, null), List.of(a)), "rows ≠ data");
    Dataset ok = Dataset.of("d", "s", List.of(a));
    assertEquals(1, ok.lineage().rows());
  }

  @Test
  void policyParametersAndFreshCountsAtTheirEdges() {
    rejects(() -> new DataPolicyParams(null, 0, 0), "no policy");
    rejects(() -> new DataPolicyParams(DataPolicyParams.Kind.SUBSAMPLE, 0, 0), "subsample of nothing");
    rejects(() -> new DataPolicyParams(DataPolicyParams.Kind.REPLACE, -1, 0), "negative size");
    assertEquals(1, new DataPolicyParams(DataPolicyParams.Kind.SUBSAMPLE, 1, 0).subsampleSize());
    assertEquals(0, new DataPolicyParams(DataPolicyParams.Kind.ACCUMULATE, 0, 0).subsampleSize());
    rejects(() -> new DataPolicyParams(DataPolicyParams.Kind.REPLACE, 0, 1), "fresh fraction 1");
    rejects(() -> new DataPolicyParams(DataPolicyParams.Kind.REPLACE, 0, -0.1), "negative fresh fraction");
    rejects(() -> new DataPolicyParams(DataPolicyParams.Kind.REPLACE, 0, Double.NaN), "NaN fresh fraction");
    assertEquals(0, DataPolicies.freshCount(10, 0));
    assertEquals(3, DataPolicies.freshCount(10, 0.25)); // round(2.5) = 3
    assertEquals(10, DataPolicies.freshCount(11, 0.95)); // round(10.45)
    rejects(() -> DataPolicies.freshCount(10, 1), "fraction 1");
    rejects(() -> DataPolicies.freshCount(10, -0.01), "negative fraction");
    rejects(() -> DataPolicies.freshCount(10, Double.NaN), "NaN fraction");
    assertEquals(List.of(), FreshData.none().draw(0, new SplittableRandom(1)));
    assertThrows(IllegalStateException.class, () -> FreshData.none().draw(1, new SplittableRandom(1)));
  }

  @Test
  void aSampleOfTheWholePoolIsThePoolAndDrawsNothing() {
    List<Datum> pool = new ArrayList<>();
    for (int i = 0; i < 5; i++) pool.add(new Datum("d" + i, new int[] {i + 1}, 0, Provenance.world(0)));
    SplittableRandom rng = new SplittableRandom(4), same = new SplittableRandom(4);
    assertSame(pool, DataPolicies.sample(pool, 5, rng));
    assertSame(pool, DataPolicies.sample(pool, 9, rng));
    assertEquals(same.nextLong(), rng.nextLong(), "no draws were made");
    // k = n − 1 draws n − 1 times and keeps k distinct data
    List<Datum> four = DataPolicies.sample(pool, 4, new SplittableRandom(4));
    assertEquals(4, four.size());
    assertEquals(4, four.stream().map(Datum::id).distinct().count());
  }

  /** The exception's own message: another check's exception further on would pass {@link #rejects} too. */
  private static void rejectsWith(Executable e, String message) {
    assertEquals(message, assertThrows(IllegalArgumentException.class, e).getMessage());
  }

  @Test
  void eachCheckGivesItsOwnMessage() {
    Provenance w = Provenance.world(0);
    rejectsWith(() -> new Datum("d", new int[0], 0, w), "Datum d has no tokens.");
    rejectsWith(() -> new DataPolicyParams(null, 0, 0), "policy must be replace, accumulate or subsample, was null.");
    rejectsWith(() -> new DataPolicyParams(DataPolicyParams.Kind.SUBSAMPLE, 0, 0),
        "subsampleSize must be ≥ 1 for policy subsample, was 0.");
    rejectsWith(() -> new DataPolicyParams(DataPolicyParams.Kind.ACCUMULATE, -1, 0),
        "subsampleSize must be ≥ 0 for policy accumulate, was -1.");
    rejectsWith(() -> WorldData.fresh(io.priorflow.engine.world.World.defaults(), " ", 0),
        "A fresh-data id prefix must be a non-empty string, was \" \".");
    // labels absent (null, as JSON without the field gives) are no labels
    assertEquals(List.of(), new Datum("d", new int[] {1}, 0, w, null).labels());
  }

  @Test
  void judgeOriginsNameTheirModel() {
    assertEquals("judge:m1", Origins.judge("m1"));
    assertTrue(Origins.isJudge(Origins.judge("m1")));
    assertFalse(Origins.isJudge("model:m1"));
    assertFalse(Origins.isJudge("world"));
  }

  @Test
  void aSampleOfKDrawsExactlyKTimes() {
    List<Datum> pool = new ArrayList<>();
    for (int i = 0; i < 6; i++) pool.add(new Datum("d" + i, new int[] {i + 1}, 0, Provenance.world(0)));
    SplittableRandom rng = new SplittableRandom(8), same = new SplittableRandom(8);
    List<Datum> two = DataPolicies.sample(pool, 2, rng);
    // the partial Fisher–Yates shuffle's two draws, replayed: swap 0 with 0 + r(6), then 1 with 1 + r(5)
    Datum[] a = pool.toArray(new Datum[0]);
    for (int i = 0; i < 2; i++) {
      int j = i + same.nextInt(6 - i);
      Datum t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    assertEquals(List.of(a[0], a[1]), two);
    assertEquals(same.nextLong(), rng.nextLong(), "exactly two draws");
  }
}
