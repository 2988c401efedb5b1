package io.priorflow.report;

import io.priorflow.engine.lineage.ActorNode;
import io.priorflow.engine.lineage.Edge;
import io.priorflow.engine.lineage.LineageGraph;
import io.priorflow.engine.lineage.ModelNode;
import io.priorflow.engine.lineage.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which generation box of the lineage graph ({@link LineageView}) each node goes in, and its lane (the series and
 * replicate whose rows it belongs to: past a size, only the first replicate is shown). Edges are read as the flow of signal ({@link
 * LineageLabels.Flow}); edges to and from actors are left out, since actors serve every generation.
 *
 * <pre>
 *   generation(model in metrics.csv) = its generation there (the earliest, if it has several rows)
 *   generation(other node)           = min over its consumers, else max over its producers (+1 after a model),
 *                                      else 0
 *   lane(n)                          = (series, replicate) of a measured model, else the least lane of its
 *                                      consumers, else of its producers, else last
 * </pre>
 */
final class LineageLayout {

  private final Map<String, Node> nodes = new HashMap<>();
  private final Map<String, List<String>> producers = new HashMap<>();
  private final Map<String, List<String>> consumers = new HashMap<>();
  private final Map<String, Integer> gen = new HashMap<>();
  private final Map<String, int[]> lane = new HashMap<>();
  private final Set<String> visiting = new HashSet<>();
  final int minReplicate;

  LineageLayout(LineageGraph graph, Map<String, LineageLabels.Place> places) {
    graph.nodes().forEach(n -> nodes.put(n.id(), n));
    for (Edge e : graph.edges()) {
      LineageLabels.Flow f = LineageLabels.Flow.of(e);
      if (!(nodes.get(f.producer()) instanceof ActorNode) && !(nodes.get(f.consumer()) instanceof ActorNode)) {
        producers.computeIfAbsent(f.consumer(), k -> new ArrayList<>()).add(f.producer());
        consumers.computeIfAbsent(f.producer(), k -> new ArrayList<>()).add(f.consumer());
      }
    }
    int minRep = Integer.MAX_VALUE;
    for (Map.Entry<String, LineageLabels.Place> p : places.entrySet()) {
      String id = Node.MODEL + p.getKey();
      gen.merge(id, p.getValue().generation(), Math::min);
      lane.merge(id, new int[] {p.getValue().seriesIndex(), p.getValue().replicate()},
          (a, b) -> compare(a, b) <= 0 ? a : b);
      minRep = Math.min(minRep, p.getValue().replicate());
    }
    minReplicate = minRep == Integer.MAX_VALUE ? 0 : minRep;
  }

  int generation(String id) {
    Integer g = gen.get(id);
    if (g != null) {
      return g;
    }
    if (!visiting.add(id)) {
      return 0; // a cycle (lineage.json forbids them among models; be safe with datasets)
    }
    int out = Integer.MAX_VALUE;
    for (String c : consumers.getOrDefault(id, List.of())) {
      out = Math.min(out, generation(c));
    }
    if (out == Integer.MAX_VALUE) {
      out = 0;
      for (String p : producers.getOrDefault(id, List.of())) {
        out = Math.max(out, generation(p) + (nodes.get(p) instanceof ModelNode ? 1 : 0));
      }
    }
    visiting.remove(id);
    gen.put(id, out);
    return out;
  }

  /** (series index, replicate) of the models a node leads to, or of those it came from; unknown sorts last. */
  int[] lane(String id) {
    int[] l = lane.get(id);
    if (l != null) {
      return l;
    }
    if (!visiting.add(id)) {
      return new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE};
    }
    int[] best = null;
    for (List<String> next : List.of(consumers.getOrDefault(id, List.of()), producers.getOrDefault(id, List.of()))) {
      for (String c : next) {
        int[] cl = lane(c);
        if (cl[0] != Integer.MAX_VALUE && (best == null || compare(cl, best) < 0)) {
          best = cl;
        }
      }
      if (best != null) {
        break;
      }
    }
    visiting.remove(id);
    l = best != null ? best : new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE};
    lane.put(id, l);
    return l;
  }

  private static int compare(int[] a, int[] b) {
    return a[0] != b[0] ? Integer.compare(a[0], b[0]) : Integer.compare(a[1], b[1]);
  }
}
