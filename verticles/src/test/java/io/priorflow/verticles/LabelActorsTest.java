package io.priorflow.verticles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.priorflow.engine.work.Actors;
import io.priorflow.engine.work.RedTeamResult;
import io.priorflow.engine.work.Role;
import io.priorflow.engine.work.WorkItem;
import io.priorflow.verticles.bus.Addresses;
import io.priorflow.verticles.bus.JacksonCodec;
import io.priorflow.verticles.bus.Perform;
import io.priorflow.verticles.bus.Performed;
import io.priorflow.verticles.bus.SimMessage;
import io.vertx.core.Vertx;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The human labeller, critic and red teamer actors perform the labelling items over the bus as the engine does. */
@ExtendWith(VertxExtension.class)
class LabelActorsTest {
  private final TestWork work = new TestWork();
  private Vertx vertx;

  @BeforeEach
  void deployLabellersCriticsAndRedTeamers(Vertx vertx, VertxTestContext t) {
    this.vertx = JacksonCodec.register(vertx);
    new ActorNode(vertx, work.context).deploy(Map.of(Role.HUMAN, 2, Role.CRITIC, 1, Role.RED_TEAMER, 2))
        .onComplete(t.succeedingThenComplete());
  }

  private static String json(SimMessage m) {
    return new String(JacksonCodec.toJson(m), StandardCharsets.UTF_8);
  }

  @Test
  void everyLabellingItemGetsWhatTheEngineComputes(VertxTestContext t) {
    List<WorkItem> items = LabelTestWork.oneOfEach(work, "label-actors/g0");
    TestWork reference = new TestWork();
    Checkpoint replies = t.checkpoint(items.size());
    for (WorkItem item : items) {
      String expected = json(new Performed(Actors.perform(item, reference.context)));
      vertx.eventBus().request(Addresses.role(item.role()), new Perform(item)).onComplete(t.succeeding(m ->
          t.verify(() -> {
            assertEquals(expected, json(assertInstanceOf(Performed.class, m.body())));
            replies.flag();
          })));
    }
  }

  @Test
  void theRedTeamerPerformsRedTeamWork(VertxTestContext t) {
    WorkItem item = LabelTestWork.oneOfEach(work, "label-actors/g1").stream()
        .filter(i -> i.role() == Role.RED_TEAMER).findFirst().orElseThrow();
    vertx.eventBus().request(Addresses.RED_TEAMER, new Perform(item)).onComplete(t.succeeding(m -> t.verify(() -> {
      RedTeamResult r = assertInstanceOf(RedTeamResult.class, ((Performed) m.body()).result());
      assertEquals(20, r.trials());
      assertFalse(r.findings().isEmpty(), "a coin-flipping red teamer flags about half the responses");
      assertEquals(20 * 3 * 20.0, r.seconds(), 1e-9);
      t.completeNow();
    })));
  }
}
