package io.priorflow.engine.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One training sequence with its provenance and labels.
 *
 * <p>{@code tokens[0 .. responseStart)} is the prompt (conditioning context), {@code tokens[responseStart ..)} the
 * response, EOS included when the sequence has one. The response tokens are the datum's <em>signal</em>: the
 * positions a model learns to produce, and the weight the datum has in ancestry ({@link #signalTokens()}).
 * A datum of plain text has {@code responseStart = 0}.
 *
 * @param id            a stable id, unique in a run, made from the work item: e.g. {@code "L0/g3/generate/17"}
 * @param tokens        the sequence (owned by this record; do not modify)
 * @param responseStart index of the first response token, in [0, tokens.length − 1]
 * @param provenance    who produced the tokens
 * @param labels        the labels given to this datum, in the order they were given
 */
public record Datum(String id, int[] tokens, int responseStart, Provenance provenance, List<Label> labels) {

  /** Checks the fields; copies the tokens and labels. */
  public Datum {
    Origins.requireText("A datum id", id);
    Objects.requireNonNull(tokens, "tokens");
    Objects.requireNonNull(provenance, "provenance");
    if (tokens.length == 0) {
      throw new IllegalArgumentException("Datum " + id + " has no tokens.");
    }
    if (responseStart < 0 || responseStart >= tokens.length) {
      throw new IllegalArgumentException("Datum " + id + " has " + tokens.length
          + " tokens, so responseStart must be in [0, " + (tokens.length - 1) + "], was " + responseStart + ".");
    }
    tokens = tokens.clone();
    labels = labels == null ? List.of() : List.copyOf(labels);
  }

  /** A datum without labels. */
  public Datum(String id, int[] tokens, int responseStart, Provenance provenance) {
    this(id, tokens, responseStart, provenance, List.of());
  }

  /** The number of response tokens, {@code tokens.length − responseStart} (at least 1). */
  public int signalTokens() {
    return tokens.length - responseStart;
  }

  /** The same datum with one more label at the end. */
  public Datum withLabel(Label label) {
    List<Label> more = new ArrayList<>(labels);
    more.add(label);
    return new Datum(id, tokens, responseStart, provenance, more);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Datum d && d.id.equals(id) && Arrays.equals(d.tokens, tokens)
        && d.responseStart == responseStart && d.provenance.equals(provenance) && d.labels.equals(labels);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, Arrays.hashCode(tokens), responseStart, provenance, labels);
  }

  @Override
  public String toString() {
    return "Datum[id=" + id + ", tokens=" + Arrays.toString(tokens) + ", responseStart=" + responseStart
        + ", provenance=" + provenance + ", labels=" + labels + "]";
  }
}
