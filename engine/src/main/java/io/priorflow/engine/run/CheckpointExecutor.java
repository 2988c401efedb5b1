package io.priorflow.engine.run;

import io.priorflow.engine.io.AtomicFiles;
import io.priorflow.engine.json.Json;
import io.priorflow.engine.model.ModelFile;
import io.priorflow.engine.work.ModelStore;
import io.priorflow.engine.work.TrainResult;
import io.priorflow.engine.work.WorkItem;
import io.priorflow.engine.work.WorkResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * What makes a run resumable: a journal of every stage's results, kept in the run directory's {@code .resume/}, and
 * the replay of it. The director's logic is a deterministic function of the scenario and of the results of its work
 * items (DESIGN §5), so a run started again over the same directory, given the same results in the same order, makes
 * the same datasets, models, metrics and lineage, byte for byte — whatever state those live in. Resuming is that:
 * the run starts from the beginning, and every stage the journal holds is answered from it instead of by the actors;
 * the first stage it does not hold (or holds torn, corrupted or for other items) is performed for real, and so is
 * everything after it.
 *
 * <pre>
 * .resume/000017.json   stage 17 of the run (the 18th call of execute): a line with the SHA-256 of the rest, then
 *                       {"stage": …, "ids": [item ids in order], "results": [its results]}
 * .resume/done          the run finished: its journal entries are removed, its files are final
 * </pre>
 * An entry is written when its stage's results are in, atomically (temporary file, fsync, rename, fsync of the
 * directory), after the models its results name are in {@code models/} (each file named by, and checked against, its
 * SHA-256). Replaying an entry puts those models back into the run's model store. An entry whose checksum, stage, item
 * ids or models do not check out is never trusted: it and every later entry are deleted and performed again.
 *
 * <p>Events of replayed stages are not appended again ({@link #lastReplayed}): events.jsonl keeps the lines of the
 * interrupted run (a stage finished just before the interruption may miss its line). Not here: the command line that
 * started the run (the CLI keeps it beside, in {@code .resume/command.json}).
 */
public final class CheckpointExecutor implements WorkExecutor {
  /** The checkpoint directory inside a run directory. */
  public static final String DIR = ".resume";
  /** The marker of a finished run. */
  public static final String DONE = "done";

  private final Path dir;
  private final WorkExecutor inner;
  private final ModelStore store;
  private final RunOutputs outputs;
  private int next;
  private boolean replaying = true;
  private boolean lastReplayed;
  private int replayed;

  /** A journal in {@code outputs}' directory, over {@code inner}; replayed models go into {@code store}. */
  public CheckpointExecutor(RunOutputs outputs, WorkExecutor inner, ModelStore store) {
    this.outputs = outputs;
    this.dir = outputs.dir().resolve(DIR);
    this.inner = inner;
    this.store = store;
  }

  /** Whether the run in {@code runDir} finished (its {@code .resume/done} exists). */
  public static boolean isDone(Path runDir) {
    return Files.isRegularFile(runDir.resolve(DIR).resolve(DONE));
  }

  /** Whether the last stage came from the journal rather than from the actors. */
  public boolean lastReplayed() { return lastReplayed; }

  /** Stages answered from the journal so far. */
  public int replayed() { return replayed; }

  @Override
  public long retries() { return inner.retries(); }

  @Override
  public List<WorkResult> execute(String stage, List<? extends WorkItem> items) throws InterruptedException {
    int seq = next++;
    if (replaying) {
      List<WorkResult> r = replay(seq, stage, items);
      if (r != null) {
        lastReplayed = true;
        replayed++;
        return r;
      }
      replaying = false;
      deleteFrom(seq); // this entry is missing or not to be trusted, so every later one is stale
    }
    lastReplayed = false;
    List<WorkResult> results = inner.execute(stage, items);
    record(seq, stage, items, results);
    return results;
  }

  /** Marks the run finished: removes the journal's entries (the run's files hold everything) and writes done. */
  public void finish() {
    deleteFrom(0);
    write(dir.resolve(DONE), new byte[0]);
  }

  /** One entry's content. */
  record Entry(String stage, List<String> ids, List<WorkResult> results) {}

  private Path entry(int seq) {
    return dir.resolve(String.format(java.util.Locale.ROOT, "%06d.json", seq));
  }

  /** The entry's results if it is intact and for these items, with its models back in the store; else null. */
  private List<WorkResult> replay(int seq, String stage, List<? extends WorkItem> items) {
    Path f = entry(seq);
    if (!Files.isRegularFile(f)) return null;
    try {
      byte[] bytes = Files.readAllBytes(f);
      int nl = indexOf(bytes, (byte) '\n');
      if (nl != 64) return null;
      byte[] body = Arrays.copyOfRange(bytes, nl + 1, bytes.length);
      if (!new String(bytes, 0, nl, StandardCharsets.US_ASCII).equals(Json.sha256Hex(body))) return null;
      Entry e = Json.messages().readValue(body, Entry.class);
      if (!e.stage().equals(stage) || !e.ids().equals(items.stream().map(WorkItem::id).toList())
          || e.results().size() != items.size()) {
        return null;
      }
      for (WorkResult r : e.results()) {
        if (r instanceof TrainResult t) {
          Path model = outputs.dir().resolve(RunOutputs.MODELS).resolve(t.modelId() + ".pfm");
          store.put(ModelFile.read(model, t.modelId())); // verified against its id
        }
      }
      return e.results();
    } catch (IOException | RuntimeException e) {
      return null; // torn, corrupted, a model missing or damaged: redo it
    }
  }

  private void record(int seq, String stage, List<? extends WorkItem> items, List<WorkResult> results) {
    for (WorkResult r : results) {
      if (r instanceof TrainResult t) outputs.writeModel(store.get(t.modelId())); // before the entry names it
    }
    try {
      byte[] body = Json.messages().writeValueAsBytes(new Entry(stage, items.stream().map(WorkItem::id).toList(),
          new ArrayList<>(results)));
      byte[] head = (Json.sha256Hex(body) + "\n").getBytes(StandardCharsets.US_ASCII);
      byte[] all = new byte[head.length + body.length];
      System.arraycopy(head, 0, all, 0, head.length);
      System.arraycopy(body, 0, all, head.length, body.length);
      write(entry(seq), all);
    } catch (IOException e) {
      throw new UncheckedIOException(entry(seq) + ": cannot write the checkpoint: " + e.getMessage(), e);
    }
  }

  private void deleteFrom(int seq) {
    if (!Files.isDirectory(dir)) return;
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.toList()) {
        String n = p.getFileName().toString();
        if (n.matches("\\d{6}\\.json") && Integer.parseInt(n.substring(0, 6)) >= seq) Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(dir + ": cannot remove stale checkpoints: " + e.getMessage(), e);
    }
  }

  private static void write(Path f, byte[] bytes) {
    try {
      AtomicFiles.write(f, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(f + ": cannot write: " + e.getMessage(), e);
    }
  }

  private static int indexOf(byte[] a, byte b) {
    for (int i = 0; i < a.length; i++) if (a[i] == b) return i;
    return -1;
  }
}
