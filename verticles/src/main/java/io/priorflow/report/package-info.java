/**
 * The run report: {@link io.priorflow.report.ReportWriter} reads a run directory (scenario.yaml, metrics.csv,
 * lineage.json, events.jsonl, runs.csv of a batch) and writes {@code report.html}, one self-contained file with
 * tables, one chart per metric (JFreeChart drawn to inline SVG) and, for a sweep, per metric and swept parameter,
 * the lineage graph (cytoscape.js, inlined from lib/) and the ancestry of every model; or one page for several run
 * directories side by side. It only reads run outputs: nothing here runs a scenario, talks
 * to actors or computes a metric that the run did not write.
 */
package io.priorflow.report;
