package io.priorflow.report;

import io.priorflow.engine.lineage.ActorNode;
import io.priorflow.engine.lineage.DatasetNode;
import io.priorflow.engine.lineage.Edge;
import io.priorflow.engine.lineage.EdgeKind;
import io.priorflow.engine.lineage.ModelNode;
import io.priorflow.engine.lineage.Node;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the lineage graph ({@link LineageView}) says of its nodes and edges: two lines of text per node, a tooltip
 * with every field, edge colours by kind, and the reading of an edge as the flow of signal, from producer to
 * product (data → the model trained on it, model → the data it generated, teacher → student, labeller → labelled
 * data).
 */
final class LineageLabels {

  private static final double CHAR_W = 6.1; // average advance of 11 px sans-serif

  /** Edge colours by kind, and whether the line is dashed. */
  static final Map<EdgeKind, String> EDGE_COLORS = new LinkedHashMap<>();

  static {
    EDGE_COLORS.put(EdgeKind.TRAINED_ON, "#2b6cb0");
    EDGE_COLORS.put(EdgeKind.INITIALIZED_FROM, "#4a5568");
    EDGE_COLORS.put(EdgeKind.TEACHER_OF, "#c53030");
    EDGE_COLORS.put(EdgeKind.GENERATED_BY, "#2f855a");
    EDGE_COLORS.put(EdgeKind.LABELLED_BY, "#6b46c1");
    EDGE_COLORS.put(EdgeKind.FILTERED_BY, "#dd6b20");
    EDGE_COLORS.put(EdgeKind.DERIVED_FROM, "#8c564b");
  }

  static final String MODEL_FILL = "#ebf4ff";
  static final String DATASET_FILL = "#fffbea";
  static final String ACTOR_FILL = "#f0fff4";

  /** Where a model of metrics.csv sits: its series (lineage × sweep point), generation and replicate. */
  record Place(String series, int seriesIndex, int generation, int replicate) {}

  private LineageLabels() {}

  /** Two lines of text for a node. */
  static String[] labels(Node n, Map<String, Place> places) {
    return switch (n) {
      case ModelNode m -> {
        Place p = places.get(m.modelId());
        String first = p != null ? p.series() + " · g" + p.generation() + " · r" + p.replicate()
            : m.source() != null ? m.source() : "model";
        yield new String[] {first, (m.architecture() == null ? m.modelClass() : m.architecture().family() + " "
            + m.architecture().paramsText()) + " " + shortId(m.modelId())};
      }
      case DatasetNode d -> new String[] {d.name(), Html.num(d.lineage().rows()) + " rows · "
          + Html.num(d.tokens()) + " tokens"};
      case ActorNode a -> new String[] {a.actorId(), a.role()};
    };
  }

  static String tooltip(Node n, Map<String, Place> places) {
    StringBuilder t = new StringBuilder(n.id());
    switch (n) {
      case ModelNode m -> {
        Place p = places.get(m.modelId());
        if (p != null) {
          t.append("\nlineage ").append(p.series()).append(", generation ").append(p.generation())
              .append(", replicate ").append(p.replicate());
        }
        if (m.architecture() != null) {
          t.append("\n").append(m.architecture().summary()).append(", ").append(m.architecture().head())
              .append(" head");
        }
        if (m.source() != null) {
          t.append("\nsource: ").append(m.source());
        }
        if (m.training() != null) {
          t.append("\ntrained by ").append(m.training().trainer().method()).append(" on ")
              .append(String.join(", ", m.training().datasets()));
        }
        t.append("\nancestry:");
        m.ancestry().forEach((k, v) -> t.append("\n  ").append(k).append(' ').append(Html.percent(v)));
      }
      case DatasetNode d -> {
        t.append("\nsource: ").append(d.lineage().source()).append("\nsignal:");
        d.signal().forEach((k, v) -> t.append("\n  ").append(k).append(' ').append(Html.num(v)).append(" tokens"));
      }
      case ActorNode a -> {
        t.append("\nrole: ").append(a.role());
        a.params().forEach((k, v) -> t.append("\n  ").append(k).append(" = ").append(v));
      }
    }
    return t.toString();
  }

  static String shortId(String id) {
    return id.length() > 10 ? id.substring(0, 8) + "…" : id;
  }

  /** The text cut with an ellipsis to fit about {@code width} pixels. */
  static String fit(String text, double width) {
    int max = (int) (width / CHAR_W);
    return text.length() <= max ? text : text.substring(0, Math.max(1, max - 1)) + "…";
  }

  static String kindName(EdgeKind kind) {
    return kind.name().toLowerCase(java.util.Locale.ROOT);
  }

  /** An edge read as the flow of signal: from producer to consumer. */
  record Flow(String producer, String consumer) {
    static Flow of(Edge e) {
      // Every kind points from the later node to the earlier one, except teacher_of (teacher → student).
      return e.kind() == EdgeKind.TEACHER_OF ? new Flow(e.from(), e.to()) : new Flow(e.to(), e.from());
    }
  }
}
