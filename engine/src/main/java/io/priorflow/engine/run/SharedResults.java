package io.priorflow.engine.run;

import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.priorflow.engine.json.Json;
import io.priorflow.engine.model.ModelFile;
import io.priorflow.engine.scenario.Scenario;
import io.priorflow.engine.work.ModelStore;
import io.priorflow.engine.work.TrainResult;
import io.priorflow.engine.work.WorkItem;
import io.priorflow.engine.work.WorkResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Work results shared by the runs of one batch, so that work two runs have in common is performed once. The runs
 * of a sweep differ only where a swept field reaches: a lineage the field does not touch (and its base, and every
 * stage before the field matters) makes, at every sweep point, the very same work items, and so — an item being a
 * pure function of (item, the run's context, the models it names; DESIGN §5) — the very same results.
 *
 * <p>The key of a result is the SHA-256 of the run's {@linkplain #context context} (seed, world, evaluation set,
 * backend: everything an actor reads besides the item) and of the item's JSON, which holds its id (and so its random
 * stream), its parameters, its data and the content hashes of the models it names. Anything a sweep point changes
 * that reaches an item — a stage's setting, the seed, a teacher trained differently in another lineage
 * ({@code teacher: other@k}), a critic or a reward model — changes that JSON or that context, so the item is performed
 * again; nothing decides by hand which lineages a parameter affects. A run that reuses a result gets it exactly as
 * a resumed run gets it from its checkpoint (the JSON read back, a trained model read back from the file of the run
 * that trained it, checked against its hash), so its directory is byte-identical to one it computed itself.
 *
 * <p>Runs going on at once share too: the first to need an item performs it, the others wait for it. A run waits only
 * after performing its own share of a stage, so no two runs wait for each other. A failed or interrupted item is
 * forgotten, and a run that waited for it performs it itself. Results are kept as JSON, oldest dropped first once
 * they exceed a memory budget (an eighth of the heap by default), so sharing never holds models in memory.
 */
public final class SharedResults {

  // the key's JSON sorts map entries by key, so two equal items always hash alike
  private static final ObjectWriter ITEM = Json.lineage().writerFor(WorkItem.class);
  private static final ObjectWriter RESULT = Json.messages().writerFor(WorkResult.class);
  private static final ObjectReader READ_RESULT = Json.messages().readerFor(WorkResult.class);

  /** A result as JSON, with the file of the model it names (a train result), or null. */
  private record Entry(byte[] json, Path model) {}

  private final long budgetBytes;
  private final ConcurrentHashMap<String, CompletableFuture<Entry>> entries = new ConcurrentHashMap<>();
  private final ArrayDeque<String> order = new ArrayDeque<>(); // completed keys, oldest first
  private final Map<String, Integer> sizes = new HashMap<>();
  private long bytes;
  private final AtomicLong performed = new AtomicLong();
  private final AtomicLong reused = new AtomicLong();

  /** Results kept up to an eighth of the heap. */
  public SharedResults() {
    this(Runtime.getRuntime().maxMemory() / 8);
  }

  /** Results kept up to {@code budgetBytes} of JSON, the oldest dropped first. */
  public SharedResults(long budgetBytes) {
    if (budgetBytes < 0) {
      throw new IllegalArgumentException("The memory budget of shared results must be ≥ 0, was " + budgetBytes + ".");
    }
    this.budgetBytes = budgetBytes;
  }

  /** Items performed by the runs so far (each distinct item once, unless it was dropped or failed). */
  public long performed() { return performed.get(); }

  /** Items a run took from another run instead of performing them. */
  public long reused() { return reused.get(); }

  /**
   * What an actor reads besides its item ({@link ScenarioRun#context}): the seed of the random streams, the world,
   * the evaluation settings the evaluation set is drawn from, and the kernel backend (and device), whose roundings
   * may differ. Two runs share results only when this is equal.
   */
  public static String context(Scenario s, String backend, String device) {
    Map<String, Object> c = new TreeMap<>();
    c.put("seed", s.seed());
    c.put("world", s.world());
    c.put("evaluation", s.evaluation());
    c.put("backend", backend);
    c.put("device", device == null ? "" : device);
    return Json.lineageId(c);
  }

  /**
   * Whether runs of these {@linkplain #context contexts} could share any result: only runs of equal contexts do. A
   * batch whose runs each have a context of their own (replicates: a seed each) shares nothing, and keying its items
   * (each one's JSON hashed, each result kept as JSON) would be work for nothing.
   */
  public static boolean anyShared(List<String> contexts) {
    return new java.util.HashSet<>(contexts).size() < contexts.size();
  }

  /**
   * An executor for one run: over {@code inner}, answering from the shared results what another run (or this one)
   * already performed.
   *
   * @param context {@link #context} of the run
   * @param store   the run's model store: a reused train result's model goes into it
   * @param outputs the run's directory: a model this run trains is written there before another run may read it
   */
  public WorkExecutor over(WorkExecutor inner, String context, ModelStore store, RunOutputs outputs) {
    return new WorkExecutor() {
      @Override
      public List<WorkResult> execute(String stage, List<? extends WorkItem> items) throws InterruptedException {
        return SharedResults.this.execute(inner, context, store, outputs, stage, items);
      }

      @Override
      public long retries() { return inner.retries(); }
    };
  }

