package io.priorflow.verticles;

import io.priorflow.engine.run.ScenarioRun;
import io.priorflow.engine.scenario.Scenario;
import io.priorflow.engine.work.Actors;
import io.priorflow.engine.work.MemoryModelStore;
import io.priorflow.engine.work.Role;
import io.priorflow.engine.work.WorkContext;
import io.priorflow.engine.work.WorkItem;
import io.priorflow.engine.work.WorkResult;
import io.priorflow.kernels.backend.Backends;
import io.priorflow.verticles.bus.Addresses;
import io.priorflow.verticles.bus.Failure;
import io.priorflow.verticles.bus.JacksonCodec;
import io.priorflow.verticles.bus.Perform;
import io.priorflow.verticles.bus.Performed;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.Objects;
import java.util.function.Function;

/**
 * An actor of one role: takes {@link Perform} requests on the role's address, performs the item with the engine's
 * {@link Actors#perform} and replies {@link Performed}. Every instance of a role is interchangeable, since the
 * result is a pure function of the item, its random stream and the models it names; so the bus may hand a request
 * to any of them, and the director may send it again.
 *
 * <p>Deploy with {@link io.vertx.core.ThreadingModel#WORKER} (training and sampling are heavy; never on an event
 * loop): {@link ActorNode} does. An instance performs one item at a time; more instances, more items at once.
 *
 * <p>Failure replies ({@link Failure}): an item the engine rejects (IllegalArgumentException) gets
 * {@link Failure#BAD_ITEM} with the engine's message; any other exception {@link Failure#ACTOR_ERROR}; a payload
 * that is not a {@code Perform}, or cannot be decoded, {@link Failure#BAD_MESSAGE}; running out of heap
 * {@link Failure#OUT_OF_MEMORY}, and any other Error {@link Failure#ACTOR_ERROR}. The actor keeps serving after each.
 * An Error is answered too, never left to the time-out: the item would fail the same way anywhere (it is a pure
 * function of the item), and a run waiting half an hour for a trainer that ran out of memory is the hang this
 * prevents. The arrays that exhausted the heap are garbage once the stack has unwound, so the reply goes out.
 *
 * <p>Not here: dispatching, retries and ordering (the director's {@link EventBusExecutor}), and any state of its
 * own. The {@link WorkContext} is the node's, and its model store is the only state actors share.
 */
public abstract class ActorVerticle extends VerticleBase {
  private final Role role;
  private final WorkContext work;
  private String run; // null: the bus's plain role address
  private MessageConsumer<Object> consumer;

  /** @param work the node's context: world, random streams, model store, kernel backend, evaluation set */
  protected ActorVerticle(Role role, WorkContext work) {
    this.role = Objects.requireNonNull(role, "role");
    this.work = Objects.requireNonNull(work, "work");
  }

  /** A new actor of the role: the role's own {@code XxxVerticle}. */
  public static ActorVerticle forRole(Role role, WorkContext work) {
    return switch (role) {
      case GENERATOR -> new GeneratorVerticle(work);
      case CRITIC -> new CriticVerticle(work);
      case HUMAN -> new HumanLabellerVerticle(work);
      case TRAINER -> new TrainerVerticle(work);
      case EVALUATOR -> new EvaluatorVerticle(work);
      case RED_TEAMER -> new RedTeamerVerticle(work);
      case RETRIEVER -> new RetrieverVerticle(work);
    };
  }

  /** The role this actor plays. */
  public final Role role() {
    return role;
  }

  /**
   * Listens on the run's own role address ({@link Addresses#role(Role, String)}) instead of the plain one; call
   * before deploying. Returns this actor.
   */
  public final ActorVerticle inRun(String run) {
    this.run = run;
    return this;
  }

  /** The address this actor listens on. */
  public final String address() {
    return Addresses.role(role, run);
  }

  /** Registers the consumer on the role's address; deployment succeeds once the registration is visible. */
  @Override
  public Future<?> start() {
    consumer = vertx.eventBus().consumer(address(), this::onPerform);
    return consumer.completion();
  }

  private void onPerform(Message<Object> m) {
    Object body;
    try {
      body = m.body(); // a clustered message is decoded here, lazily: a bad payload throws
    } catch (RuntimeException e) {
      m.fail(Failure.BAD_MESSAGE.code(), "undecodable message on " + m.address() + ": " + e.getMessage());
      return;
    }
    switch (body) {
      case Perform p when p.item().role() == role -> perform(p.item(), m);
      case Perform p -> m.fail(Failure.BAD_ITEM.code(),
          p.item().role().key() + " work, which " + role.key() + " actors do not perform");
      case null, default -> m.fail(Failure.BAD_MESSAGE.code(),
          role.key() + " actors take Perform messages, got " + (body == null ? "no body" : body.getClass().getName()));
    }
  }

  private void perform(WorkItem item, Message<Object> m) {
    WorkResult result;
    try {
      result = Actors.perform(item, work);
    } catch (IllegalArgumentException e) {
      m.fail(Failure.BAD_ITEM.code(), String.valueOf(e.getMessage()));
      return;
    } catch (RuntimeException e) {
      m.fail(Failure.ACTOR_ERROR.code(), e.toString());
      return;
    } catch (OutOfMemoryError e) {
      m.fail(Failure.OUT_OF_MEMORY.code(), Failure.outOfMemory(e));
      return;
    } catch (Error e) {
      m.fail(Failure.ACTOR_ERROR.code(), e.toString());
      return;
    }
    m.reply(new Performed(result));
  }

  /**
   * Deploys one actor on a new local Vertx, with the context of {@link Scenario#defaults()} and an empty model
   * store, and leaves it serving: for running a verticle on its own from the IDE [vertx-examples]. Runs use
   * {@link ActorNode} with the scenario's context instead.
   */
  protected static void runLocally(Function<WorkContext, ? extends ActorVerticle> factory) {
    WorkContext work = ScenarioRun.context(Scenario.defaults(), new MemoryModelStore(),
        Backends.create(Backends.DEFAULT));
    ActorVerticle actor = factory.apply(work);
    Vertx vertx = JacksonCodec.register(Vertx.vertx());
    vertx.deployVerticle(actor, ActorNode.options(actor.role(), 1))
        .onSuccess(id -> System.out.println(actor.getClass().getSimpleName() + " listening on "
            + Addresses.role(actor.role()) + " (deployment " + id + ")"))
        .onFailure(err -> {
          System.err.println("Could not deploy " + actor.getClass().getSimpleName() + ": " + err.getMessage());
          vertx.close();
        });
  }
}
