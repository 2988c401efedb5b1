/**
 * The metrics of a run (DESIGN §7): their names and column order ({@link io.priorflow.engine.metrics.MetricNames}),
 * the {@link io.priorflow.engine.metrics.Evaluator} that measures a token model against the world's gold oracle,
 * the analytic worlds' adapter, the metrics table with its {@code metrics.csv} / {@code metrics.jsonl} writers
 * and reader, and the per-sweep-point summary statistics. Counters (labels, cost, time) and ancestry shares are
 * counted elsewhere and only merged into rows here; nothing in this package trains a model or talks to actors.
 */
package io.priorflow.engine.metrics;
