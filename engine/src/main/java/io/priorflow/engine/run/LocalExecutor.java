package io.priorflow.engine.run;

import io.priorflow.engine.work.Actors;
import io.priorflow.engine.work.WorkContext;
import io.priorflow.engine.work.WorkItem;
import io.priorflow.engine.work.WorkResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Performs items one after another in the calling thread. The reference executor: the actor runtime must give the
 * same results, whatever its number of actors and nodes.
 */
public final class LocalExecutor implements WorkExecutor {
  private final WorkContext ctx;

  public LocalExecutor(WorkContext ctx) { this.ctx = ctx; }

  @Override
  public List<WorkResult> execute(String stage, List<? extends WorkItem> items) throws InterruptedException {
    List<WorkResult> out = new ArrayList<>(items.size());
    for (WorkItem item : items) {
      if (Thread.interrupted()) throw new InterruptedException("interrupted during " + stage);
      try {
        out.add(Actors.perform(item, ctx));
      } catch (IllegalArgumentException | IllegalStateException e) {
        throw new WorkFailedException(item.id(), item.id() + ": " + e.getMessage());
      }
    }
    out.sort(Comparator.comparing(WorkResult::id));
    return out;
  }
}
