package io.priorflow.engine.run;

import io.priorflow.engine.work.WorkItem;
import io.priorflow.engine.work.WorkResult;
import java.util.List;

/**
 * Where the director's work items get performed: in this thread ({@link LocalExecutor}) or by actors over the event
 * bus (the verticles module). Implementations may perform an item more than once (retries after a timeout, a node
 * that died); items are idempotent, so any copy's result is the result.
 */
public interface WorkExecutor {

  /**
   * Performs every item and returns exactly one result per item, sorted by item id. Blocks until done.
   *
   * @param stage a label for progress reports and events, e.g. "main/g2/generate"
   * @throws WorkFailedException when an item cannot be performed (a bad item, or retries exhausted)
   * @throws InterruptedException when the calling thread is interrupted (e.g. Ctrl-C)
   */
  List<WorkResult> execute(String stage, List<? extends WorkItem> items) throws InterruptedException;

  /** Retries (re-sent items) so far, for events.jsonl; 0 for executors that never retry. */
  default long retries() { return 0; }
}
