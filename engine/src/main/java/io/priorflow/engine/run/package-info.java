/**
 * Running scenarios: the director's logic ({@link io.priorflow.engine.run.ScenarioRun} for token worlds,
 * {@link io.priorflow.engine.run.AnalyticRun} for the analytic ones), the files of a run directory
 * ({@link io.priorflow.engine.run.RunOutputs}), and batches of replicates and sweep points
 * ({@link io.priorflow.engine.run.Batch}, seeds by {@link io.priorflow.engine.run.Replicates}). Where work items are
 * performed is a {@link io.priorflow.engine.run.WorkExecutor}'s business: no messaging and no Vert.x here.
 */
package io.priorflow.engine.run;
