package io.priorflow.cli;

import io.priorflow.engine.run.ScenarioRun;
import io.priorflow.engine.run.StageEvent;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows a run's progress: on a terminal, one progress bar per lineage counting generations, its message naming the
 * stage in flight; elsewhere (CI logs, pipes) one plain line per finished stage and generation, on stderr.
 */
final class RunProgress implements ScenarioRun.Listener, AutoCloseable {
  private final boolean terminal;
  private final PrintStream err;
  private final Map<String, Integer> generations;
  private final Map<String, ProgressBar> bars = new LinkedHashMap<>();
  private final long start = System.nanoTime();

  RunProgress(boolean terminal, PrintStream err, Map<String, Integer> generations) {
    this.terminal = terminal;
    this.err = err;
    this.generations = generations;
  }

  @Override
  public void stageStarted(String stage, String kind, int items) {
    ProgressBar bar = bar(lineageOf(stage));
    if (bar != null) bar.setExtraMessage(kind + " (" + items + " items)");
  }

  @Override
  public void stageFinished(StageEvent e) {
    if (terminal) return;
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "[%7.1fs] %-28s %-9s %5d items  %6d data  %6.2fs",
        (System.nanoTime() - start) / 1e9, e.stage(), e.kind(), e.items(), e.data(), e.wallMillis() / 1000.0));
    if (e.retries() > 0) sb.append("  retries ").append(e.retries());
    if (e.humanHours() > 0) {
      sb.append(String.format(Locale.ROOT, "  human %.2f h (makespan %.2f h) $%.2f", e.humanHours(), e.makespanHours(),
          e.costUsd()));
    }
    err.println(sb);
  }

  @Override
  public void generationFinished(String lineage, int generation, int total) {
    ProgressBar bar = bar(lineage);
    if (bar != null) {
      bar.stepTo(generation);
      if (generation == total) bar.setExtraMessage("done");
    } else {
      err.printf(Locale.ROOT, "[%7.1fs] %s: generation %d of %d done%n", (System.nanoTime() - start) / 1e9, lineage,
          generation, total);
    }
  }

  private ProgressBar bar(String lineage) {
    if (!terminal || lineage.isEmpty() || !generations.containsKey(lineage)) return null;
    return bars.computeIfAbsent(lineage, l -> new ProgressBarBuilder().setTaskName(l)
        .setInitialMax(generations.get(l)).setUnit(" gen", 1).setStyle(ProgressBarStyle.ASCII)
        .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(err)).continuousUpdate().build());
  }

  private static String lineageOf(String stage) {
    int slash = stage.indexOf('/');
    return slash < 0 ? "" : stage.substring(0, slash);
  }

  @Override
  public void close() { bars.values().forEach(ProgressBar::close); }
}
