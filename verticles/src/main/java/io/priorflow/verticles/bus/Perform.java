package io.priorflow.verticles.bus;

import io.priorflow.engine.work.WorkItem;
import java.util.Objects;

/**
 * Command from the director to an actor: perform this item and reply {@link Performed}. Sent to
 * {@link Addresses#role(io.priorflow.engine.work.Role)} of the item's role. The same item may be sent more than
 * once (retries); performing it is idempotent.
 */
public record Perform(WorkItem item) implements SimMessage {
  public Perform {
    Objects.requireNonNull(item, "item");
  }
}
