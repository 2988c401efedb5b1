package io.priorflow.engine.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DiversityTest {

  @Test
  void oneRepeatedTokenHasZeroEntropyAndOneDistinctBigram() {
    List<int[]> same = List.of(new int[] {5, 5, 5, 5}, new int[] {5, 5, 5, 5}, new int[] {5, 5, 5, 5});
    assertEquals(0.0, Diversity.entropy(same), 0.0);
    assertEquals(1.0 / 9, Diversity.distinct2(same), 0.0); // 3 responses × 3 pairs, all (5, 5)
  }

  @Test
  void entropyIsPooledOverResponses() {
    // counts: 1 → 2, 2 → 1, 3 → 1; N = 4: H = ½ ln 2 + ¼ ln 4 + ¼ ln 4 = 1.5 ln 2
    assertEquals(1.5 * Math.log(2), Diversity.entropy(List.of(new int[] {1, 2}, new int[] {1, 3})), 1e-15);
    // every response alone has entropy ln 2, but pooled they are all the same two tokens
    List<int[]> copies = List.of(new int[] {7, 8}, new int[] {8, 7}, new int[] {7, 8});
    assertEquals(Math.log(2), Diversity.entropy(copies), 1e-15);
    // k equally frequent tokens: ln k
    assertEquals(Math.log(6), Diversity.entropy(List.of(new int[] {0, 1, 2}, new int[] {3, 4, 5})), 1e-15);
  }

  @Test
  void entropyDoesNotDependOnResponseOrder() {
    List<int[]> a = List.of(new int[] {9, 1, 1}, new int[] {4, 4, 2, 9}, new int[] {3});
    List<int[]> b = List.of(new int[] {3}, new int[] {4, 2, 9, 4}, new int[] {1, 9, 1});
    assertEquals(Diversity.entropy(a), Diversity.entropy(b), 0.0);
  }

  @Test
  void distinctBigramsStayInsideResponses() {
    // pairs: (1,2) (2,3) | (3,1) (1,2) | none → 4 pairs, 3 distinct; (3,3) across the boundary is not a pair
    List<int[]> r = List.of(new int[] {1, 2, 3}, new int[] {3, 1, 2}, new int[] {4});
    assertEquals(0.75, Diversity.distinct2(r), 0.0);
    assertEquals(1.0, Diversity.distinct2(List.of(new int[] {1, 2, 3, 4})), 0.0);
    // order inside a pair matters
    assertEquals(1.0, Diversity.distinct2(List.of(new int[] {1, 2}, new int[] {2, 1})), 0.0);
  }

  @Test
  void aBigramIsBothTokensNotEitherAlone() {
    // (1,2) (1,3) (4,3): three distinct bigrams, though only two distinct first tokens and two distinct second ones
    assertEquals(1.0, Diversity.distinct2(List.of(new int[] {1, 2}, new int[] {1, 3}, new int[] {4, 3})), 0.0);
    // (1,2) (1,2) (1,3) (2,3): 3 of 4
    assertEquals(0.75, Diversity.distinct2(List.of(new int[] {1, 2}, new int[] {1, 2, 3}, new int[] {1, 3})), 0.0);
    // ids past 16 bits and the largest token id still make distinct pairs
    int big = Integer.MAX_VALUE;
    assertEquals(1.0, Diversity.distinct2(List.of(new int[] {big, 0}, new int[] {0, big}, new int[] {big, big},
        new int[] {70_000, 0}, new int[] {0, 70_000})), 0.0);
  }

  @Test
  void nothingToCountIsNaN() {
    assertTrue(Double.isNaN(Diversity.entropy(List.of(new int[0], new int[0]))));
    assertTrue(Double.isNaN(Diversity.distinct2(List.of(new int[] {1}, new int[0]))));
    assertTrue(Double.isNaN(Diversity.entropy(List.of())));
  }
}
