package io.priorflow.verticles;

import io.priorflow.engine.work.Actors;
import io.priorflow.engine.work.Role;
import io.priorflow.engine.work.WorkContext;
import io.priorflow.verticles.bus.Addresses;
import io.priorflow.verticles.bus.Perform;
import io.priorflow.verticles.bus.Performed;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test actor that misbehaves on purpose, on a real role address. Performing is the real {@link Actors#perform},
 * so whatever reply it does send is the right one; only delivery goes wrong.
 */
final class FaultyActor extends VerticleBase {

  /** How it misbehaves. */
  enum Fault {
    /** Never answers the first request for an item; answers the later ones. */
    DROP_FIRST,
    /** Answers the first request for an item after {@code delayMillis} (past the director's time-out). */
    LATE_FIRST,
    /** Answers every request twice. */
    TWICE,
    /** Takes one request, never answers it, and undeploys itself: a node that died mid-stage. */
    DIE,
    /** Never answers. */
    SILENT,
    /** Answers every request after {@code delayMillis}, counting how many it holds at once. */
    SLOW
  }

  private final Role role;
  private final WorkContext work;
  private final Fault fault;
  private final long delayMillis;
  /** Item ids this instance has been asked for. */
  final Set<String> seen = ConcurrentHashMap.newKeySet();
  final AtomicInteger received = new AtomicInteger();
  final AtomicInteger holding = new AtomicInteger();
  final AtomicInteger maxHolding = new AtomicInteger();

  FaultyActor(Role role, WorkContext work, Fault fault, long delayMillis) {
    this.role = role;
    this.work = work;
    this.fault = fault;
    this.delayMillis = delayMillis;
  }

  @Override
  public Future<?> start() {
    return vertx.eventBus().<Perform>consumer(Addresses.role(role), this::onPerform).completion();
  }

  private void onPerform(Message<Perform> m) {
    received.incrementAndGet();
    boolean first = seen.add(m.body().item().id());
    Performed reply = new Performed(Actors.perform(m.body().item(), work));
    switch (fault) {
      case DROP_FIRST -> {
        if (!first) m.reply(reply);
      }
      case LATE_FIRST -> {
        if (first) vertx.setTimer(delayMillis, t -> m.reply(reply));
        else m.reply(reply);
      }
      case TWICE -> {
        m.reply(reply);
        m.reply(reply);
      }
      case DIE -> vertx.undeploy(deploymentID());
      case SILENT -> { }
      case SLOW -> {
        maxHolding.accumulateAndGet(holding.incrementAndGet(), Math::max);
        vertx.setTimer(delayMillis, t -> {
          holding.decrementAndGet();
          m.reply(reply);
        });
      }
    }
  }
}
