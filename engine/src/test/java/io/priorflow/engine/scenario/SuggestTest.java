package io.priorflow.engine.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** "Did you mean" and field paths. */
class SuggestTest {
  private static final List<String> KEYS = List.of("name", "seed", "generations", "keepFraction", "by", "lr");

  @Test
  void suggestsCloseOrPrefixedKeysOnly() {
    assertEquals(Optional.of("seed"), Suggest.closest("sed", KEYS));
    assertEquals(Optional.of("seed"), Suggest.closest("Seed", KEYS));
    assertEquals(Optional.of("generations"), Suggest.closest("generatons", KEYS));
    assertEquals(Optional.of("keepFraction"), Suggest.closest("keep", KEYS));
    assertEquals(Optional.of("generations"), Suggest.closest("generationsCount", KEYS));
    assertEquals(Optional.empty(), Suggest.closest("lr", List.of("by")));
    assertEquals(Optional.empty(), Suggest.closest("layers", KEYS));
    assertEquals(3, Suggest.distance("kitten", "sitting"));
    assertEquals(2, Suggest.distance("flaw", "lawn"));
    assertEquals(3, Suggest.distance("", "abc"));
    assertEquals(0, Suggest.distance("same", "same"));
  }

  @Test
  void parsesPaths() {
    assertEquals("[Segment[key=lineages, index=-1, name=null], Segment[key=null, index=0, name=null], "
        + "Segment[key=stages, index=-1, name=null], Segment[key=null, index=2, name=null], "
        + "Segment[key=kind, index=-1, name=null]]",
        FieldPath.parse("lineages[0].stages[2].kind").orElseThrow().toString());
    // an element may be named: [main] is a name, resolved against the list's elements later
    assertEquals("[Segment[key=lineages, index=-1, name=null], Segment[key=null, index=-1, name=main]]",
        FieldPath.parse("lineages[main]").orElseThrow().toString());
    for (String bad : List.of("", ".a", "a.", "a..b", "[0]", "a[X]", "a[1x]", "a[0]b", "a b", "a[-1]", "a[]")) {
      assertEquals(Optional.empty(), FieldPath.parse(bad), bad);
    }
    assertEquals(Optional.of("lineages[0]"), FieldPath.parent("lineages[0].name"));
    assertEquals(Optional.of("lineages"), FieldPath.parent("lineages[0]"));
    assertEquals(Optional.of(""), FieldPath.parent("seed"));
    assertEquals(true, FieldPath.within("lineages[0].name", "lineages"));
    assertEquals(false, FieldPath.within("lineagesX", "lineages"));
  }
}
