package io.priorflow.report;

import io.priorflow.engine.lineage.LineageGraph;
import io.priorflow.engine.lineage.ModelNode;
import io.priorflow.engine.lineage.Node;
import io.priorflow.engine.metrics.MetricsRow;
import io.priorflow.engine.metrics.MetricsTable;
import io.priorflow.engine.metrics.SummaryStats;
import io.priorflow.engine.metrics.SummaryTable;
import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The lines of the report: one series per lineage, or per (lineage, sweep point) when the run swept parameters,
 * in the order of metrics.csv, each with its colour and, per generation, the replicate statistics of every
 * metric. Also where each measured model sits, and the ancestry shares per generation.
 */
final class RunSeries {

  /**
   * One series.
   *
   * @param name        the lineage, followed by the sweep point in parentheses when there is one
   * @param index       its position
   * @param color       its lineage's colour: the same lineage has the same colour in every chart and at every
   *                    sweep point
   * @param lineage     the lineage
   * @param point       the sweep point (swept path → value; empty without a sweep)
   * @param generations generation → metric → statistics over replicates
   * @param replicates  the largest replicate count of any of its cells
   */
  record Series(String name, int index, Color color, String lineage, Map<String, String> point,
                SortedMap<Integer, Map<String, SummaryStats>> generations, int replicates) {

    /** One metric's statistics per generation (generations without it left out). */
    SortedMap<Integer, SummaryStats> metric(String metric) {
      SortedMap<Integer, SummaryStats> out = new TreeMap<>();
      generations.forEach((g, m) -> {
        if (m.containsKey(metric)) {
          out.put(g, m.get(metric));
        }
      });
      return out;
    }
  }

  private final List<Series> series = new ArrayList<>();
  private final Map<String, Color> lineageColors = new LinkedHashMap<>();
  private final List<Map<String, String>> points = new ArrayList<>();
  private final Map<String, LineageLabels.Place> places = new TreeMap<>();
  private final Map<String, List<String>> modelsBySeriesGeneration = new LinkedHashMap<>();
  private Map<String, ModelNode> modelNodes; // model id → node, built on first use

  RunSeries(MetricsTable table, SummaryTable summary) {
    boolean swept = !table.paramPaths().isEmpty();
    Map<List<Object>, String> names = new LinkedHashMap<>();
    Map<String, MetricsRow.Group> keys = new LinkedHashMap<>();
    Map<String, SortedMap<Integer, Map<String, SummaryStats>>> byName = new LinkedHashMap<>();
    for (Map.Entry<MetricsRow.Group, Map<String, SummaryStats>> g : summary.stats().entrySet()) {
      MetricsRow.Group key = g.getKey();
      String name = names.computeIfAbsent(List.of(key.lineage(), key.params()), k -> name(key, swept));
      keys.putIfAbsent(name, key);
      byName.computeIfAbsent(name, k -> new TreeMap<>()).put(key.generation(), g.getValue());
      lineageColors.computeIfAbsent(key.lineage(), l -> Palette.series(lineageColors.size()));
      if (!points.contains(key.params())) {
        points.add(key.params());
      }
    }
    int i = 0;
    for (Map.Entry<String, SortedMap<Integer, Map<String, SummaryStats>>> e : byName.entrySet()) {
      int reps = e.getValue().values().stream().flatMap(m -> m.values().stream()).mapToInt(SummaryStats::n).max()
          .orElse(0);
      MetricsRow.Group key = keys.get(e.getKey());
      series.add(new Series(e.getKey(), i, lineageColors.get(key.lineage()), key.lineage(), key.params(),
          e.getValue(), reps));
      i++;
    }
    Map<String, Integer> index = new LinkedHashMap<>();
    series.forEach(s -> index.put(s.name(), s.index()));
    for (MetricsRow r : table.rows()) {
      String name = names.get(List.of(r.lineage(), r.params()));
      if (!r.model().isEmpty()) {
        places.putIfAbsent(r.model(), new LineageLabels.Place(name, index.get(name), r.generation(), r.replicate()));
        modelsBySeriesGeneration.computeIfAbsent(name + "\u0000" + r.generation(), k -> new ArrayList<>())
            .add(r.model());
      }
    }
  }

  private static String name(MetricsRow.Group g, boolean swept) {
    if (!swept || g.params().isEmpty()) {
      return g.lineage();
    }
    return g.lineage() + " (" + g.params().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(", ")) + ")";
  }

  List<Series> series() {
    return series;
  }

  /** Lineage → its colour, in the order of metrics.csv. */
  Map<String, Color> lineageColors() {
    return lineageColors;
  }

  /** The sweep points in the order of metrics.csv (one empty point without a sweep). */
  List<Map<String, String>> points() {
    return points;
  }

  /** A sweep point as text: "a=1, b=x". */
  static String pointText(Map<String, String> point) {
    return point.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
  }

  /** Model id → where it was measured (its first row). */
  Map<String, LineageLabels.Place> places() {
    return places;
  }

  /** The series' colours, by index. */
  List<Color> colors() {
    return series.stream().map(Series::color).toList();
  }

  /** Largest replicate count over all series. */
  int replicates() {
    return series.stream().mapToInt(Series::replicates).max().orElse(0);
  }

  /**
   * Per generation, source → mean share: from the ancestry.* metrics when metrics.csv has them, else the mean of
   * the measured models' ancestry in lineage.json.
   */
  SortedMap<Integer, Map<String, Double>> ancestry(Series s, LineageGraph graph) {
    SortedMap<Integer, Map<String, Double>> out = new TreeMap<>();
    for (Map.Entry<Integer, Map<String, SummaryStats>> g : s.generations().entrySet()) {
      Map<String, Double> shares = new TreeMap<>();
      g.getValue().forEach((metric, st) -> {
        if (MetricDescriptions.isAncestry(metric) && Double.isFinite(st.mean())) {
          shares.put(MetricDescriptions.source(metric), st.mean());
        }
      });
      if (shares.isEmpty()) {
        List<String> models = modelsBySeriesGeneration.getOrDefault(s.name() + "\u0000" + g.getKey(), List.of());
        List<Map<String, Double>> found = new ArrayList<>();
        for (String m : models) {
          ModelNode mn = modelNodes(graph).get(m);
          if (mn != null) {
            found.add(mn.ancestry());
          }
        }
        for (Map<String, Double> a : found) {
          a.forEach((src, v) -> shares.merge(src, v / found.size(), Double::sum));
        }
      }
      if (!shares.isEmpty()) {
        out.put(g.getKey(), shares);
      }
    }
    return out;
  }

  private Map<String, ModelNode> modelNodes(LineageGraph graph) {
    if (modelNodes == null) {
      modelNodes = new TreeMap<>();
      for (Node n : graph.nodes()) {
        if (n instanceof ModelNode m) {
          modelNodes.put(m.modelId(), m);
        }
      }
    }
    return modelNodes;
  }

  /** Every source named by a metric or by a model's ancestry. */
  static TreeSet<String> sources(MetricsTable table, LineageGraph graph) {
    TreeSet<String> out = new TreeSet<>();
    table.metricNames().stream().filter(MetricDescriptions::isAncestry).map(MetricDescriptions::source)
        .forEach(out::add);
    for (Node n : graph.nodes()) {
      if (n instanceof ModelNode m) {
        out.addAll(m.ancestry().keySet());
      }
    }
    return out;
  }
}
