package io.priorflow.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.model.SamplingConfig;
import io.priorflow.engine.model.TokenModel;
import io.priorflow.engine.scenario.Scenario;
import io.priorflow.engine.scenario.ScenarioLoader;
import io.priorflow.engine.work.Actors;
import io.priorflow.engine.work.MemoryModelStore;
import io.priorflow.engine.work.SampleResult;
import io.priorflow.engine.work.SampleWork;
import io.priorflow.engine.work.WorkContext;
import io.priorflow.engine.work.WorkResult;
import io.priorflow.engine.world.Vocabulary;
import io.priorflow.kernels.backend.Backends;
import io.priorflow.kernels.backend.KernelBackend;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The reference executor: each item performed by {@link Actors#perform} in the calling thread, results sorted by id,
 * an item that cannot be performed a WorkFailedException naming it, an interrupted thread an InterruptedException.
 */
class LocalExecutorTest {
  @Test
  void itemsArePerformedInTurnAndReturnedSortedById() throws Exception {
    Scenario s = ScenarioLoader.parse(ScenarioRunTest.SCENARIO, "small.yaml", List.of()).scenario();
    try (KernelBackend be = Backends.create("java", 1)) {
      MemoryModelStore store = new MemoryModelStore();
      WorkContext ctx = ScenarioRun.context(s, store, be);
      int vocab = ctx.world().vocabulary().size();
      TokenModel m = TokenModel.initialize(s.model().toConfig(vocab, Vocabulary.PAD), new SplittableRandom(1));
      String id = store.put(m);
      SamplingConfig sampling = new SamplingConfig(1f, 0, 3, 0);
      SampleWork b = new SampleWork("x/b", id, List.of(new int[] {1, 2}), sampling);
      SampleWork a = new SampleWork("x/a", id, List.of(new int[] {2, 1}), sampling);
      List<WorkResult> r = new LocalExecutor(ctx).execute("s", List.of(b, a));
      assertEquals(List.of("x/a", "x/b"), r.stream().map(WorkResult::id).toList());
      SampleResult first = (SampleResult) r.get(0), direct = (SampleResult) Actors.perform(a, ctx);
      assertTrue(java.util.Arrays.deepEquals(direct.sequences().toArray(), first.sequences().toArray()),
          "what the actor gives");
      assertTrue(r.get(1) instanceof SampleResult);

      SampleWork missing = new SampleWork("x/c", "no-such-model", List.of(new int[] {1}), sampling);
      var e = assertThrows(WorkFailedException.class, () -> new LocalExecutor(ctx).execute("s", List.of(a, missing)));
      assertTrue(e.getMessage().startsWith("x/c: "), e.getMessage());
      assertEquals("x/c", e.itemId());

      Thread.currentThread().interrupt();
      var i = assertThrows(InterruptedException.class, () -> new LocalExecutor(ctx).execute("st", List.of(a)));
      assertEquals("interrupted during st", i.getMessage());
      assertFalse(Thread.currentThread().isInterrupted(), "the interruption is taken, as Thread.interrupted does");
      assertEquals(List.of(), new LocalExecutor(ctx).execute("st", List.of()));
    }
  }
}
