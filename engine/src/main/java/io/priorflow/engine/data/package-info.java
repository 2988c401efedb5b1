/**
 * Training data with provenance: a {@link io.priorflow.engine.data.Datum} is one token sequence that knows who
 * produced it, in which generation, from which parents, and who labelled it; a
 * {@link io.priorflow.engine.data.Dataset} is a set of data sorted by id with a content SHA-256 and its
 * {@link io.priorflow.engine.data.DataLineage}. {@link io.priorflow.engine.data.DataPolicies} builds each
 * generation's training set (replace, accumulate, subsample, fresh world data). The lineage graph and ancestry
 * shares are in {@code io.priorflow.engine.lineage}; nothing here trains or samples models.
 */
package io.priorflow.engine.data;
