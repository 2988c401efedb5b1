package io.priorflow.engine.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.json.Json;
import io.priorflow.engine.model.TokenModel;
import io.priorflow.engine.model.TokenModelConfig;
import io.priorflow.engine.scenario.Scenario;
import io.priorflow.engine.scenario.ScenarioLoader;
import io.priorflow.engine.work.MemoryModelStore;
import io.priorflow.engine.work.ScoreResult;
import io.priorflow.engine.work.ScoreWork;
import io.priorflow.engine.work.TrainResult;
import io.priorflow.engine.work.WorkItem;
import io.priorflow.engine.work.WorkResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SharedResults item by item, with executors written here that answer each item with a score naming who performed
 * it: which run performs an item, which reuses it, what a failure leaves behind, where the memory budget drops
 * results, and a trained model crossing from one run's directory to another's store. No scenario is run.
 */
class SharedResultsItemsTest {
  @TempDir Path tmp;

  static ScoreWork item(String id) {
    return new ScoreWork(id, "critic", "m", List.of(new int[] {1, 2}), new int[] {0}, 0.0);
  }

  /** An executor that records what it is asked and answers each item with {@code value}, in the order asked. */
  record Fake(double value, List<String> asked) implements WorkExecutor {
    Fake(double value) { this(value, new CopyOnWriteArrayList<>()); }

    @Override
    public List<WorkResult> execute(String stage, List<? extends WorkItem> items) {
      items.forEach(i -> asked.add(i.id()));
      return items.stream().<WorkResult>map(i -> new ScoreResult(i.id(), new double[] {value})).toList();
    }

    @Override
    public long retries() { return 7; }
  }

  static double score(WorkResult r) { return ((ScoreResult) r).scores()[0]; }

  @Test
  void anItemIsPerformedOnceThenReusedAndResultsComeSortedById() throws Exception {
    SharedResults shared = new SharedResults();
    Fake one = new Fake(1), two = new Fake(2), other = new Fake(3);
    WorkExecutor a = shared.over(one, "ctx", null, new RunOutputs(tmp.resolve("a")));
    WorkExecutor b = shared.over(two, "ctx", null, new RunOutputs(tmp.resolve("b")));
    List<WorkResult> first = a.execute("s", List.of(item("x/2"), item("x/1")));
    assertEquals(List.of("x/1", "x/2"), first.stream().map(WorkResult::id).toList());
    assertEquals(List.of("x/2", "x/1"), one.asked());
    List<WorkResult> second = b.execute("s", List.of(item("x/3"), item("x/1")));
    assertEquals(List.of("x/1", "x/3"), second.stream().map(WorkResult::id).toList(), "sorted, reused or not");
    assertEquals(List.of(1.0, 2.0), second.stream().map(SharedResultsItemsTest::score).toList(),
        "x/1 as run a performed it");
    assertEquals(List.of("x/3"), two.asked());
    assertEquals(3, shared.performed());
    assertEquals(1, shared.reused());
    assertEquals(7, b.retries(), "the inner executor's retries");
    // another context shares nothing
    shared.over(other, "ctx2", null, new RunOutputs(tmp.resolve("c"))).execute("s", List.of(item("x/1")));
    assertEquals(List.of("x/1"), other.asked());
    assertEquals(4, shared.performed());
  }

  @Test
  void anItemWhoseJsonDiffersIsAnotherItem() throws Exception {
    SharedResults shared = new SharedResults();
    Fake one = new Fake(1), two = new Fake(2);
    shared.over(one, "ctx", null, new RunOutputs(tmp.resolve("a"))).execute("s", List.of(item("x/1")));
    ScoreWork hotter = new ScoreWork("x/1", "critic", "m", List.of(new int[] {1, 2}), new int[] {0}, 0.5);
    shared.over(two, "ctx", null, new RunOutputs(tmp.resolve("b"))).execute("s", List.of(hotter));
    assertEquals(List.of("x/1"), two.asked(), "same id, another temperature: performed again");
  }