  private List<WorkResult> execute(WorkExecutor inner, String context, ModelStore store, RunOutputs outputs,
                                   String stage, List<? extends WorkItem> items) throws InterruptedException {
    Map<Integer, String> keys = new HashMap<>();
    Map<Integer, CompletableFuture<Entry>> mine = new LinkedHashMap<>();
    Map<Integer, CompletableFuture<Entry>> theirs = new LinkedHashMap<>();
    for (int i = 0; i < items.size(); i++) {
      String key = key(context, items.get(i));
      keys.put(i, key);
      CompletableFuture<Entry> f = new CompletableFuture<>();
      CompletableFuture<Entry> earlier = entries.putIfAbsent(key, f);
      if (earlier == null) {
        mine.put(i, f);
      } else {
        theirs.put(i, earlier);
      }
    }
    List<WorkResult> out = new ArrayList<>(items.size());
    if (!mine.isEmpty()) {
      out.addAll(perform(inner, store, outputs, stage, items, keys, mine));
    }
    // only now, with nothing of ours pending, wait for what other runs perform
    List<WorkItem> again = new ArrayList<>();
    for (Map.Entry<Integer, CompletableFuture<Entry>> t : theirs.entrySet()) {
      WorkItem item = items.get(t.getKey());
      Entry e;
      try {
        e = t.getValue().get();
      } catch (ExecutionException failed) {
        again.add(item); // the run performing it failed or stopped: perform it here
        continue;
      }
      out.add(read(e, item, store));
      reused.incrementAndGet();
    }
    if (!again.isEmpty()) {
      out.addAll(execute(inner, context, store, outputs, stage, again));
    }
    out.sort(Comparator.comparing(WorkResult::id));
    return out;
  }

  /** Performs this run's share, publishing each result (and its model's file) for the other runs. */
  private List<WorkResult> perform(WorkExecutor inner, ModelStore store, RunOutputs outputs, String stage,
                                   List<? extends WorkItem> items, Map<Integer, String> keys,
                                   Map<Integer, CompletableFuture<Entry>> mine) throws InterruptedException {
    List<WorkItem> todo = new ArrayList<>(mine.size());
    mine.keySet().forEach(i -> todo.add(items.get(i)));
    try {
      List<WorkResult> results = inner.execute(stage, todo);
      Map<String, WorkResult> byId = new HashMap<>();
      results.forEach(r -> byId.put(r.id(), r));
      for (Map.Entry<Integer, CompletableFuture<Entry>> m : mine.entrySet()) {
        WorkResult r = byId.get(items.get(m.getKey()).id());
        if (r == null) {
          throw new IllegalStateException(stage + ": the executor returned no result for " + items.get(m.getKey()).id());
        }
        Path model = null;
        if (r instanceof TrainResult t) {
          outputs.writeModel(store.get(t.modelId())); // before another run may read it
          model = outputs.dir().resolve(RunOutputs.MODELS).resolve(t.modelId() + ".pfm");
        }
        byte[] json = RESULT.writeValueAsBytes(r);
        m.getValue().complete(new Entry(json, model));
        performed.incrementAndGet();
        kept(keys.get(m.getKey()), json.length);
      }
      return results;
    } catch (Throwable e) {
      for (Map.Entry<Integer, CompletableFuture<Entry>> m : mine.entrySet()) {
        if (!m.getValue().isDone()) {
          entries.remove(keys.get(m.getKey()), m.getValue());
          m.getValue().completeExceptionally(e);
        }
      }
      if (e instanceof InterruptedException i) throw i;
      if (e instanceof RuntimeException r) throw r;
      if (e instanceof Error r) throw r;
      throw new IllegalStateException(stage + ": " + e.getMessage(), e);
    }
  }

  /** Another run's result, as this run's: the JSON read back, a trained model put into this run's store. */
  private static WorkResult read(Entry e, WorkItem item, ModelStore store) {
    try {
      WorkResult r = READ_RESULT.readValue(e.json());
      if (r instanceof TrainResult t) {
        store.put(ModelFile.read(e.model(), t.modelId())); // checked against its id
      }
      return r;
    } catch (IOException x) {
      throw new UncheckedIOException(item.id() + ": cannot read the result another run of the batch made: "
          + x.getMessage(), x);
    }
  }

  /** Counts a completed result against the budget, dropping the oldest while over it. */
  private synchronized void kept(String key, int size) {
    order.addLast(key);
    sizes.put(key, size);
    bytes += size;
    while (bytes > budgetBytes && !order.isEmpty()) {
      String oldest = order.removeFirst();
      bytes -= sizes.remove(oldest);
      entries.remove(oldest);
    }
  }

  private static String key(String context, WorkItem item) {
    try {
      MessageDigest d = Json.sha256();
      d.update(context.getBytes(StandardCharsets.UTF_8));
      d.update((byte) '\n');
      d.update(ITEM.writeValueAsBytes(item));
      return java.util.HexFormat.of().formatHex(d.digest());
    } catch (IOException e) {
      throw new UncheckedIOException(item.id() + ": cannot write the item as JSON: " + e.getMessage(), e);
    }
  }
}
