package io.priorflow.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.priorflow.engine.lineage.ActorNode;
import io.priorflow.engine.lineage.DatasetNode;
import io.priorflow.engine.lineage.Edge;
import io.priorflow.engine.lineage.EdgeKind;
import io.priorflow.engine.lineage.LineageGraph;
import io.priorflow.engine.lineage.ModelNode;
import io.priorflow.engine.lineage.Node;
import java.awt.Color;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The lineage graph of report.html, drawn in the browser by cytoscape.js with the dagre layered layout (lib/README.md
 * says which versions), both inlined so the page opens offline. This class writes the graphs as JSON — nodes
 * grouped by generation ({@link LineageLayout} decides a node's generation), edges read as the flow of signal
 * ({@link LineageLabels.Flow}) — and the page's controls; lib/lineage-graph.js builds the view: zoom, pan, fit,
 * collapsible generations, a run picker for a batch, actor edges on demand.
 *
 * <p>Deterministic: nodes and edges in lineage.json's order, keys in a fixed order, no ids from a clock.
 */
final class LineageView {

  /** More nodes than this in a graph and only its first replicate is shown. */
  static final int MAX_NODES = 1500;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One graph of the page: a run's name (empty for a single run) and its lineage. */
  record RunGraph(String run, LineageGraph graph) {}

  /** What {@link #data} put in: per graph, the nodes shown and those in the file. */
  record Shown(int drawn, int total) {}

  private LineageView() {}

  /** The libraries and the view's script, with their licenses in comments, for one {@code <script>} element each. */
  static List<String> scripts() {
    List<String> out = new ArrayList<>();
    out.add(license("LICENSE-cytoscape") + resource("cytoscape.min.js"));
    out.add(license("LICENSE-cytoscape-dagre") + license("LICENSE-dagre") + license("LICENSE-graphlib")
        + resource("cytoscape-dagre.min.js"));
    out.add(resource("lineage-graph.js"));
    return out;
  }

  private static String license(String name) {
    return "/*! " + name + " (lib/README.md in priorflow's report package says where it came from)\n"
        + resource(name).replace("*/", "* /") + "*/\n";
  }

  private static String resource(String name) {
    try (InputStream in = LineageView.class.getResourceAsStream("lib/" + name)) {
      if (in == null) {
        throw new IllegalStateException("report resource lib/" + name + " is missing from the build");
      }
      // A script may not contain "</script" inside the element that holds it.
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("</script", "<\\/script");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The JSON of the graphs, {"runs": [{"name", "groups", "nodes", "edges"}…]}, safe inside a script element, and
   * how much of each is shown.
   */
  static String data(List<RunGraph> graphs, Map<String, LineageLabels.Place> places,
                     Map<String, Color> lineageColors, List<Shown> shown) {
    return data(graphs, places, lineageColors, shown, MAX_NODES);
  }

  /** As {@link #data(List, Map, Map, List)}, with the first replicate only past {@code maxNodes}. */
  static String data(List<RunGraph> graphs, Map<String, LineageLabels.Place> places,
                     Map<String, Color> lineageColors, List<Shown> shown, int maxNodes) {
    List<Object> runs = new ArrayList<>();
    for (RunGraph rg : graphs) {
      runs.add(graph(rg, places, lineageColors, shown, maxNodes));
    }
    try {
      // <, > and & as JSON escapes: the text can then neither close its script element nor read as markup
      return JSON.writeValueAsString(Map.of("runs", runs)).replace("<", "\\u003c").replace(">", "\\u003e")
          .replace("&", "\\u0026");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, Object> graph(RunGraph rg, Map<String, LineageLabels.Place> places,
                                           Map<String, Color> lineageColors, List<Shown> shown, int maxNodes) {
    LineageGraph graph = rg.graph();
    LineageLayout layout = new LineageLayout(graph, places);
    boolean firstReplicateOnly = graph.nodes().size() > maxNodes;
    Map<String, Node> drawn = new LinkedHashMap<>();
    for (Node n : graph.nodes()) {
      int[] lane = layout.lane(n.id());
      if (!firstReplicateOnly || n instanceof ActorNode || lane[0] == Integer.MAX_VALUE
          || lane[1] <= layout.minReplicate) {
        drawn.put(n.id(), n);
      }
    }
    shown.add(new Shown(drawn.size(), graph.nodes().size()));
    TreeSet<Integer> generations = new TreeSet<>();
    List<Object> nodes = new ArrayList<>();
    for (Node n : drawn.values()) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("id", n.id());
      o.put("kind", n instanceof ModelNode ? "model" : n instanceof DatasetNode ? "dataset" : "actor");
      String[] text = LineageLabels.labels(n, places);
      o.put("label", LineageLabels.fit(text[0], 140) + "\n" + LineageLabels.fit(text[1], 140));
      o.put("tip", LineageLabels.tooltip(n, places));
      if (!(n instanceof ActorNode)) {
        int g = layout.generation(n.id());
        generations.add(g);
        o.put("parent", "gen-" + g);
      }
      if (n instanceof ModelNode m) {
        LineageLabels.Place p = places.get(m.modelId());
        Color c = p == null ? null : lineageColors.get(lineageOf(p.series(), lineageColors));
        o.put("color", c == null ? "#718096" : Html.hex(c));
      }
      nodes.add(o);
    }
    List<Object> groups = new ArrayList<>();
    for (int g : generations) {
      groups.add(new TreeMap<>(Map.of("id", "gen-" + g, "label", "generation " + g)));
    }
    List<Object> edges = new ArrayList<>();
    int i = 0;
    for (Edge e : graph.edges()) {
      LineageLabels.Flow f = LineageLabels.Flow.of(e);
      if (!drawn.containsKey(f.producer()) || !drawn.containsKey(f.consumer())) {
        continue;
      }
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("id", "e" + i++);
      o.put("source", f.producer());
      o.put("target", f.consumer());
      o.put("color", LineageLabels.EDGE_COLORS.get(e.kind()));
      o.put("dashed", e.kind() == EdgeKind.INITIALIZED_FROM || e.kind() == EdgeKind.DERIVED_FROM);
      o.put("actor", drawn.get(f.producer()) instanceof ActorNode || drawn.get(f.consumer()) instanceof ActorNode);
      o.put("tip", e.from() + " " + LineageLabels.kindName(e.kind()) + " " + e.to());
      edges.add(o);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", rg.run());
    out.put("groups", groups);
    out.put("nodes", nodes);
    out.put("edges", edges);
    return out;
  }

  /** The lineage of a series name ("lineage" or "lineage (a=1)"). */
  private static String lineageOf(String series, Map<String, Color> lineageColors) {
    for (String l : lineageColors.keySet()) {
      if (series.equals(l) || series.startsWith(l + " (")) {
        return l;
      }
    }
    return series;
  }
}
