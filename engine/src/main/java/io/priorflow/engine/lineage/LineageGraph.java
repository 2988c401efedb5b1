package io.priorflow.engine.lineage;

import io.priorflow.engine.data.DataLineage;
import io.priorflow.engine.data.Dataset;
import io.priorflow.engine.data.Datum;
import io.priorflow.engine.data.Label;
import io.priorflow.engine.data.LabelKind;
import io.priorflow.engine.data.LabellerKind;
import io.priorflow.engine.data.Provenance;
import io.priorflow.engine.data.Transform;
import io.priorflow.engine.json.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The lineage graph of a run, as written to {@code lineage.json}: models, datasets and actors as nodes, typed
 * edges between them, and each model's {@link Ancestry ancestry}.
 *
 * <pre>
 *   { "edges":  [ {"from": "dataset:L0/g1/train", "kind": "generated_by", "to": "model:3fa9…"}, … ],
 *     "format": "priorflow.lineage/1",
 *     "labelShare": 0.5,
 *     "nodes":  [ {"type": "actor",   "id": "actor:h1", "role": "human", "params": {…}},
 *                 {"type": "dataset", "id": "dataset:L0/g1/train", "lineage": {…}, "signal": {…}, "tokens": 500},
 *                 {"type": "model",   "id": "model:3fa9…", "ancestry": {"world": 0.45, …}, "training": {…}, …} ],
 *     "run":    { "scenarioSha256": …, "seed": …, "backend": …, … } }
 * </pre>
 * Nodes are sorted by id and edges by (from, to, kind); keys are sorted by {@link Json#lineage()}. Nothing in it
 * depends on insertion order, threads or the clock, so the same seed gives the same bytes.
 *
 * <p>Build one with {@link #builder}: add actors, datasets (their data give the generated-by, labelled-by and
 * filtered-by edges and the dataset's signal, then are dropped) and models (source or trained), in any order;
 * {@link Builder#build()} checks every reference and computes ancestry. The graph is a value: it does not keep the
 * data and does not change.
 *
 * @param format     {@link #FORMAT}
 * @param labelShare the label share λ of {@link Ancestry}
 * @param run        the run
 * @param nodes      the nodes, sorted by id
 * @param edges      the edges, sorted by (from, to, kind), without duplicates
 */
public record LineageGraph(String format, double labelShare, RunLineage run, List<Node> nodes, List<Edge> edges) {

  /** The format name and version written to every lineage.json. */
  public static final String FORMAT = "priorflow.lineage/1";

  /** Checks the format, sorts the nodes and edges, and checks that ids are unique and edges join nodes. */
  public LineageGraph {
    if (!FORMAT.equals(format)) {
      throw new IllegalArgumentException("This lineage graph has format "
          + format + "; this priorflow reads " + FORMAT + ".");
    }
    Ancestry.checkLabelShare(labelShare);
    Objects.requireNonNull(run, "run");
    List<Node> sortedNodes = new ArrayList<>(nodes);
    sortedNodes.sort(Comparator.comparing(Node::id));
    for (int i = 1; i < sortedNodes.size(); i++) {
      if (sortedNodes.get(i).id().equals(sortedNodes.get(i - 1).id())) {
        throw new IllegalArgumentException("The lineage graph has two nodes with id " + sortedNodes.get(i).id() + ".");
      }
    }
    TreeSet<Edge> sortedEdges = new TreeSet<>(Edge.ORDER);
    sortedEdges.addAll(edges);
    TreeSet<String> ids = new TreeSet<>();
    sortedNodes.forEach(n -> ids.add(n.id()));
    for (Edge e : sortedEdges) {
      if (!ids.contains(e.from()) || !ids.contains(e.to())) {
        throw new IllegalArgumentException("Edge " + e.from() + " -" + e.kind() + "-> " + e.to()
            + " joins " + (ids.contains(e.from()) ? e.to() : e.from()) + ", which is not a node of the graph.");
      }
    }
    nodes = List.copyOf(sortedNodes);
    edges = List.copyOf(sortedEdges);
  }

  /** A builder with the default label share ({@link Ancestry#DEFAULT_LABEL_SHARE}). */
  public static Builder builder(RunLineage run) {
    return new Builder(run, Ancestry.DEFAULT_LABEL_SHARE);
  }

  /** A builder with label share λ in [0, 1]. */
  public static Builder builder(RunLineage run, double labelShare) {
    return new Builder(run, labelShare);
  }

  /** The model node of a model id. */
  public ModelNode model(String modelId) {
    return node(Node.MODEL + modelId, ModelNode.class);
  }

  /** The dataset node of a dataset name. */
  public DatasetNode dataset(String name) {
    return node(Node.DATASET + name, DatasetNode.class);
  }

  /** The actor node of an actor id. */
  public ActorNode actor(String actorId) {
    return node(Node.ACTOR + actorId, ActorNode.class);
  }

  /** A model's ancestry: source → share, summing to 1. */
  public Map<String, Double> ancestry(String modelId) {
    return model(modelId).ancestry();
  }

  /** A model's ancestry as metrics: {@code ancestry.<source>} → share. */
  public SortedMap<String, Double> ancestryMetrics(String modelId) {
    return Ancestry.metrics(ancestry(modelId));
  }

  /**
   * A trained model's self-contained lineage.
   *
   * @throws IllegalArgumentException if the model was not trained in this run
   */
  public ModelLineage modelLineage(String modelId) {
    ModelNode m = model(modelId);
    if (m.training() == null) {
      throw new IllegalArgumentException("Model " + modelId + " (source " + m.source()
          + ") was not trained in this run, so it has no model lineage.");
    }
    List<DataLineage> data = new ArrayList<>();
    for (String name : m.training().datasets()) {
      data.add(dataset(name).lineage());
    }
    return new ModelLineage(modelId, m.modelClass(), m.training().init(), data, m.training().trainer(), run);
  }

  /** Every model's (mass, ancestry) recomputed from the nodes; equal to the stored ones for a valid graph. */
  public Map<String, Ancestry.Result> recomputeAncestry() {
    Map<String, ModelNode> models = new TreeMap<>();
    Map<String, DatasetNode> datasets = new TreeMap<>();
    for (Node n : nodes) {
      if (n instanceof ModelNode m) {
        models.put(m.modelId(), m);
      } else if (n instanceof DatasetNode d) {
        datasets.put(d.name(), d);
      }
    }
    return Ancestry.compute(models, datasets);
  }

  /** The canonical JSON of {@code lineage.json} (UTF-8, sorted keys, indented, no trailing newline). */
  public byte[] toJson() {
    return Json.lineageBytes(this);
  }

  /**
   * Reads {@code lineage.json}, also as earlier versions wrote it: a dataset without {@code judgement} (before
   * Ancestry's step 5) gets an empty one, a model without {@code architecture} none.
   */
  public static LineageGraph fromJson(byte[] json) {
    com.fasterxml.jackson.databind.JsonNode tree;
    try {
      tree = Json.lineage().readTree(json);
    } catch (java.io.IOException e) {
      return Json.readLineage(json, LineageGraph.class); // reports the syntax error with its place
    }
    boolean upgraded = false;
    if (tree != null && tree.path("nodes").isArray()) {
      for (com.fasterxml.jackson.databind.JsonNode n : tree.get("nodes")) {
        if (!(n instanceof com.fasterxml.jackson.databind.node.ObjectNode o)) continue;
        if ("dataset".equals(o.path("type").asText()) && !o.has("judgement")) {
          o.putObject("judgement");
          upgraded = true;
        } else if ("model".equals(o.path("type").asText()) && !o.has("architecture")) {
          o.putNull("architecture");
          upgraded = true;
        }
      }
    }
    if (!upgraded) {
      return Json.readLineage(json, LineageGraph.class); // errors keep their line and column
    }
    try {
      return Json.lineage().treeToValue(tree, LineageGraph.class);
    } catch (java.io.IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("Not a valid LineageGraph lineage JSON: " + e.getMessage(), e);
    }
  }

  private <T extends Node> T node(String id, Class<T> type) {
    for (Node n : nodes) { // nodes are few (hundreds), and lookups rare
      if (n.id().equals(id)) {
        return type.cast(n);
      }
    }
    throw new IllegalArgumentException("The lineage graph has no node " + id + ".");
  }

  /** Collects nodes in any order; {@link #build()} checks references and computes ancestry. Not thread-safe. */
  public static final class Builder {
    private final RunLineage run;
    private final double labelShare;
    private final Map<String, ActorNode> actors = new TreeMap<>();
    private final Map<String, TreeSet<String>> implicitRoles = new TreeMap<>();
    private final Map<String, DatasetNode> datasets = new TreeMap<>();
    private final Map<String, TreeSet<String>> teachers = new TreeMap<>(); // dataset name → model ids
    private final Map<String, ModelNode> models = new TreeMap<>();
    private final TreeSet<Edge> edges = new TreeSet<>(Edge.ORDER);

    private Builder(RunLineage run, double labelShare) {
      this.run = Objects.requireNonNull(run, "run");
      Ancestry.checkLabelShare(labelShare);
      this.labelShare = labelShare;
    }

    /**
     * Declares an actor with its settings. Actors that produced or labelled data are added by {@link
     * #addDataset} anyway (role from the provenance, no params); a declared actor replaces that.
     */
    public Builder addActor(String actorId, String role, Map<String, String> params) {
      ActorNode a = new ActorNode(Node.ACTOR + actorId, role, params);
      ActorNode old = actors.putIfAbsent(actorId, a);
      if (old != null && !old.equals(a)) {
        throw new IllegalArgumentException("Actor " + actorId + " was declared twice, differently: "
            + old + " and " + a + ".");
      }
      return this;
    }

    /**
     * Adds a dataset: its lineage and signal become a node; its data's producers, labellers and filters become
     * edges (to the actor, and to its model when it has one); transform inputs become derived-from edges. The
     * data are not kept. Adding an equal dataset again does nothing.
     */
    public Builder addDataset(Dataset dataset) {
      return addDataset(dataset, dataset.signalTokens());
    }

    /**
     * As {@link #addDataset(Dataset)}, for a dataset that stands for more training than its own tokens: the prompts of
     * reinforcement learning, whose policy learnt from the {@code mass} tokens it sampled. Its signal and judgement
     * are scaled to {@code mass} tokens, keeping their proportions.
     */
    public Builder addDataset(Dataset dataset, long mass) {
      String name = dataset.name();
      long own = dataset.signalTokens();
      double scale = own == 0 ? 0 : (double) mass / own;
      java.util.SortedMap<String, Double> signal = Ancestry.signal(dataset, labelShare);
      java.util.SortedMap<String, Double> judgement = Ancestry.judgement(dataset);
      if (mass != own) {
        signal.replaceAll((k, v) -> v * scale);
        judgement.replaceAll((k, v) -> v * scale);
      }
      DatasetNode node = new DatasetNode(Node.DATASET + name, dataset.lineage(), own == 0 ? 0 : mass, signal,
          judgement);
      DatasetNode old = datasets.putIfAbsent(name, node);
      if (old != null) {
        if (!old.equals(node)) {
          throw new IllegalArgumentException("Two different datasets are named " + name + " (SHA-256 "
              + old.lineage().sha256() + " and " + node.lineage().sha256() + ").");
        }
        return this;
      }
      TreeSet<String> teacherIds = new TreeSet<>();
      // thousands of data share a handful of producers and labellers: gather the distinct links in a hash set, then
      // add each to the sorted sets once (the graph is the same; only the sorted inserts per datum are saved)
      Set<Link> links = new HashSet<>();
      for (Datum d : dataset.data()) {
        Provenance p = d.provenance();
        links.add(new Link(EdgeKind.GENERATED_BY, p.producerId(), p.source().key(), p.modelId()));
        if (p.modelId() != null) {
          teacherIds.add(p.modelId());
        }
        for (Label l : d.labels()) {
          EdgeKind kind = l.kind() == LabelKind.KEEP ? EdgeKind.FILTERED_BY : EdgeKind.LABELLED_BY;
          links.add(new Link(kind, l.labellerId(), l.labeller() == LabellerKind.HUMAN ? "human" : "critic",
              l.modelId()));
          if (l.kind() == LabelKind.TARGETS && l.modelId() != null) {
            teacherIds.add(l.modelId());
          }
        }
      }
      for (Link k : links) link(node.id(), k.kind(), k.actorId(), k.role(), k.modelId());
      teachers.put(name, teacherIds);
      for (Transform t : dataset.lineage().transforms()) {
        for (String input : t.inputs()) {
          edges.add(new Edge(node.id(), Node.DATASET + input, EdgeKind.DERIVED_FROM));
        }
      }
      return this;
    }

    /** A datum's edge to an actor (and its model, if any) in the role it played. */
    private record Link(EdgeKind kind, String actorId, String role, String modelId) {}

    private void link(String from, EdgeKind kind, String actorId, String role, String modelId) {
      implicitRoles.computeIfAbsent(actorId, k -> new TreeSet<>()).add(role);
      edges.add(new Edge(from, Node.ACTOR + actorId, kind));
      if (modelId != null) {
        edges.add(new Edge(from, Node.MODEL + modelId, kind));
      }
    }

    /**
     * Adds a model that is an original source of signal: an external teacher, a fixed critic's classifier, a
     * random initialisation.
     *
     * @param source the source name, e.g. "generator:big-teacher" or "critic:constitution"
     * @param tokens the signal mass it brings when a model is fine-tuned from it (0 for a random initialisation)
     */
    public Builder addSourceModel(String modelId, String modelClass, String source, double tokens) {
      return putModel(new ModelNode(Node.MODEL + modelId, modelClass, source, null, tokens, Map.of(), null));
    }

    /** Adds a model trained in this run; its ancestry is computed from its training. */
    public Builder addTrainedModel(String modelId, String modelClass, Training training) {
      return addTrainedModel(modelId, modelClass, training, null);
    }

    /** Adds a model trained in this run, with its family and size (null: not recorded). */
    public Builder addTrainedModel(String modelId, String modelClass, Training training, Architecture architecture) {
      return putModel(new ModelNode(Node.MODEL + modelId, modelClass, null,
          Objects.requireNonNull(training, "training"), 0, Map.of(), null, architecture));
    }

    /** Adds a model trained in this run that should nevertheless count as one source (a "cut"). */
    public Builder addTrainedSourceModel(String modelId, String modelClass, String source, Training training) {
      return addTrainedSourceModel(modelId, modelClass, source, training, null);
    }

    /** As {@link #addTrainedSourceModel(String, String, String, Training)}, with the model's family and size. */
    public Builder addTrainedSourceModel(String modelId, String modelClass, String source, Training training,
                                         Architecture architecture) {
      return putModel(new ModelNode(Node.MODEL + modelId, modelClass, Objects.requireNonNull(source, "source"),
          Objects.requireNonNull(training, "training"), 0, Map.of(), null, architecture));
    }

    private Builder putModel(ModelNode m) {
      ModelNode old = models.putIfAbsent(m.modelId(), m);
      if (old != null && !old.equals(m)) {
        throw new IllegalArgumentException("Model " + m.modelId() + " was added twice, differently: "
            + old + " and " + m + ".");
      }
      return this;
    }

    /**
     * The graph: checks that every model and dataset referred to was added, computes every model's mass,
     * ancestry and lineage id, and adds the trained-on, initialized-from and teacher-of edges.
     *
     * @throws IllegalStateException naming the first missing reference or cycle
     */
    public LineageGraph build() {
      Map<String, Ancestry.Result> results = Ancestry.compute(models, datasets);
      List<Node> nodes = new ArrayList<>();
      TreeSet<Edge> all = new TreeSet<>(edges);
      for (ModelNode m : models.values()) {
        Ancestry.Result r = results.get(m.modelId());
        String lineageId = null;
        Training t = m.training();
        if (t != null) {
          for (String ds : t.datasets()) {
            all.add(new Edge(m.id(), Node.DATASET + ds, EdgeKind.TRAINED_ON));
            for (String teacher : teachers.get(ds)) {
              if (!teacher.equals(m.modelId()) && !teacher.equals(t.init())) { // the init is initialized_from
                all.add(new Edge(Node.MODEL + teacher, m.id(), EdgeKind.TEACHER_OF));
              }
            }
          }
          if (t.init() != null) {
            all.add(new Edge(m.id(), Node.MODEL + t.init(), EdgeKind.INITIALIZED_FROM));
          }
          List<DataLineage> data = t.datasets().stream().map(ds -> datasets.get(ds).lineage()).toList();
          lineageId = new ModelLineage(m.modelId(), m.modelClass(), t.init(), data, t.trainer(), run).lineageId();
        }
        nodes.add(new ModelNode(m.id(), m.modelClass(), m.source(), t, r.tokens(), r.shares(), lineageId,
            m.architecture()));
      }
      nodes.addAll(datasets.values());
      for (Map.Entry<String, TreeSet<String>> e : implicitRoles.entrySet()) {
        if (!actors.containsKey(e.getKey())) {
          nodes.add(new ActorNode(Node.ACTOR + e.getKey(), String.join("+", e.getValue()), Map.of()));
        }
      }
      nodes.addAll(actors.values());
      try {
        return new LineageGraph(FORMAT, labelShare, run, nodes, List.copyOf(all));
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
    }
  }
}
