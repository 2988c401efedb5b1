package io.priorflow.engine.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Every form of a stage's model reference, and what is not one. */
class ModelRefTest {

  @Test
  void readsEachForm() {
    assertEquals(ModelRef.TEACHER, ModelRef.parse(null));
    assertEquals(ModelRef.TEACHER, ModelRef.parse("teacher"));
    assertEquals(new ModelRef(ModelRef.Kind.BASE, null, -1), ModelRef.parse("base"));
    assertEquals(new ModelRef(ModelRef.Kind.LATEST, "big-1", -1), ModelRef.parse("big-1"));
    assertEquals(new ModelRef(ModelRef.Kind.LATEST, "big_1", -1), ModelRef.parse("big_1@latest"));
    assertEquals(new ModelRef(ModelRef.Kind.SAME, "a", -1), ModelRef.parse("a@same"));
    assertEquals(new ModelRef(ModelRef.Kind.GENERATION, "a", 0), ModelRef.parse("a@0"));
    assertEquals(new ModelRef(ModelRef.Kind.GENERATION, "a", 1000), ModelRef.parse("a@1000"));
    // a lineage named like a keyword is reached with an explicit @
    assertEquals(new ModelRef(ModelRef.Kind.LATEST, "base", -1), ModelRef.parse("base@latest"));
  }

  @Test
  void rejectsWhatIsNoForm() {
    for (String bad : new String[] {"", "A", "a@", "a@@1", "a@-1", "a@12345", "a@first", "a b", "@1"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelRef.parse(bad), bad);
      assertEquals("expected a model: " + ModelRef.FORMS + ", found " + Wording.quote(bad), e.getMessage());
    }
  }
}
