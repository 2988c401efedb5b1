package io.priorflow.engine.scenario;

import static java.lang.annotation.ElementType.RECORD_COMPONENT;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * The annotations that state a scenario field's valid values. They are the one place bounds live: the validator
 * ({@link ScenarioLoader}) checks them and {@link ScenarioSchema} writes them into the JSON Schema. Records of
 * other packages (the world configs) cannot carry them; their bounds are in {@link FieldRules}' table instead, which
 * a test checks against those records' own {@code problems()}.
 *
 * <p>On a list or map field, {@link Range} and {@link Pattern} apply to each element (value) and {@link Size} to the
 * list (map) itself; on a string field, {@link Size} bounds its length.
 */
public final class Rules {
  private Rules() {}

  /** A number in [min, max]; {@code minOpen}/{@code maxOpen} make that end exclusive. Both ends are always given. */
  @Documented
  @Retention(RUNTIME)
  @Target(RECORD_COMPONENT)
  public @interface Range {
    /** The lower bound. */
    double min();

    /** The upper bound. */
    double max();

    /** True if min itself is not allowed. */
    boolean minOpen() default false;

    /** True if max itself is not allowed. */
    boolean maxOpen() default false;
  }

  /** The number of items of a list or map, or the length of a string, in [min, max]. */
  @Documented
  @Retention(RUNTIME)
  @Target(RECORD_COMPONENT)
  public @interface Size {
    /** The fewest items (characters). */
    int min() default 0;

    /** The most items (characters). */
    int max();
  }

  /** A string (each string of a list) matches this regular expression as a whole. */
  @Documented
  @Retention(RUNTIME)
  @Target(RECORD_COMPONENT)
  public @interface Pattern {
    /** The regular expression, without anchors. */
    String value();
  }

  /** The field may be null (left out, or written as {@code null}); its Javadoc says what null means. */
  @Documented
  @Retention(RUNTIME)
  @Target(RECORD_COMPONENT)
  public @interface Nullable {}
}
