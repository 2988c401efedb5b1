package io.priorflow.verticles.bus;

import io.priorflow.engine.work.WorkResult;
import java.util.Objects;

/** Reply to {@link Perform}: the item's result, carrying the item's id. */
public record Performed(WorkResult result) implements SimMessage {
  public Performed {
    Objects.requireNonNull(result, "result");
  }
}
