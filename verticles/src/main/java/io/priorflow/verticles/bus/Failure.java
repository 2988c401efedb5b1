package io.priorflow.verticles.bus;

import java.util.Optional;

/**
 * Why an actor answered a request with a failure: the {@code failureCode()} of the
 * {@link io.vertx.core.eventbus.ReplyException} (type RECIPIENT_FAILURE) the requester receives. None of these is
 * worth a retry, since performing an item is a pure function of the item. Time-outs and missing handlers, which
 * are, come from the bus itself as {@link io.vertx.core.eventbus.ReplyFailure#TIMEOUT} and
 * {@link io.vertx.core.eventbus.ReplyFailure#NO_HANDLERS}.
 */
public enum Failure {
  /** The actor rejected the item: the engine found it cannot be performed as given (an IllegalArgumentException). */
  BAD_ITEM(400),
  /** The payload was not a {@link Perform}, or could not be decoded; the actor keeps serving. */
  BAD_MESSAGE(415),
  /** Performing a valid item threw something unexpected: a bug, or a node in trouble. */
  ACTOR_ERROR(500),
  /** Performing a valid item exhausted the actor's JVM heap; the message says how large the heap was. */
  OUT_OF_MEMORY(507),
  /**
   * A worker node refused {@link DeployActors}: its priorflow version differs from the director's, it reads the
   * scenario differently, or it cannot create the kernel backend; its results could differ, so it takes no work.
   */
  INCOMPATIBLE(412);

  private final int code;

  Failure(int code) {
    this.code = code;
  }

  /** The failure code sent with {@code Message.fail}. */
  public int code() {
    return code;
  }

  /**
   * The message of an {@link #OUT_OF_MEMORY} failure: what ran out, the heap's size, and what to lower or raise.
   */
  public static String outOfMemory(OutOfMemoryError e) {
    return "out of memory (" + e.getMessage() + "; this JVM's heap is at most "
        + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB): lower the model sizes, samples or --parallel, "
        + "or raise the heap (PF_JAVA_OPTS=-Xmx8g)";
  }

  /** The failure with this code, or empty for a code priorflow does not send. */
  public static Optional<Failure> fromCode(int code) {
    for (Failure f : values()) {
      if (f.code == code) return Optional.of(f);
    }
    return Optional.empty();
  }
}
