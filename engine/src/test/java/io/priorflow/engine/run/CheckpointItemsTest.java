package io.priorflow.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.priorflow.engine.json.Json;
import io.priorflow.engine.model.TokenModel;
import io.priorflow.engine.model.TokenModelConfig;
import io.priorflow.engine.work.MemoryModelStore;
import io.priorflow.engine.work.ScoreResult;
import io.priorflow.engine.work.ScoreWork;
import io.priorflow.engine.work.TrainResult;
import io.priorflow.engine.work.WorkItem;
import io.priorflow.engine.work.WorkResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal of CheckpointExecutor entry by entry, with an executor written here that answers each item with a
 * score naming who performed it: the entry's documented format, what is replayed and what is performed again (another
 * stage, other items, a short entry, a bad checksum, a damaged model), which entries a mismatch deletes, and finish.
 * No scenario is run.
 */
class CheckpointItemsTest {
  @TempDir Path tmp;

  static ScoreWork item(String id) {
    return new ScoreWork(id, "critic", "m", List.of(new int[] {1}), new int[] {0}, 0.0);
  }

  /** Answers each item with {@code value}; records the stages it is asked. */
  static final class Fake implements WorkExecutor {
    final double value;
    final List<String> asked = new ArrayList<>();

    Fake(double value) { this.value = value; }

    @Override
    public List<WorkResult> execute(String stage, List<? extends WorkItem> items) {
      asked.add(stage);
      return items.stream().<WorkResult>map(i -> new ScoreResult(i.id(), new double[] {value})).toList();
    }

    @Override
    public long retries() { return 5; }
  }

  static double score(List<WorkResult> r, int i) { return ((ScoreResult) r.get(i)).scores()[0]; }

  Path entry(Path dir, int seq) { return dir.resolve(".resume").resolve(String.format("%06d.json", seq)); }

