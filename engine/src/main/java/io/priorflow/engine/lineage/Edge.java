package io.priorflow.engine.lineage;

import java.util.Comparator;

/**
 * A typed edge between two node ids.
 *
 * @param from the id of the later node (e.g. the student, the dataset)
 * @param to   the id of the earlier node (e.g. the teacher, the producer)
 * @param kind the relation
 */
public record Edge(String from, String to, EdgeKind kind) {

  /** The order of edges in {@code lineage.json}: by from, then to, then kind. */
  public static final Comparator<Edge> ORDER =
      Comparator.comparing(Edge::from).thenComparing(Edge::to).thenComparing(Edge::kind);

  /** Checks the fields. */
  public Edge {
    if (from == null || to == null || kind == null) {
      throw new IllegalArgumentException("An edge needs from, to and kind, got "
          + from + ", " + to + ", " + kind + ".");
    }
  }
}
