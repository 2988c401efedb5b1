/**
 * The live view of a running engine ({@code priorflow run --serve}): a Vert.x Web server with a page that updates
 * as stages and generations finish (server-sent events), and {@code /metrics} in Prometheus' text format — Vert.x's
 * own Micrometer metrics beside priorflow's (items per second and in flight per role, retries, nodes, heap). It
 * only watches: nothing here changes what a run computes or writes.
 */
package io.priorflow.live;
