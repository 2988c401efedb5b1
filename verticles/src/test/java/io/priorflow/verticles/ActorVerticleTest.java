package io.priorflow.verticles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.model.TokenModel;
import io.priorflow.engine.work.Actors;
import io.priorflow.engine.work.LabelWork;
import io.priorflow.engine.work.ModelStore;
import io.priorflow.engine.work.Role;
import io.priorflow.engine.work.TrainResult;
import io.priorflow.engine.work.WorkItem;
import io.priorflow.verticles.bus.Addresses;
import io.priorflow.verticles.bus.Failure;
import io.priorflow.verticles.bus.JacksonCodec;
import io.priorflow.verticles.bus.Perform;
import io.priorflow.verticles.bus.Performed;
import io.priorflow.verticles.bus.SimMessage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** One request in, the expected reply out: per role, and for everything an actor must refuse. */
@ExtendWith(VertxExtension.class)
class ActorVerticleTest {
  private final TestWork work = new TestWork();
  private Vertx vertx;
  private ActorNode node;

  /** One actor of every role. */
  @BeforeEach
  void deployOneActorPerRole(Vertx vertx, VertxTestContext t) {
    this.vertx = JacksonCodec.register(vertx);
    Map<Role, Integer> one = new EnumMap<>(Role.class);
    for (Role r : Role.values()) one.put(r, 1);
    node = new ActorNode(vertx, work.context);
    node.deploy(one).onComplete(t.succeedingThenComplete());
  }

  private Future<Message<Object>> request(String address, Object body) {
    return vertx.eventBus().request(address, body);
  }

  private static String json(SimMessage m) {
    return new String(JacksonCodec.toJson(m), StandardCharsets.UTF_8);
  }

  private static void assertFailure(Throwable e, Failure failure, String messagePart) {
    ReplyException re = assertInstanceOf(ReplyException.class, e);
    assertEquals(ReplyFailure.RECIPIENT_FAILURE, re.failureType());
    assertEquals(failure.code(), re.failureCode(), re.getMessage());
    assertTrue(re.getMessage().contains(messagePart), re.getMessage());
  }

  @Test
  void everyRoleRepliesWhatTheEngineComputes(VertxTestContext t) {
    List<WorkItem> items = work.oneOfEach("actors/g0");
    TestWork reference = new TestWork(); // its own store: what a trainer puts there must not matter
    Checkpoint replies = t.checkpoint(items.size());
    for (WorkItem item : items) {
      String expected = json(new Performed(Actors.perform(item, reference.context)));
      request(Addresses.role(item.role()), new Perform(item)).onComplete(t.succeeding(m -> t.verify(() -> {
        assertEquals(expected, json(assertInstanceOf(Performed.class, m.body())));
        replies.flag();
      })));
    }
  }

  @Test
  void aTrainedModelLandsInTheNodesStore(VertxTestContext t) {
    request(Addresses.TRAINER, new Perform(work.train("actors/g0/train"))).onComplete(t.succeeding(m -> t.verify(() -> {
      String id = ((TrainResult) ((Performed) m.body()).result()).modelId();
      assertEquals(id, work.models.get(id).id());
      t.completeNow();
    })));
  }

  @Test
  void aRejectedItemGetsBadItemWithTheEnginesMessage(VertxTestContext t) {
    LabelWork good = work.label("actors/g0/label");
    LabelWork bad = new LabelWork(good.id(), good.labellerId(), good.human(), 0, good.prompts(), good.sequences(),
        "paint");
    request(Addresses.HUMAN, new Perform(bad)).onComplete(t.failing(e -> t.verify(() -> {
      assertFailure(e, Failure.BAD_ITEM, "label task must be rate or correct, was paint");
      t.completeNow();
    })));
  }

  @Test
  void anItemOfAnotherRoleGetsBadItem(VertxTestContext t) {
    Checkpoint refused = t.checkpoint(2);
    request(Addresses.RED_TEAMER, new Perform(work.sample("actors/g0/sample"))).onComplete(t.failing(e ->
        t.verify(() -> {
          assertFailure(e, Failure.BAD_ITEM, "generator work, which red_teamer actors do not perform");
          refused.flag();
        })));
    request(Addresses.CRITIC, new Perform(work.evaluate("actors/g0/evaluate"))).onComplete(t.failing(e ->
        t.verify(() -> {
          assertFailure(e, Failure.BAD_ITEM, "evaluator work, which critic actors do not perform");
          refused.flag();
        })));
  }