  List<String> entries(Path dir) throws Exception {
    if (!Files.isDirectory(dir.resolve(".resume"))) return List.of();
    try (Stream<Path> s = Files.list(dir.resolve(".resume"))) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** Three stages performed by run 1: a (x/1, x/2), b (y/1), c (z/1). */
  CheckpointExecutor journal(Path dir) throws Exception {
    Fake one = new Fake(1);
    CheckpointExecutor cp = new CheckpointExecutor(new RunOutputs(dir), one, new MemoryModelStore());
    cp.execute("a", List.of(item("x/1"), item("x/2")));
    assertFalse(cp.lastReplayed());
    cp.execute("b", List.of(item("y/1")));
    cp.execute("c", List.of(item("z/1")));
    assertEquals(List.of("a", "b", "c"), one.asked);
    assertEquals(0, cp.replayed());
    assertEquals(5, cp.retries());
    return cp;
  }

  @Test
  void anEntryIsTheChecksumLineThenTheStageItsIdsAndItsResults() throws Exception {
    Path dir = tmp.resolve("run");
    journal(dir);
    assertEquals(List.of("000000.json", "000001.json", "000002.json"), entries(dir));
    byte[] bytes = Files.readAllBytes(entry(dir, 0));
    String text = new String(bytes, StandardCharsets.UTF_8);
    int nl = text.indexOf('\n');
    assertEquals(64, nl);
    byte[] body = java.util.Arrays.copyOfRange(bytes, nl + 1, bytes.length);
    assertEquals(Json.sha256Hex(body), text.substring(0, nl));
    JsonNode e = Json.messages().readTree(body);
    assertEquals("a", e.get("stage").asText());
    assertEquals("[\"x/1\",\"x/2\"]", e.get("ids").toString());
    assertEquals(2, e.get("results").size());
    assertEquals("x/1", e.get("results").get(0).get("id").asText());
  }

  @Test
  void aResumedRunReplaysItsEntriesThenPerformsTheRest() throws Exception {
    Path dir = tmp.resolve("run");
    journal(dir);
    Fake two = new Fake(2);
    CheckpointExecutor cp = new CheckpointExecutor(new RunOutputs(dir), two, new MemoryModelStore());
    List<WorkResult> a = cp.execute("a", List.of(item("x/1"), item("x/2")));
    assertTrue(cp.lastReplayed());
    assertEquals(1, cp.replayed());
    assertEquals(List.of(1.0, 1.0), List.of(score(a, 0), score(a, 1)), "the journal's results");
    cp.execute("b", List.of(item("y/1")));
    assertEquals(2, cp.replayed());
    assertTrue(cp.lastReplayed());
    cp.execute("c", List.of(item("z/1")));
    List<WorkResult> d = cp.execute("d", List.of(item("w/1")));
    assertFalse(cp.lastReplayed());
    assertEquals(3, cp.replayed());
    assertEquals(List.of("d"), two.asked);
    assertEquals(2.0, score(d, 0));
    assertEquals(List.of("000000.json", "000001.json", "000002.json", "000003.json"), entries(dir));
  }

  /**
   * An entry for another stage, or other items, is not trusted: performed again, and every later entry deleted; and
   * from then on nothing is replayed, even an entry that would match.
   */
  @Test
  void aMismatchPerformsTheStageAgainAndDropsEveryLaterEntry() throws Exception {
    for (String how : List.of("stage", "items")) {
      Path dir = tmp.resolve(how);
      journal(dir);
      Fake two = new Fake(2);
      CheckpointExecutor cp = new CheckpointExecutor(new RunOutputs(dir), two, new MemoryModelStore());
      cp.execute("a", List.of(item("x/1"), item("x/2")));
      List<WorkResult> b = how.equals("stage") ? cp.execute("B", List.of(item("y/1")))
          : cp.execute("b", List.of(item("y/2")));
      assertFalse(cp.lastReplayed());
      assertEquals(2.0, score(b, 0));
      assertEquals(List.of("000000.json", "000001.json"), entries(dir), "entry 2 was stale");
      cp.execute("c", List.of(item("z/1")));
      assertEquals(List.of(how.equals("stage") ? "B" : "b", "c"), two.asked, "no replay after a mismatch");
      assertEquals(1, cp.replayed());
    }
  }

  /**
   * Entries whose checksum or content do not check out: a flipped byte that leaves valid JSON, no checksum line, a
   * checksummed entry with fewer results than ids, a checksummed entry that is not JSON.
   */
  @Test
  void aDamagedOrInconsistentEntryIsNotTrusted() throws Exception {
    for (String how : List.of("flipped", "no line", "short", "not json")) {
      Path dir = tmp.resolve(how.replace(' ', '-'));
      journal(dir);
      Path first = entry(dir, 0);
      byte[] bytes = Files.readAllBytes(first);
      byte[] damaged = switch (how) {
        case "flipped" -> { // a score 1.0 becomes 1.1: still an entry, but not the one its checksum is of
          int at = new String(bytes, StandardCharsets.UTF_8).lastIndexOf("1.0]") + 2;
          bytes[at] ^= 1;
          yield bytes;
        }
        case "no line" -> java.util.Arrays.copyOfRange(bytes, 65, bytes.length);
        case "short" -> withChecksum("{\"stage\":\"a\",\"ids\":[\"x/1\",\"x/2\"],\"results\":["
            + "{\"type\":\"scored\",\"id\":\"x/1\",\"scores\":[1.0]}]}");
        default -> withChecksum("{\"stage\":");
      };
      Files.write(first, damaged);
      Fake two = new Fake(2);
      CheckpointExecutor cp = new CheckpointExecutor(new RunOutputs(dir), two, new MemoryModelStore());
      List<WorkResult> a = cp.execute("a", List.of(item("x/1"), item("x/2")));
      assertEquals(List.of("a"), two.asked, how);
      assertEquals(2, a.size());
      assertEquals(0, cp.replayed(), how);
      assertEquals(List.of("000000.json"), entries(dir), how);
    }
  }

  static byte[] withChecksum(String body) {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    return (Json.sha256Hex(b) + "\n" + body).getBytes(StandardCharsets.UTF_8);
  }

  /** An entry written by hand in the documented format, with its checksum, is replayed as it stands. */
  @Test
  void aValidEntryWrittenByHandIsReplayed() throws Exception {
    Path dir = tmp.resolve("run");
    Files.createDirectories(dir.resolve(".resume"));
    Files.write(entry(dir, 0), withChecksum("{\"stage\":\"a\",\"ids\":[\"x/1\"],\"results\":["
        + "{\"type\":\"scored\",\"id\":\"x/1\",\"scores\":[3.0]}]}"));
    Fake two = new Fake(2);
    CheckpointExecutor cp = new CheckpointExecutor(new RunOutputs(dir), two, new MemoryModelStore());
    assertEquals(3.0, score(cp.execute("a", List.of(item("x/1"))), 0));
    assertEquals(List.of(), two.asked);
  }

  /** A trained model is written before the entry; replaying puts it back into the store; a damaged one is redone. */
  @Test
  void aTrainEntrysModelIsWrittenFirstAndReadBackOnReplay() throws Exception {
    var config = new TokenModelConfig(TokenModelConfig.Head.TOKEN, 20, 2, 4, List.of(8),
        TokenModelConfig.Activation.GELU, 0);
    TokenModel model = TokenModel.initialize(config, new SplittableRandom(2));
    MemoryModelStore store = new MemoryModelStore();
    String id = store.put(model);
    TrainResult trained = new TrainResult("t/1", id, 3, 30, 2.0, 1.0, Map.of(), List.of());
    Path dir = tmp.resolve("run");
    List<String> asked = new ArrayList<>();
    WorkExecutor trainer = (stage, items) -> {
      asked.add(stage);
      return List.<WorkResult>of(trained);
    };
    new CheckpointExecutor(new RunOutputs(dir), trainer, store).execute("t", List.of(item("t/1")));
    Path file = dir.resolve("models").resolve(id + ".pfm");
    assertTrue(Files.isRegularFile(file));
    MemoryModelStore fresh = new MemoryModelStore();
    CheckpointExecutor replay = new CheckpointExecutor(new RunOutputs(dir), trainer, fresh);
    assertEquals(List.of(trained), replay.execute("t", List.of(item("t/1"))));
    assertEquals(1, asked.size(), "replayed");
    assertEquals(id, fresh.get(id).id(), "the model is back in the store");
    Files.write(file, new byte[] {1, 2, 3});
    CheckpointExecutor damaged = new CheckpointExecutor(new RunOutputs(dir), trainer, store);
    damaged.execute("t", List.of(item("t/1")));
    assertEquals(2, asked.size(), "a damaged model: performed again");
    assertEquals(0, damaged.replayed());
  }

  /** finish removes every entry, keeps other files of .resume (the CLI's command.json), and marks the run done. */
  @Test
  void finishRemovesTheEntriesAndMarksTheRunDone() throws Exception {
    Path dir = tmp.resolve("run");
    CheckpointExecutor cp = journal(dir);
    Files.writeString(dir.resolve(".resume/command.json"), "{}");
    assertFalse(CheckpointExecutor.isDone(dir));
    cp.finish();
    assertTrue(CheckpointExecutor.isDone(dir));
    assertEquals(List.of("command.json", "done"), entries(dir));
    assertEquals(0, Files.size(dir.resolve(".resume/done")));
  }
}
