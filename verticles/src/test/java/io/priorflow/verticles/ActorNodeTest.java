package io.priorflow.verticles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.scenario.ActorsSpec;
import io.priorflow.engine.scenario.CriticSpec;
import io.priorflow.engine.scenario.HumanSpec;
import io.priorflow.engine.scenario.RedTeamSpec;
import io.priorflow.engine.scenario.RoleSpec;
import io.priorflow.engine.work.Role;
import io.priorflow.engine.work.WorkItem;
import io.priorflow.verticles.bus.Addresses;
import io.priorflow.verticles.bus.JacksonCodec;
import io.priorflow.verticles.bus.Perform;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(30)
class ActorNodeTest {
  private final TestWork work = new TestWork();

  private static final ActorsSpec SPEC = new ActorsSpec(new HumanSpec(3, 0.9, Map.of(), 30, 25, 0.02, 0.2),
      new CriticSpec(2, 1.0, 0.01, 0.0001), new RoleSpec(4), new RoleSpec(1), new RoleSpec(5), new RedTeamSpec(6, 10));

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void countsComeFromTheScenariosActors() {
    assertEquals(Map.of(Role.HUMAN, 3, Role.CRITIC, 2, Role.GENERATOR, 4, Role.TRAINER, 1, Role.EVALUATOR, 5,
        Role.RED_TEAMER, 6, Role.RETRIEVER, 2), ActorNode.counts(SPEC));
    ExecutorConfig config = ExecutorConfig.forActors(SPEC);
    assertEquals(8, config.maxInFlight(Role.GENERATOR));
    assertEquals(Duration.ofMinutes(30), config.timeout(Role.TRAINER));
    assertEquals(Duration.ofSeconds(60), config.timeout(Role.HUMAN));
  }

  @Test
  void deploysOneDeploymentPerRoleAndUndeploysThemAll(Vertx vertx, VertxTestContext t) {
    ActorNode node = new ActorNode(vertx, work.context);
    node.deploy(SPEC)
        .compose(v -> {
          t.verify(() -> {
            assertEquals(7, node.deploymentIds().size());
            assertTrue(vertx.deploymentIDs().containsAll(node.deploymentIds()));
          });
          return vertx.eventBus().request(Addresses.GENERATOR, new Perform(work.sample("node/g0/sample")));
        })
        .compose(reply -> node.undeploy())
        .compose(v -> vertx.eventBus().request(Addresses.GENERATOR, new Perform(work.sample("node/g0/sample"))))
        .onComplete(t.failing(e -> t.verify(() -> {
          assertEquals(ReplyFailure.NO_HANDLERS, assertInstanceOf(ReplyException.class, e).failureType());
          assertEquals(List.of(), node.deploymentIds());
          t.completeNow();
        })));
  }

  @Test
  void resultsDoNotDependOnTheNumberOfActors(Vertx vertx) throws Exception {
    JacksonCodec.register(vertx);
    List<WorkItem> items = work.stage("node/g1", 6);
    String expected = EventBusExecutorTest.local(items);
    for (int instances : new int[] {1, 3}) {
      Map<Role, Integer> counts = new EnumMap<>(Role.class);
      for (Role r : Role.values()) counts.put(r, instances);
      ActorNode node = new ActorNode(vertx, new TestWork().context);
      await(node.deploy(counts));
      EventBusExecutor bus = new EventBusExecutor(vertx, ExecutorConfig.forActors(counts));
      assertEquals(expected, EventBusExecutorTest.json(bus.execute("node/g1/all", items)), instances + " per role");
      assertEquals(0, bus.retries());
      await(node.undeploy());
      await(bus.close());
    }
  }
}
