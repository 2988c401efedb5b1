package io.priorflow.engine.run;

/** A work item failed for good: its actor rejected it, or every retry timed out. Names the item and the cause. */
public final class WorkFailedException extends RuntimeException {
  private final String itemId;

  public WorkFailedException(String itemId, String message) {
    super(message);
    this.itemId = itemId;
  }

  public String itemId() { return itemId; }
}
