package io.priorflow.verticles;

import io.priorflow.engine.run.WorkExecutor;
import io.priorflow.engine.run.WorkFailedException;
import io.priorflow.engine.work.Role;
import io.priorflow.engine.work.WorkItem;
import io.priorflow.engine.work.WorkResult;
import io.priorflow.verticles.bus.Addresses;
import io.priorflow.verticles.bus.Failure;
import io.priorflow.verticles.bus.JacksonCodec;
import io.priorflow.verticles.bus.Perform;
import io.priorflow.verticles.bus.Performed;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The director's side of the actor runtime: performs a stage's work items by sending each, as a {@link Perform}
 * request, to its role's address, and returns one result per item, sorted by item id (DESIGN §5).
 *
 * <p>The bus is best-effort, so:
 * <ul>
 *   <li>an item whose reply timed out, or that found no actor listening ({@link ReplyFailure#TIMEOUT},
 *       {@link ReplyFailure#NO_HANDLERS}, {@link ReplyFailure#ERROR}), is sent again, the same item, up to
 *       {@link ExecutorConfig#maxAttempts()} times in all; after no handlers, only after
 *       {@link ExecutorConfig#retryDelay()};</li>
 *   <li>results are kept by item id, first one wins: a duplicate reply changes nothing (items are idempotent);</li>
 *   <li>an actor's failure reply ({@link Failure}: a rejected item, an unexpected error) fails the stage at once
 *       with a {@link WorkFailedException} naming the item and the actor's message: performing the item again
 *       would give the same answer;</li>
 *   <li>at most {@link ExecutorConfig#maxInFlight(Role)} items per role await a reply, so a big stage does not
 *       flood the bus.</li>
 * </ul>
 *
 * <p>Threads: {@link #execute} blocks and must be called off the event loop (the director runs on a worker or
 * virtual thread). All dispatching runs on one event-loop context of this executor's own (a small verticle it
 * deploys on first use), so the stage's bookkeeping needs no locks and the caller's context, even a worker one,
 * is never needed to deliver a reply; the result comes back through a CompletableFuture.
 *
 * <p>A time-out counts from sending, so it includes the time an item waits behind others on a busy actor (the
 * bus hands requests to a role's actors in turn, busy or not): keep it a few times the longest item.
 *
 * <p>A node that dies takes the requests it holds with it, and the bus reports them only when they time out.
 * {@link #redispatch} sends every request of the given roles that still awaits a reply again at once, to whichever
 * actors the bus picks now: the cluster director calls it when a worker node leaves. The abandoned requests no
 * longer count against the in-flight limit; a late reply to one is still taken if the item has no result yet
 * (it is as good as any), and its failure is ignored. Sending again this way does not use up the item's attempts.
 *
 * <p>Not here: a limit shared between stages run at once by different threads (each call has its own in-flight
 * limits). Closing the Vertx during a stage leaves {@link #execute} waiting: interrupt the caller.
 */
public final class EventBusExecutor implements WorkExecutor {
  private final Vertx vertx;
  private final String run; // null: the plain role addresses
  private volatile ExecutorConfig config;
  private final AtomicLong retries = new AtomicLong();
  private final Set<Stage> active = new HashSet<>(); // touched only on the dispatcher's context
  private Dispatcher dispatcher;

  /** Registers the {@link JacksonCodec} on the vertx, if it was not yet. */
  public EventBusExecutor(Vertx vertx, ExecutorConfig config) {
    this(vertx, config, null);
  }

  /**
   * An executor for one run of several on a bus: it sends to the run's own role addresses
   * ({@link Addresses#role(Role, String)}), where that run's actors listen ({@code ActorNode} with the same run).
   */
  public EventBusExecutor(Vertx vertx, ExecutorConfig config, String run) {
    this.vertx = JacksonCodec.register(Objects.requireNonNull(vertx, "vertx"));
    this.config = Objects.requireNonNull(config, "config");
    this.run = run;
  }

  /** The run whose role addresses this executor sends to, or null for the plain ones. */
  public String run() {
    return run;
  }

  /** The configuration: time-outs, attempts, in-flight limits. */
  public ExecutorConfig config() {
    return config;
  }

  /**
   * Replaces the configuration, e.g. the in-flight limits when worker nodes join or leave. Stages running now use
   * it from their next send on; none of it changes results.
   */
  public void config(ExecutorConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  /**
   * Sends again, at once, every request of these roles that awaits a reply in a running stage (see the class
   * comment); completes with how many items were sent again. Does nothing before the first stage.
   */
  public Future<Integer> redispatch(Set<Role> roles) {
    Context context;
    synchronized (this) {
      if (dispatcher == null) return Future.succeededFuture(0);
      context = dispatcher.context();
    }
    Set<Role> which = Set.copyOf(roles);
    Promise<Integer> sent = Promise.promise();
    context.runOnContext(v -> {
      int n = 0;
      for (Stage s : List.copyOf(active)) n += s.redispatch(which);
      sent.complete(n);
    });
    return sent.future();
  }

  @Override
  public long retries() {
    return retries.get();
  }

  @Override
  public List<WorkResult> execute(String stage, List<? extends WorkItem> items) throws InterruptedException {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException("EventBusExecutor.execute blocks until stage " + stage
          + " is done; call it from a worker or virtual thread, not from an event loop");
    }
    Set<String> ids = new HashSet<>();
    for (WorkItem item : items) {
      if (!ids.add(item.id())) {
        throw new IllegalArgumentException("stage " + stage + " has two items with id " + item.id());
      }
    }
    if (Thread.interrupted()) throw new InterruptedException("interrupted before stage " + stage);
    if (items.isEmpty()) return List.of();
    Context context = context();
    Stage s = new Stage(context, items);
    context.runOnContext(v -> s.start());
    try {
      return s.done.get();
    } catch (InterruptedException e) {
      s.done.cancel(false); // stops sending; replies still on their way are ignored
      throw e;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof WorkFailedException w) throw w;
      throw new IllegalStateException("stage " + stage + " failed: " + e.getCause(), e.getCause());
    }
  }

  /** Undeploys the dispatching verticle (closing the Vertx does too). The executor must not be used afterwards. */
  public synchronized Future<Void> close() {
    if (dispatcher == null) return Future.succeededFuture();
    String id = dispatcher.deploymentID();
    dispatcher = null;
    return vertx.undeploy(id);
  }

  /** The dispatching context, deployed on first use. */
  private synchronized Context context() throws InterruptedException {
    if (dispatcher == null) {
      Dispatcher d = new Dispatcher();
      try {
        vertx.deployVerticle(d).toCompletionStage().toCompletableFuture().get();
      } catch (ExecutionException e) {
        throw new IllegalStateException("cannot deploy the event-bus executor: " + e.getCause(), e.getCause());
      }
      dispatcher = d;
    }
    return dispatcher.context();
  }

  /** An event-loop verticle that only lends its context to the stages. */
  private static final class Dispatcher extends VerticleBase {
    Context context() {
      return context;
    }
  }

  /** One call of {@link #execute}. Touched only on the dispatcher's context, except {@link #done}. */
  private final class Stage {
    final CompletableFuture<List<WorkResult>> done = new CompletableFuture<>();
    final int total;
    final Map<Role, ArrayDeque<WorkItem>> waiting = new EnumMap<>(Role.class);
    final Map<Role, Integer> inFlight = new EnumMap<>(Role.class);
    final Map<String, Integer> attempts = new HashMap<>();
    final Map<String, Integer> awaiting = new HashMap<>(); // per item, requests sent and not abandoned
    final Set<Request> requests = new HashSet<>();         // requests sent, not answered and not abandoned
    final Map<String, WorkResult> results = new HashMap<>();
    final Set<String> redispatched = new HashSet<>();      // queued again by redispatch: the next send is free
    final Context context;

    /** One sending of an item; abandoned when {@link #redispatch} sends the item again. */
    private record Request(WorkItem item, long serial) {}

    private long serials;

    Stage(Context context, List<? extends WorkItem> items) {
      this.context = context;
      total = items.size();
      for (WorkItem item : items) waiting.computeIfAbsent(item.role(), r -> new ArrayDeque<>()).add(item);
      for (Role r : waiting.keySet()) inFlight.put(r, 0);
    }

    void start() {
      active.add(this);
      done.whenComplete((r, e) -> context.runOnContext(v -> active.remove(this)));
      for (Role r : waiting.keySet()) pump(r);
    }

    /** Sends the role's waiting items while it has room in flight; skips items answered meanwhile. */
    void pump(Role role) {
      ArrayDeque<WorkItem> queue = waiting.get(role);
      if (queue == null) return;
      while (!done.isDone() && !queue.isEmpty() && inFlight.get(role) < config.maxInFlight(role)) {
        WorkItem item = queue.poll();
        boolean free = redispatched.remove(item.id());
        if (!results.containsKey(item.id())) send(item, !free);
      }
    }

    /** @param attempt whether this sending counts against the item's attempts (a re-dispatch does not) */
    void send(WorkItem item, boolean attempt) {
      Role role = item.role();
      if (attempt) {
        if (attempts.merge(item.id(), 1, Integer::sum) > 1) retries.incrementAndGet();
      } else {
        retries.incrementAndGet();
      }
      Request request = new Request(item, serials++);
      requests.add(request);
      awaiting.merge(item.id(), 1, Integer::sum);
      inFlight.merge(role, 1, Integer::sum);
      DeliveryOptions options = new DeliveryOptions().setSendTimeout(config.timeout(role).toMillis());
      vertx.eventBus().<Object>request(Addresses.role(role, run), new Perform(item), options)
          .onComplete(ar -> {
            boolean live = requests.remove(request);
            if (live) {
              inFlight.merge(role, -1, Integer::sum);
              awaiting.merge(item.id(), -1, Integer::sum);
            }
            if (done.isDone()) return;
            if (ar.succeeded()) {
              if (!results.containsKey(item.id())) onReply(item, ar.result());
            } else if (live && !results.containsKey(item.id()) && awaiting.get(item.id()) == 0) {
              onFailure(item, ar.cause());
            }
            pump(role);
          });
    }

    /** Abandons the live requests of these roles and queues their items first, then refills; returns how many. */
    int redispatch(Set<Role> roles) {
      if (done.isDone()) return 0;
      List<Request> lost = new ArrayList<>();
      for (Request r : requests) if (roles.contains(r.item().role())) lost.add(r);
      lost.sort(Comparator.comparingLong(Request::serial).reversed()); // addFirst below: oldest ends up first
      int n = 0;
      for (Request r : lost) {
        WorkItem item = r.item();
        requests.remove(r);
        inFlight.merge(item.role(), -1, Integer::sum);
        if (awaiting.merge(item.id(), -1, Integer::sum) == 0 && !results.containsKey(item.id())) {
          waiting.get(item.role()).addFirst(item);
          redispatched.add(item.id());
          n++;
        }
      }
      for (Role r : roles) pump(r);
      return n;
    }
    void onReply(WorkItem item, Message<Object> reply) {
      Object body;
      try {
        body = reply.body();
      } catch (RuntimeException e) {
        fail(item, "undecodable reply from " + Addresses.role(item.role(), run) + ": " + e.getMessage());
        return;
      }
      if (body instanceof Performed(WorkResult r) && r.id().equals(item.id())) {
        results.putIfAbsent(r.id(), r);
        if (results.size() == total) {
          List<WorkResult> sorted = new ArrayList<>(results.values());
          sorted.sort(Comparator.comparing(WorkResult::id));
          done.complete(sorted);
        }
      } else {
        fail(item, "the actor on " + Addresses.role(item.role(), run) + " replied " + describe(body)
            + " instead of its result");
      }
    }

    void onFailure(WorkItem item, Throwable cause) {
      if (!(cause instanceof ReplyException re)) {
        fail(item, "could not send it: " + cause);
        return;
      }
      switch (re.failureType()) {
        case TIMEOUT -> retry(item, "no reply within " + config.timeout(item.role()).toMillis() + " ms", false);
        case NO_HANDLERS -> retry(item, "no " + item.role().key() + " actor listening", true);
        case ERROR -> retry(item, "the bus failed to deliver it: " + re.getMessage(), true);
        case RECIPIENT_FAILURE -> fail(item, Failure.fromCode(re.failureCode()).isPresent() ? re.getMessage()
            : re.getMessage() + " (failure code " + re.failureCode() + ")");
      }
    }

    /** Sends the item again, first in its role's queue, unless it has used up its attempts. */
    void retry(WorkItem item, String why, boolean pause) {
      int made = attempts.get(item.id());
      if (made >= config.maxAttempts()) {
        fail(item, "no result after " + made + (made == 1 ? " attempt" : " attempts") + " on "
            + Addresses.role(item.role(), run) + " (last: " + why + ")");
        return;
      }
      if (!pause || config.retryDelay().isZero()) {
        waiting.get(item.role()).addFirst(item);
        return;
      }
      vertx.setTimer(Math.max(1, config.retryDelay().toMillis()), t -> {
        waiting.get(item.role()).addFirst(item);
        pump(item.role());
      });
    }

    void fail(WorkItem item, String message) {
      done.completeExceptionally(new WorkFailedException(item.id(), item.id() + ": " + message));
    }
  }

  private static String describe(Object body) {
    return body == null ? "nothing" : body instanceof Performed(WorkResult r) ? "the result of " + r.id()
        : "a " + body.getClass().getSimpleName();
  }
}
