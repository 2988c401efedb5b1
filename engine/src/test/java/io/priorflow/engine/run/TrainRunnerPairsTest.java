package io.priorflow.engine.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.priorflow.engine.data.Dataset;
import io.priorflow.engine.data.Datum;
import io.priorflow.engine.data.Provenance;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Preference pairs survive the dataset's sorting: a dataset keeps its data in id order, and each (chosen, rejected)
 * pair must still point at its own two sequences — a pairing read from the sorted order would train DPO and the
 * reward model on the wrong preferences without failing.
 */
class TrainRunnerPairsTest {

  static Datum d(String id, int token, int from) {
    return new Datum(id, new int[] {1, 5, 2, token, 3}, from, Provenance.world(1));
  }

  @Test
  void eachPairPointsAtItsOwnSequencesWhateverTheDatasetOrder() {
    // chosen z, rejected a; chosen m, rejected b: sorted, the dataset is a, b, m, z
    List<Datum> pairs = List.of(d("z", 40, 3), d("a", 41, 3), d("m", 42, 0), d("b", 43, 3));
    Dataset prefs = Dataset.of("prefs", "stages", pairs);
    assertEquals(List.of("a", "b", "m", "z"), prefs.data().stream().map(Datum::id).toList());
    TrainRunner.Pairs p = TrainRunner.Pairs.of(prefs, pairs, 1);
    assertArrayEquals(new int[] {3, 2}, p.pairs().chosen());
    assertArrayEquals(new int[] {0, 1}, p.pairs().rejected());
    for (int k = 0; k < 2; k++) {
      assertEquals(pairs.get(2 * k).tokens()[3], p.seqs().get(p.pairs().chosen()[k])[3]);
      assertEquals(pairs.get(2 * k + 1).tokens()[3], p.seqs().get(p.pairs().rejected()[k])[3]);
    }
    assertArrayEquals(new int[] {3, 3, 1, 3}, p.from()); // m's response start 0 raised to the minimum 1
  }
}