  @Test
  void anUnexpectedExceptionGetsActorError(VertxTestContext t) {
    ModelStore offline = new ModelStore() {
      @Override
      public String put(TokenModel model) {
        return model.id();
      }

      @Override
      public TokenModel get(String id) {
        throw new UnsupportedOperationException("the store is offline");
      }
    };
    TestWork broken = new TestWork(offline);
    node.undeploy()
        .compose(v -> vertx.deployVerticle(new CriticVerticle(broken.context), ActorNode.options(Role.CRITIC, 1)))
        .compose(id -> request(Addresses.CRITIC, new Perform(broken.score("actors/g0/score"))))
        .onComplete(t.failing(e -> t.verify(() -> {
          assertFailure(e, Failure.ACTOR_ERROR, "java.lang.UnsupportedOperationException: the store is offline");
          t.completeNow();
        })));
  }

  /** A store whose every read throws {@code error}: an item that needs a model fails with it, as deep as training. */
  private static TestWork throwing(Error error) {
    return new TestWork(new ModelStore() {
      @Override
      public String put(TokenModel model) {
        return model.id();
      }

      @Override
      public TokenModel get(String id) {
        throw error;
      }
    });
  }

  @Test
  void runningOutOfMemoryIsAnsweredAtOnceAndTheActorKeepsServing(VertxTestContext t) {
    TestWork broken = throwing(new OutOfMemoryError("Java heap space"));
    WorkItem fine = work.sample("actors/g0/sample");
    node.undeploy()
        .compose(v -> vertx.deployVerticle(new GeneratorVerticle(broken.context), ActorNode.options(Role.GENERATOR, 1)))
        .compose(id -> request(Addresses.GENERATOR, new Perform(broken.sample("actors/g0/sample"))))
        .onComplete(t.failing(e -> t.verify(() -> {
          assertFailure(e, Failure.OUT_OF_MEMORY, "out of memory (Java heap space; this JVM's heap is at most ");
          assertTrue(e.getMessage().contains("PF_JAVA_OPTS=-Xmx"), e.getMessage());
          // the same actor serves the next request (its store fails again, with the same answer, not a time-out)
          request(Addresses.GENERATOR, new Perform(fine)).onComplete(t.failing(again -> t.verify(() -> {
            assertFailure(again, Failure.OUT_OF_MEMORY, "out of memory");
            t.completeNow();
          })));
        })));
  }

  @Test
  void anyOtherErrorGetsActorError(VertxTestContext t) {
    TestWork broken = throwing(new StackOverflowError());
    node.undeploy()
        .compose(v -> vertx.deployVerticle(new CriticVerticle(broken.context), ActorNode.options(Role.CRITIC, 1)))
        .compose(id -> request(Addresses.CRITIC, new Perform(broken.score("actors/g0/score"))))
        .onComplete(t.failing(e -> t.verify(() -> {
          assertFailure(e, Failure.ACTOR_ERROR, "java.lang.StackOverflowError");
          t.completeNow();
        })));
  }

  @Test
  void aMalformedPayloadGetsAFailureAndTheActorKeepsServing(VertxTestContext t) {
    WorkItem item = work.sample("actors/g0/sample");
    SimMessage expected = new Performed(Actors.perform(item, new TestWork().context));
    Buffer foreign = Buffer.buffer("{\"type\":\"perform\",\"item\":{\"type\":\"teleport\"}}");
    refused(request(Addresses.GENERATOR, "hello"),
        "generator actors take Perform messages, got java.lang.String")
        .compose(v -> refused(request(Addresses.GENERATOR, expected), "got io.priorflow.verticles.bus.Performed"))
        .compose(v -> refused(request(Addresses.GENERATOR, foreign), "got io.vertx.core.buffer."))
        .compose(v -> request(Addresses.GENERATOR, new Perform(item)))
        .onComplete(t.succeeding(m -> t.verify(() -> {
          assertEquals(json(expected), json((SimMessage) m.body()));
          t.completeNow();
        })));
  }

  /** Succeeds when the reply is a BAD_MESSAGE failure whose message contains the text. */
  private static Future<Void> refused(Future<Message<Object>> reply, String text) {
    return reply.compose(
        m -> Future.failedFuture(new AssertionError("expected a failure reply, got " + m.body())),
        e -> {
          assertFailure(e, Failure.BAD_MESSAGE, text);
          return Future.succeededFuture();
        });
  }
}
