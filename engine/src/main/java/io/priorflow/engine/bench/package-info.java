/**
 * Benchmarks of the engine's hot paths (training throughput). They print numbers and assert nothing; speed goals
 * live here, never in timed unit tests.
 */
package io.priorflow.engine.bench;
