/**
 * The lineage graph of a run — models, datasets and actors as nodes; trained-on, initialized-from, teacher-of,
 * generated-by, labelled-by, filtered-by and derived-from edges — and each model's {@link
 * io.priorflow.engine.lineage.Ancestry ancestry}, the share of its training signal that traces back to each
 * original source. {@link io.priorflow.engine.lineage.LineageGraph} is {@code lineage.json}; {@link
 * io.priorflow.engine.lineage.ModelLineage} is one model's self-contained record. The data and their provenance
 * are in {@code io.priorflow.engine.data}; nothing here trains, samples or reads the clock.
 */
package io.priorflow.engine.lineage;
