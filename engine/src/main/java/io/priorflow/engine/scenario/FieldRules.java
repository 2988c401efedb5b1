package io.priorflow.engine.scenario;

import io.priorflow.engine.world.DocumentConfig;
import io.priorflow.engine.world.ExtraTraitConfig;
import io.priorflow.engine.world.KnowledgeConfig;
import io.priorflow.engine.world.LengthConfig;
import io.priorflow.engine.world.PromptMix;
import io.priorflow.engine.world.RegisterConfig;
import io.priorflow.engine.world.TagProfile;
import io.priorflow.engine.world.VocabularyConfig;
import io.priorflow.engine.world.WorldConfig;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.util.Map;

/**
 * The rules of one field, as the validator and the schema generator read them: from the {@link Rules} annotations
 * of this package's records, or from {@link #FOREIGN}, the table for the world's records, which cannot carry them.
 * The world's {@code problems()} stay the authority there; a test checks that this table agrees with them.
 *
 * @param range    the bounds of a number (of each element of a list or map), or null
 * @param size     the bounds of a list's or map's item count or a string's length, or null
 * @param pattern  a regular expression a string (each string element) must match, or null
 * @param nullable null is allowed
 * @param required the key must be written (only for fields with no default)
 */
record FieldRules(Bounds range, Bounds size, String pattern, boolean nullable, boolean required) {

  static final FieldRules NONE = new FieldRules(null, null, null, false, false);

  /**
   * A closed, half-open or open interval.
   *
   * @param min     the lower end
   * @param max     the upper end
   * @param minOpen min itself is excluded
   * @param maxOpen max itself is excluded
   */
  record Bounds(double min, double max, boolean minOpen, boolean maxOpen) {
    static Bounds closed(double min, double max) {
      return new Bounds(min, max, false, false);
    }

    boolean contains(double v) {
      return (minOpen ? v > min : v >= min) && (maxOpen ? v < max : v <= max);
    }

    /** "[0, 1]", "(0, 1]", "[1, 1000]". */
    @Override
    public String toString() {
      return (minOpen ? "(" : "[") + number(min) + ", " + number(max) + (maxOpen ? ")" : "]");
    }
  }

  /** The element rules of a list or map field: its range and pattern, no size, not nullable. */
  FieldRules elements() {
    return new FieldRules(range, null, pattern, false, false);
  }

  /** Per record, its components' rules, read once (annotations are costly to read per tree node). */
  private static final ClassValue<Map<String, FieldRules>> CACHE = new ClassValue<>() {
    @Override
    protected Map<String, FieldRules> computeValue(Class<?> owner) {
      return new java.util.concurrent.ConcurrentHashMap<>();
    }
  };

  /** The rules of one record component. */
  static FieldRules of(Class<?> owner, RecordComponent c) {
    return CACHE.get(owner).computeIfAbsent(c.getName(), n -> read(owner, c));
  }

  private static FieldRules read(Class<?> owner, RecordComponent c) {
    Map<String, FieldRules> table = FOREIGN.get(owner);
    if (table != null) {
      return table.getOrDefault(c.getName(), NONE);
    }
    Rules.Range r = c.getAnnotation(Rules.Range.class);
    Rules.Size s = c.getAnnotation(Rules.Size.class);
    Rules.Pattern p = c.getAnnotation(Rules.Pattern.class);
    return new FieldRules(
        r == null ? null : new Bounds(r.min(), r.max(), r.minOpen(), r.maxOpen()),
        s == null ? null : Bounds.closed(s.min(), s.max()),
        p == null ? null : p.value(),
        c.isAnnotationPresent(Rules.Nullable.class),
        false);
  }

  private static FieldRules range(double min, double max) {
    return new FieldRules(Bounds.closed(min, max), null, null, false, false);
  }

  /** The world's bounds, as its records' {@code check} methods state them (cross-field rules stay there). */
  static final Map<Class<?>, Map<String, FieldRules>> FOREIGN = Map.of(
      WorldConfig.class, Map.of("utility", range(-100, 100)),
      VocabularyConfig.class, Map.of("entities", range(2, 64), "attributes", range(1, 8), "values", range(2, 32),
          "polite", range(1, 8), "toxic", range(1, 8), "hedge", range(1, 4), "filler", range(2, 32)),
      KnowledgeConfig.class, Map.of("zipfExponent", range(0, 4), "rareHeadMass", range(0.05, 0.99),
          "maxOperand", range(1, 49), "heldOutEntities", range(0, 62)),
      DocumentConfig.class, Map.of("factRecall", range(0, 1), "statements", range(1, 8), "freshValues", range(0, 1)),
      PromptMix.class, Map.of("fact", range(0, 1000), "arithmetic", range(0, 1000), "chat", range(0, 1000)),
      TagProfile.class, Map.of("weight", range(0, 1000), "correct", range(0, 1), "hedge", range(0, 1),
          "polite", range(0, 1), "toxic", range(0, 1), "lengthP", range(0, 1)),
      RegisterConfig.class, Map.of("politeTurnsToxic", range(0, 1), "toxicRecovers", range(0, 1),
          "neutralTurnsToxic", range(0, 1), "politeEmit", range(0, 1), "toxicEmit", range(0, 1)),
      LengthConfig.class, Map.of("min", range(1, 32), "max", range(1, 32), "verboseAbove", range(0, 64)),
      ExtraTraitConfig.class, Map.of(
          "name", new FieldRules(null, null, "[a-z][a-z0-9_]{0,31}", false, true),
          "tokens", new FieldRules(null, Bounds.closed(1, Integer.MAX_VALUE), null, false, true),
          "weight", range(-100, 100)));

  /** A number in plain decimal form: 1 rather than 1.0, 0.000001 rather than 1.0E-6. */
  static String number(double v) {
    if (Double.isNaN(v)) {
      return ".nan";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? ".inf" : "-.inf";
    }
    return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }
}