  @Test
  void anExecutorThatLeavesAnItemOutFailsAndTheItemIsForgotten() throws Exception {
    SharedResults shared = new SharedResults();
    WorkExecutor none = shared.over((stage, items) -> List.of(), "ctx", null, new RunOutputs(tmp.resolve("a")));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> none.execute("st", List.of(item("x/1"))));
    assertEquals("st: the executor returned no result for x/1", e.getMessage());
    Fake two = new Fake(2);
    List<WorkResult> r = shared.over(two, "ctx", null, new RunOutputs(tmp.resolve("b")))
        .execute("s", List.of(item("x/1")));
    assertEquals(List.of("x/1"), two.asked());
    assertEquals(2.0, score(r.get(0)));
    assertEquals(1, shared.performed());
    assertEquals(0, shared.reused());
  }

  /** A failure is rethrown as it is: an interruption as an interruption, an error as itself. */
  @Test
  void failuresAreRethrownUnchanged() throws Exception {
    SharedResults shared = new SharedResults();
    RuntimeException boom = new WorkFailedException("x/1", "x/1: boom");
    AssertionError error = new AssertionError("bad");
    WorkExecutor runtime = shared.over((s, i) -> { throw boom; }, "ctx", null, new RunOutputs(tmp.resolve("a")));
    assertSame(boom, assertThrows(RuntimeException.class, () -> runtime.execute("s", List.of(item("x/1")))));
    WorkExecutor err = shared.over((s, i) -> { throw error; }, "ctx", null, new RunOutputs(tmp.resolve("b")));
    assertSame(error, assertThrows(AssertionError.class, () -> err.execute("s", List.of(item("x/1")))));
    WorkExecutor stop = shared.over((s, i) -> { throw new InterruptedException("stop"); }, "ctx", null,
        new RunOutputs(tmp.resolve("c")));
    assertEquals("stop", assertThrows(InterruptedException.class, () -> stop.execute("s", List.of(item("x/1"))))
        .getMessage());
    assertEquals(0, shared.performed());
  }

  /**
   * Two runs at once: the second waits for the item the first is performing and takes its result; when the first
   * fails instead, the second performs the item itself.
   */
  @Test
  void aRunWaitsForAnotherRunsItemAndPerformsItItselfWhenThatFails() throws Exception {
    for (boolean fails : new boolean[] {false, true}) {
      SharedResults shared = new SharedResults();
      CountDownLatch started = new CountDownLatch(1), release = new CountDownLatch(1);
      WorkExecutor slow = shared.over((stage, items) -> {
        started.countDown();
        release.await();
        if (fails) throw new WorkFailedException("x/1", "x/1: failed");
        return List.<WorkResult>of(new ScoreResult("x/1", new double[] {1}));
      }, "ctx", null, new RunOutputs(tmp.resolve(fails + "a")));
      Thread first = new Thread(() -> {
        try {
          slow.execute("s", List.of(item("x/1")));
        } catch (Exception expected) {
          // the failing round
        }
      });
      first.start();
      started.await();
      Fake two = new Fake(2);
      AtomicReference<List<WorkResult>> got = new AtomicReference<>();
      Thread second = new Thread(() -> {
        try {
          got.set(shared.over(two, "ctx", null, new RunOutputs(tmp.resolve(fails + "b")))
              .execute("s", List.of(item("x/0"), item("x/1"))));
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });
      second.start();
      while (two.asked().isEmpty()) Thread.sleep(5); // its own share (x/0) first, then it waits for x/1
      Thread.sleep(50);
      assertEquals(List.of("x/0"), two.asked(), "x/1 is the first run's");
      release.countDown();
      first.join();
      second.join();
      assertEquals(List.of("x/0", "x/1"), got.get().stream().map(WorkResult::id).toList());
      if (fails) {
        assertEquals(List.of("x/0", "x/1"), two.asked());
        assertEquals(2.0, score(got.get().get(1)));
        assertEquals(0, shared.reused());
      } else {
        assertEquals(1.0, score(got.get().get(1)));
        assertEquals(1, shared.reused());
      }
      assertEquals(2, shared.performed());
    }
  }

  /** The budget counts results' JSON bytes: a result of exactly the budget is kept; over it, the oldest goes. */
  @Test
  void theBudgetKeepsUpToItsBytesAndDropsTheOldestFirst() throws Exception {
    int size = Json.messages().writerFor(WorkResult.class).writeValueAsBytes(
        new ScoreResult("x/1", new double[] {1})).length;
    SharedResults exact = new SharedResults(size);
    exact.over(new Fake(1), "ctx", null, new RunOutputs(tmp.resolve("a"))).execute("s", List.of(item("x/1")));
    Fake two = new Fake(2);
    exact.over(two, "ctx", null, new RunOutputs(tmp.resolve("b"))).execute("s", List.of(item("x/1")));
    assertEquals(List.of(), two.asked(), "a result of exactly the budget is kept");

    SharedResults under = new SharedResults(size - 1);
    under.over(new Fake(1), "ctx", null, new RunOutputs(tmp.resolve("c"))).execute("s", List.of(item("x/1")));
    Fake three = new Fake(3);
    under.over(three, "ctx", null, new RunOutputs(tmp.resolve("d"))).execute("s", List.of(item("x/1")));
    assertEquals(List.of("x/1"), three.asked(), "one byte over: dropped");

    SharedResults one = new SharedResults(size);
    WorkExecutor first = one.over(new Fake(1), "ctx", null, new RunOutputs(tmp.resolve("e")));
    first.execute("s", List.of(item("x/1")));
    first.execute("s", List.of(item("x/2")));
    Fake four = new Fake(4);
    one.over(four, "ctx", null, new RunOutputs(tmp.resolve("f"))).execute("s", List.of(item("x/1"), item("x/2")));
    assertEquals(List.of("x/1"), four.asked(), "the oldest (x/1) was dropped, x/2 kept");
  }

  /** A trained model is written to the performing run's models/ and read from there into the reusing run's store. */
  @Test
  void aTrainResultsModelCrossesFromOneRunsDirectoryToAnothersStore() throws Exception {
    var config = new TokenModelConfig(TokenModelConfig.Head.TOKEN, 20, 2, 4, List.of(8),
        TokenModelConfig.Activation.GELU, 0);
    TokenModel model = TokenModel.initialize(config, new SplittableRandom(1));
    MemoryModelStore mine = new MemoryModelStore(), theirs = new MemoryModelStore();
    String id = mine.put(model);
    TrainResult trained = new TrainResult("x/train", id, 3, 30, 2.0, 1.0, Map.of("k", 1.0), List.of());
    SharedResults shared = new SharedResults();
    RunOutputs a = new RunOutputs(tmp.resolve("a"));
    shared.over((s, items) -> List.<WorkResult>of(trained), "ctx", mine, a).execute("s", List.of(item("x/train")));
    Path file = tmp.resolve("a/models/" + id + ".pfm");
    assertTrue(Files.isRegularFile(file), "written before another run may read it");
    Fake never = new Fake(9);
    List<WorkResult> r = shared.over(never, "ctx", theirs, new RunOutputs(tmp.resolve("b")))
        .execute("s", List.of(item("x/train")));
    assertEquals(List.of(), never.asked());
    assertEquals(trained, r.get(0));
    assertEquals(id, theirs.get(id).id());
    assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(tmp.resolve("a/models/" + id + ".pfm")));
    // a model file damaged before the other run reads it: an error naming the file, not a wrong model
    Files.write(file, new byte[] {1, 2, 3});
    var e = assertThrows(RuntimeException.class, () -> shared.over(never, "ctx", new MemoryModelStore(),
        new RunOutputs(tmp.resolve("c"))).execute("s", List.of(item("x/train"))));
    assertTrue(e.getMessage().contains(id + ".pfm"), e.getMessage());
  }

  /** The default budget is an eighth of the heap (the class's Javadoc). */
  @Test
  void theDefaultBudgetIsAnEighthOfTheHeap() throws Exception {
    var field = SharedResults.class.getDeclaredField("budgetBytes");
    field.setAccessible(true);
    assertEquals(Runtime.getRuntime().maxMemory() / 8, field.getLong(new SharedResults()));
    assertEquals(0L, field.getLong(new SharedResults(0)));
    assertThrows(IllegalArgumentException.class, () -> new SharedResults(-1));
  }

  @Test
  void theContextNamesSeedWorldEvaluationBackendAndDevice() {
    Scenario s = ScenarioLoader.parse(ScenarioRunTest.SCENARIO, "s.yaml", List.of()).scenario();
    String c = SharedResults.context(s, "java", null);
    assertEquals(c, SharedResults.context(s, "java", ""), "no device is the empty device");
    assertNotEquals(c, SharedResults.context(s, "java", "cpu"));
    assertNotEquals(c, SharedResults.context(s, "tornado", null));
    Scenario evaluation = ScenarioLoader.parse(ScenarioRunTest.SCENARIO, "s.yaml",
        List.of("evaluation.prompts=31")).scenario();
    assertNotEquals(c, SharedResults.context(evaluation, "java", null));
  }

  /** Runs share only under equal contexts: a batch with no repeated context (replicates) can share nothing. */
  @Test
  void onlyRepeatedContextsCanShare() {
    Scenario s = ScenarioLoader.parse(ScenarioRunTest.SCENARIO, "s.yaml", List.of()).scenario();
    Scenario lr = ScenarioLoader.parse(ScenarioRunTest.SCENARIO, "s.yaml", List.of("training.lr=0.5")).scenario();
    Scenario seed = ScenarioLoader.parse(ScenarioRunTest.SCENARIO, "s.yaml", List.of("seed=99")).scenario();
    String c = SharedResults.context(s, "java", null);
    assertEquals(c, SharedResults.context(lr, "java", null), "a sweep point of another lr: the same context");
    assertFalse(SharedResults.anyShared(List.of(c, SharedResults.context(seed, "java", null))), "replicates");
    assertTrue(SharedResults.anyShared(List.of(c, SharedResults.context(seed, "java", null),
        SharedResults.context(lr, "java", null))), "two sweep points of one seed");
    assertFalse(SharedResults.anyShared(List.of(c)), "one run");
    assertFalse(SharedResults.anyShared(List.of()), "no run");
  }
}
