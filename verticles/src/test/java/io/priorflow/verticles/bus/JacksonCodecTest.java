package io.priorflow.verticles.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.work.Actors;
import io.priorflow.engine.work.Role;
import io.priorflow.engine.work.WorkItem;
import io.priorflow.engine.work.WorkResult;
import io.priorflow.verticles.LabelTestWork;
import io.priorflow.verticles.TestWork;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class JacksonCodecTest {
  private static final JacksonCodec CODEC = new JacksonCodec();
  private static List<WorkItem> items;
  private static List<WorkResult> results;

  @BeforeAll
  static void performOneOfEach() {
    TestWork work = new TestWork();
    items = new ArrayList<>(work.oneOfEach("codec/g0"));
    items.addAll(LabelTestWork.oneOfEach(work, "codec/g0"));
    results = items.stream().map(i -> Actors.perform(i, work.context)).toList();
  }

  private static List<SimMessage> everyMessage() {
    List<SimMessage> all = new ArrayList<>();
    items.forEach(i -> all.add(new Perform(i)));
    results.forEach(r -> all.add(new Performed(r)));
    Map<Role, Integer> instances = Map.of(Role.GENERATOR, 2, Role.TRAINER, 1, Role.RED_TEAMER, 0);
    all.add(new DeployActors("run-1", "node-d", "name: tiny\nseed: 7\n", "ab".repeat(32), "dev", "java", instances));
    all.add(new ActorsDeployed("run-1", "node-w", instances));
    all.add(new UndeployActors("run-1"));
    all.add(new ActorsUndeployed("run-1", "node-w"));
    all.add(new WorkerJoined("node-w"));
    return all;
  }

  private static String json(SimMessage m) {
    return new String(JacksonCodec.toJson(m), StandardCharsets.UTF_8);
  }

  /** Wire format after a prefix, so a decoder that ignores {@code pos} fails. */
  private static SimMessage throughTheWire(SimMessage m) {
    Buffer buffer = Buffer.buffer().appendString("prefix");
    CODEC.encodeToWire(buffer, m);
    int length = buffer.getInt(6);
    assertEquals(buffer.length(), 6 + Integer.BYTES + length, "an int length, then exactly that many bytes");
    return CODEC.decodeFromWire(6, buffer);
  }

  @Test
  void theFixturesCoverEverySubtype() {
    assertEquals(Set.of(WorkItem.class.getPermittedSubclasses()),
        items.stream().map(Object::getClass).collect(Collectors.toSet()));
    assertEquals(Set.of(WorkResult.class.getPermittedSubclasses()),
        results.stream().map(Object::getClass).collect(Collectors.toSet()));
    assertEquals(Set.of(SimMessage.class.getPermittedSubclasses()),
        everyMessage().stream().map(Object::getClass).collect(Collectors.toSet()));
  }

  @Test
  void everyMessageRoundTripsThroughTheWire() {
    for (SimMessage m : everyMessage()) {
      SimMessage back = throughTheWire(m);
      assertEquals(m.getClass(), back.getClass());
      assertEquals(json(m), json(back), () -> "re-serialised JSON of " + m.getClass().getSimpleName());
    }
  }

  @Test
  void aBestOfNCurveRoundTripsExactly() {
    var curve = List.of(new io.priorflow.engine.metrics.BestOfNCurve.Point(1, 0, 0.1, -0.2),
        new io.priorflow.engine.metrics.BestOfNCurve.Point(4, Math.log(4) - 0.75, 0.30000000000000004, 1e-17));
    SimMessage m = new Performed(new io.priorflow.engine.work.EvaluateResult("e/0", java.util.Map.of("reward.gold",
        0.25), curve));
    Performed back = (Performed) throughTheWire(m);
    assertEquals(curve, ((io.priorflow.engine.work.EvaluateResult) back.result()).bestOfNCurve());
  }

  @Test
  void theJsonNamesItsTypes() {
    String perform = json(new Perform(items.get(0)));
    assertTrue(perform.startsWith("{\"type\":\"perform\",\"item\":{\"type\":\"sample\","), perform);
    String performed = json(new Performed(results.get(0)));
    assertTrue(performed.startsWith("{\"type\":\"performed\",\"result\":{\"type\":\"sampled\","), performed);
  }

  @Test
  void transformHandsOverTheSameInstance() {
    SimMessage m = new Perform(items.get(0));
    assertSame(m, CODEC.transform(m));
  }

  @Test
  void malformedJsonIsRejectedWithJacksonsMessage() {
    List<String> bad = List.of("{\"type\":\"teleport\"}", "{\"type\":\"perform\"}",
        "{\"type\":\"perform\",\"item\":null}",
        "{\"type\":\"performed\",\"result\":{\"type\":\"scored\",\"id\":\"x\",\"scores\":[1],\"extra\":2}}",
        "[1, 2]", "{\"type\":\"perform\",\"item\":{\"type\":\"evaluate\",\"id\":\"a\"}} trailing");
    for (String s : bad) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> JacksonCodec.fromJson(s.getBytes(StandardCharsets.UTF_8)), s);
      assertTrue(e.getMessage().startsWith("Not a valid priorflow message: "), e.getMessage());
    }
  }

  @Test
  void registeredCodecCarriesMessagesOnTheBus(Vertx vertx, VertxTestContext t) {
    JacksonCodec.register(vertx);
    JacksonCodec.register(vertx); // a second registration is harmless
    SimMessage sent = new Perform(items.get(1));
    vertx.eventBus().<SimMessage>consumer("pf.test.echo", m -> m.reply(new Performed(results.get(1))))
        .completion()
        .compose(v -> vertx.eventBus().<SimMessage>request("pf.test.echo", sent))
        .onComplete(t.succeeding(reply -> t.verify(() -> {
          assertEquals(json(new Performed(results.get(1))), json(reply.body()));
          t.completeNow();
        })));
  }

  @Test
  void isAUserCodecNamedPfJackson() {
    assertEquals("pf.jackson", CODEC.name());
    assertEquals(-1, CODEC.systemCodecID());
  }
}
