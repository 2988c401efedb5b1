package io.priorflow.report;

import io.priorflow.engine.lineage.ActorNode;
import io.priorflow.engine.lineage.DatasetNode;
import io.priorflow.engine.lineage.Edge;
import io.priorflow.engine.lineage.EdgeKind;
import io.priorflow.engine.lineage.LineageGraph;
import io.priorflow.engine.lineage.ModelNode;
import io.priorflow.engine.lineage.Node;
import java.awt.Color;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The lineage graph as an inline SVG, drawn by hand (no layout library): actors in a column on the left, then one
 * band per generation, left to right; inside a band, nodes in columns by their depth within the band (the world
 * data, then the model trained on it, …). Arrows follow the flow of signal, from producer to product: data →
 * the model trained on it, model → the data it generated, teacher → student, labeller → labelled data.
 *
 * <p>A node's generation: a model's is its row in metrics.csv; any other node's is the earliest generation that
 * consumes it (data belong to the generation trained on them, a reward model to the data it labels), else the
 * latest generation it was made from. Rows follow the series and replicate of the models they lead to. Not an
 * optimal layout (no crossing minimisation): it is meant to be read column by column. Past {@link #MAX_NODES}
 * nodes only the first replicate is drawn, and past four times that, nothing.
 */
final class LineageSvg {

  /** More nodes than this and only the first replicate's are drawn. */
  static final int MAX_NODES = 360;

  private static final int NODE_W = 156;
  private static final int NODE_H = 40;
  private static final int MODEL_H = 52;
  private static final int ROW_H = 64;
  private static final int COL_W = 196;
  private static final int TOP = 40;
  private static final int LEFT = 12;
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

  /** The SVG (null when even the first replicate has too many nodes to draw) and how many nodes it shows. */
  record Drawing(String svg, int drawn, int total) {}

  private LineageSvg() {}

  /** Lays out and draws the graph. */
  static Drawing draw(LineageGraph graph, Map<String, Place> places, List<Color> seriesColors,
                      Map<String, Color> sourceColors) {
    return draw(graph, places, seriesColors, sourceColors, MAX_NODES);
  }

  /** As {@link #draw(LineageGraph, Map, List, Map)}, with the first replicate only past {@code maxNodes}. */
  static Drawing draw(LineageGraph graph, Map<String, Place> places, List<Color> seriesColors,
                      Map<String, Color> sourceColors, int maxNodes) {
    LineageLayout layout = new LineageLayout(graph, places);
    boolean firstReplicateOnly = graph.nodes().size() > maxNodes;
    Map<String, Node> drawn = new TreeMap<>();
    for (Node n : graph.nodes()) {
      int[] lane = layout.lane(n.id());
      if (!firstReplicateOnly || n instanceof ActorNode || lane[0] == Integer.MAX_VALUE
          || lane[1] <= layout.minReplicate) {
        drawn.put(n.id(), n);
      }
    }
    if (drawn.size() > 4 * maxNodes) {
      return new Drawing(null, 0, graph.nodes().size()); // a picture of thousands of boxes helps no one
    }
    // Columns: actors first (column -1), then each generation band.
    Map<Integer, List<Node>> columns = new TreeMap<>();
    for (Node n : drawn.values()) {
      columns.computeIfAbsent(layout.column(n), k -> new ArrayList<>()).add(n);
    }
    Comparator<Node> rowOrder = Comparator.<Node>comparingInt(n -> layout.lane(n.id())[0])
        .thenComparingInt(n -> layout.lane(n.id())[1]).thenComparing(Node::id);
    Map<String, double[]> at = new HashMap<>(); // id → (x, y, height)
    int rows = 0;
    for (Map.Entry<Integer, List<Node>> c : columns.entrySet()) {
      List<Node> col = c.getValue();
      col.sort(rowOrder);
      rows = Math.max(rows, col.size());
      for (int i = 0; i < col.size(); i++) {
        Node n = col.get(i);
        at.put(n.id(), new double[] {x(c.getKey()), TOP + i * ROW_H, n instanceof ModelNode ? MODEL_H : NODE_H});
      }
    }
    int lastColumn = columns.isEmpty() ? 0 : ((TreeMap<Integer, List<Node>>) columns).lastKey();
    double width = x(lastColumn) + NODE_W + LEFT;
    double height = TOP + Math.max(rows, 1) * ROW_H;
    StringBuilder s = new StringBuilder();
    s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"lineage-graph\" class=\"graph\" width=\"")
        .append(Html.px(width)).append("\" height=\"").append(Html.px(height)).append("\" viewBox=\"0 0 ")
        .append(Html.px(width)).append(' ').append(Html.px(height))
        .append("\" font-family=\"sans-serif\" font-size=\"11\" role=\"img\" aria-label=\"lineage graph\">\n");
    s.append("<defs>");
    for (Map.Entry<EdgeKind, String> e : EDGE_COLORS.entrySet()) {
      s.append("<marker id=\"arrow-").append(kindName(e.getKey()))
          .append("\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" "
              + "orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"").append(e.getValue()).append("\"/></marker>");
    }
    s.append("</defs>\n");
    bands(s, layout, columns.keySet(), height);
    for (Edge e : graph.edges()) {
      Flow f = Flow.of(e);
      double[] a = at.get(f.producer());
      double[] b = at.get(f.consumer());
      if (a != null && b != null) {
        edge(s, e, a, b, drawn.get(f.producer()) instanceof ActorNode);
      }
    }
    for (Node n : drawn.values()) {
      node(s, n, at.get(n.id()), places, seriesColors, sourceColors);
    }
    s.append("</svg>");
    return new Drawing(s.toString(), drawn.size(), graph.nodes().size());
  }

  private static double x(int column) {
    return LEFT + (column + 1) * COL_W;
  }

  /** Shaded generation bands with their heading, and the actors' heading. */
  private static void bands(StringBuilder s, LineageLayout layout, Set<Integer> used, double height) {
    if (used.contains(-1)) {
      s.append("<text x=\"").append(Html.px(x(-1))).append("\" y=\"20\" font-weight=\"bold\">actors</text>\n");
    }
    for (Map.Entry<Integer, int[]> band : layout.bands().entrySet()) {
      int first = band.getValue()[0];
      int last = band.getValue()[1];
      double x0 = x(first) - 12;
      double x1 = x(last) + NODE_W + 12;
      if (band.getKey() % 2 == 1) {
        s.append("<rect x=\"").append(Html.px(x0)).append("\" y=\"4\" width=\"").append(Html.px(x1 - x0))
            .append("\" height=\"").append(Html.px(height - 8)).append("\" fill=\"#f7f7f7\"/>\n");
      }
      s.append("<text x=\"").append(Html.px(x0 + 8)).append("\" y=\"20\" font-weight=\"bold\">generation ")
          .append(band.getKey()).append("</text>\n");
    }
  }

  private static void edge(StringBuilder s, Edge e, double[] a, double[] b, boolean fromActor) {
    double x1 = a[0] + NODE_W;
    double y1 = a[1] + a[2] / 2;
    double x2 = b[0];
    double y2 = b[1] + b[2] / 2;
    double dx = Math.max(40, Math.abs(x2 - x1) / 2);
    String kind = kindName(e.kind());
    s.append("<path class=\"edge ").append(kind).append("\" d=\"M").append(Html.px(x1)).append(',')
        .append(Html.px(y1)).append(" C").append(Html.px(x1 + dx)).append(',').append(Html.px(y1)).append(' ')
        .append(Html.px(x2 - dx)).append(',').append(Html.px(y2)).append(' ').append(Html.px(x2)).append(',')
        .append(Html.px(y2)).append("\" fill=\"none\" stroke=\"").append(EDGE_COLORS.get(e.kind()))
        .append("\" stroke-width=\"").append(fromActor ? "1" : "1.5").append("\" stroke-opacity=\"")
        .append(fromActor ? "0.2" : "0.8").append('"');
    if (e.kind() == EdgeKind.INITIALIZED_FROM || e.kind() == EdgeKind.DERIVED_FROM) {
      s.append(" stroke-dasharray=\"5,3\"");
    }
    s.append(" marker-end=\"url(#arrow-").append(kind).append(")\"><title>").append(Html.esc(e.from()))
        .append(' ').append(kind).append(' ').append(Html.esc(e.to())).append("</title></path>\n");
  }

  private static void node(StringBuilder s, Node n, double[] p, Map<String, Place> places, List<Color> seriesColors,
                           Map<String, Color> sourceColors) {
    String[] text = labels(n, places);
    String fill = n instanceof ModelNode ? MODEL_FILL : n instanceof DatasetNode ? DATASET_FILL : ACTOR_FILL;
    s.append("<g class=\"node ").append(n instanceof ModelNode ? "model" : n instanceof DatasetNode ? "dataset"
        : "actor").append("\"><title>").append(Html.esc(tooltip(n, places))).append("</title>");
    s.append("<rect x=\"").append(Html.px(p[0])).append("\" y=\"").append(Html.px(p[1])).append("\" width=\"")
        .append(NODE_W).append("\" height=\"").append(Html.px(p[2])).append("\" rx=\"5\" fill=\"").append(fill)
        .append("\" stroke=\"#718096\"/>");
    if (n instanceof ModelNode m && places.containsKey(m.modelId())) {
      Color c = seriesColors.get(places.get(m.modelId()).seriesIndex() % seriesColors.size());
      s.append("<rect x=\"").append(Html.px(p[0])).append("\" y=\"").append(Html.px(p[1]))
          .append("\" width=\"5\" height=\"").append(Html.px(p[2])).append("\" rx=\"2\" fill=\"")
          .append(Html.hex(c)).append("\"/>");
    }
    s.append("<text x=\"").append(Html.px(p[0] + 9)).append("\" y=\"").append(Html.px(p[1] + 16))
        .append("\" font-weight=\"bold\">").append(Html.esc(fit(text[0], NODE_W - 14))).append("</text>");
    s.append("<text x=\"").append(Html.px(p[0] + 9)).append("\" y=\"").append(Html.px(p[1] + 31))
        .append("\" fill=\"#4a5568\">").append(Html.esc(fit(text[1], NODE_W - 14))).append("</text>");
    if (n instanceof ModelNode m) {
      double x = p[0] + 9;
      double w = NODE_W - 18;
      for (Map.Entry<String, Double> share : m.ancestry().entrySet()) {
        double sw = w * Math.max(0, share.getValue());
        Color c = sourceColors.getOrDefault(share.getKey(), Color.GRAY);
        s.append("<rect x=\"").append(Html.px(x)).append("\" y=\"").append(Html.px(p[1] + 38)).append("\" width=\"")
            .append(Html.px(sw)).append("\" height=\"8\" fill=\"").append(Html.hex(c)).append("\"/>");
        x += sw;
      }
    }
    s.append("</g>\n");
  }

  /** Two lines of text for a node. */
  private static String[] labels(Node n, Map<String, Place> places) {
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

  private static String tooltip(Node n, Map<String, Place> places) {
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
