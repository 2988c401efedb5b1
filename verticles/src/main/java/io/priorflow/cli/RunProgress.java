package io.priorflow.cli;

import io.priorflow.engine.run.Batch;
import io.priorflow.engine.run.RunSpec;
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
 * Shows a run's progress on stderr. One run: on a terminal, one progress bar per lineage counting generations, its
 * message naming the stage in flight; elsewhere (CI logs, pipes) one plain line per finished stage and generation.
 * A batch of runs: on a terminal, one bar counting finished runs, its message the stages finished so far and the
 * latest stage (with its run); elsewhere the same lines as one run, each naming its run, and a line per finished
 * run with the runs and stages done so far. The lanes of a batch report from their own threads, so every method
 * is synchronized.
 */
final class RunProgress implements ScenarioRun.Listener, Batch.Listener, AutoCloseable {
  private final boolean terminal;
  private final PrintStream err;
  private final Map<String, Integer> generations;
  private final int runs;
  private final Map<String, ProgressBar> bars = new LinkedHashMap<>();
  private final long start = System.nanoTime();
  private ProgressBar runsBar;
  private long stages;
  private io.priorflow.live.LiveView live; // --serve: every event also goes to the live view

  /** Sends every event to the live view too (priorflow run --serve). */
  synchronized void watchedBy(io.priorflow.live.LiveView view) {
    this.live = view;
  }

  /** Progress of one run (its lineages' generations). */
  RunProgress(boolean terminal, PrintStream err, Map<String, Integer> generations) {
    this(terminal, err, generations, 0);
  }

  /**
   * @param generations per lineage, its generations (of the scenario; a sweep may change them per point)
   * @param runs        the runs of a batch, or 0 for one run
   */
  RunProgress(boolean terminal, PrintStream err, Map<String, Integer> generations, int runs) {
    this.terminal = terminal;
    this.err = err;
    this.generations = generations;
    this.runs = runs;
  }

  @Override
  public synchronized void stageStarted(String stage, String kind, int items) {
    if (live != null) live.stageStarted("", stage, kind, items);
    ProgressBar bar = bar(lineageOf(stage));
    if (bar != null) bar.setExtraMessage(kind + " (" + items + " items)");
  }

  @Override
  public synchronized void stageFinished(StageEvent e) {
    stages++;
    if (live != null) live.stageFinished("", e);
    if (terminal) return;
    err.println(stageLine("", e));
  }

  @Override
  public synchronized void generationFinished(String lineage, int generation, int total) {
    if (live != null) live.generationFinished("", lineage, generation, total);
    ProgressBar bar = bar(lineage);
    if (bar != null) {
      bar.stepTo(generation);
      if (generation == total) bar.setExtraMessage("done");
    } else if (!terminal) {
      err.printf(Locale.ROOT, "[%7.1fs] %s: generation %d of %d done%n", seconds(), lineage, generation, total);
    }
  }

  /** A run of a batch: its stages and generations, named by the run. */
  @Override
  public ScenarioRun.Listener forRun(RunSpec run) {
    return new ScenarioRun.Listener() {
      @Override
      public void stageStarted(String stage, String kind, int items) {
        synchronized (RunProgress.this) {
          if (live != null) live.stageStarted(run.name(), stage, kind, items);
          if (runsBar != null) runsBar.setExtraMessage(stages + " stages · " + run.name() + " " + stage);
        }
      }

      @Override
      public void stageFinished(StageEvent e) {
        synchronized (RunProgress.this) {
          stages++;
          if (live != null) live.stageFinished(run.name(), e);
          if (!terminal) err.println(stageLine(run.name() + " ", e));
        }
      }

      @Override
      public void generationFinished(String lineage, int generation, int total) {
        synchronized (RunProgress.this) {
          if (live != null) live.generationFinished(run.name(), lineage, generation, total);
          if (!terminal) {
            err.printf(Locale.ROOT, "[%7.1fs] %s %s: generation %d of %d done%n", seconds(), run.name(), lineage,
                generation, total);
          }
        }
      }
    };
  }

  @Override
  public synchronized void runStarted(RunSpec run) {
    if (terminal && runsBar == null) {
      runsBar = new ProgressBarBuilder().setTaskName("runs").setInitialMax(runs).setUnit(" runs", 1)
          .setStyle(ProgressBarStyle.ASCII).setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(err))
          .continuousUpdate().build();
    }
  }

  @Override
  public synchronized void runFinished(RunSpec run, int finished, int total) {
    if (live != null) live.runFinished(run.name(), finished, total);
    if (runsBar != null) {
      runsBar.stepTo(finished);
      runsBar.setExtraMessage(stages + " stages" + (finished == total ? " · done" : ""));
    } else {
      err.printf(Locale.ROOT, "[%7.1fs] run %s done: %d of %d runs, %d stages%n", seconds(), run.name(), finished,
          total, stages);
    }
  }

  private String stageLine(String prefix, StageEvent e) {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "[%7.1fs] %s%-28s %-9s %5d items  %6d data  "
        + "%6.2fs", seconds(), prefix, e.stage(), e.kind(), e.items(), e.data(), e.wallMillis() / 1000.0));
    if (e.retries() > 0) sb.append("  retries ").append(e.retries());
    if (e.humanHours() > 0) {
      sb.append(String.format(Locale.ROOT, "  human %.2f h (makespan %.2f h) $%.2f", e.humanHours(), e.makespanHours(),
          e.costUsd()));
    }
    return sb.toString();
  }

  private double seconds() {
    return (System.nanoTime() - start) / 1e9;
  }

  private ProgressBar bar(String lineage) {
    if (!terminal || runs > 0 || lineage.isEmpty() || !generations.containsKey(lineage)) return null;
    return bars.computeIfAbsent(lineage, l -> new ProgressBarBuilder().setTaskName(l)
        .setInitialMax(generations.get(l)).setUnit(" gen", 1).setStyle(ProgressBarStyle.ASCII)
        .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(err)).continuousUpdate().build());
  }

  private static String lineageOf(String stage) {
    int slash = stage.indexOf('/');
    return slash < 0 ? "" : stage.substring(0, slash);
  }

  @Override
  public synchronized void close() {
    bars.values().forEach(ProgressBar::close);
    if (runsBar != null) runsBar.close();
  }
}
